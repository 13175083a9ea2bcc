import pg from 'pg';

export default async function globalTeardown() {
  // Drop this run's databases, then stop the embedded server if the setup started one.
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `mpp_test_${process.env.MPP_TEST_RUN}_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await globalThis.__MPP_EMBEDDED_PG__?.stop();
  globalThis.__MPP_TEST_REDIS__?.kill();
}
