import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

let counter = 0;

/**
 * Creates an empty database for one test file on the server named by DATABASE_URL (the local
 * server in CI, the embedded one otherwise). Refuses any server database whose name lacks "test",
 * so a mis-set DATABASE_URL can never point the suite at real data.
 */
export async function createTestDatabase(): Promise<string> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set: the Jest global setup should have started PostgreSQL');
  const url = new URL(base);
  const baseName = url.pathname.slice(1);
  if (!/test/i.test(baseName)) throw new Error(`Refusing to run tests against database "${baseName}": its name must contain "test"`);
  // Jest gives each test file fresh modules (the counter restarts) in the same worker process (the
  // pid stays): the random part keeps a later file from reusing an earlier one's name, and so its
  // queue keys, which outlive the dropped database in Redis.
  const name = `mpp_test_${process.env.MPP_TEST_RUN ?? 'x'}_${process.env.JEST_WORKER_ID ?? '0'}_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
