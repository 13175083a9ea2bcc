import { DataSource } from 'typeorm';
import { loadReferenceRegions } from './modules/regions/reference-data';
import { dataSourceOptions } from './database/data-source';

const MIGRATION_LOCK = 727_000;

/**
 * Brings a database up to date before the app uses it: migrations (never synchronize), then the
 * reference regions. An advisory lock serialises replicas that start together. It lives at the top
 * (a composition root, like runtime.ts) because it seeds a feature's reference data.
 */
export async function prepareDatabase(url: string, log: { log(msg: string): void }): Promise<void> {
  const db = new DataSource({ ...dataSourceOptions(url), extra: { max: 2 } });
  await db.initialize();
  const lock = db.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await db.runMigrations();
    if (applied.length) log.log(`Applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    const regions = await loadReferenceRegions(db);
    log.log(`Reference regions: ${regions.provinces} provinces, ${regions.regencies} regencies/cities`);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await db.destroy();
  }
}
