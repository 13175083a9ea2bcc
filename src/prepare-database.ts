import { DataSource } from 'typeorm';
import { loadReferenceRegions } from './modules/regions/reference-data';
import { dataSourceOptions } from './database/data-source';

const MIGRATION_LOCK = 727_000;

/**
 * Brings a database up to date before the app uses it: migrations (never synchronize), then the
 * reference regions. An advisory lock serialises replicas that start together. It lives at the top
 * (a composition root, like runtime.ts) because it seeds a feature's reference data.
 */
export async function prepareDatabase(url: string, log: { log(msg: string): void }, options: { appRole?: string } = {}): Promise<void> {
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
    if (options.appRole) {
      await grantAppRole(db, options.appRole);
      log.log(`Database role ${options.appRole}: reads and writes data; cannot change the schema nor rewrite the audit trail`);
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await db.destroy();
  }
}

/**
 * The app's own database role, when migrations run as the owner (MIGRATION_DATABASE_URL): data
 * rights only. It cannot alter tables, so it cannot lift the append-only triggers, and it may only
 * add to the audit trail (audit_log, check_in_revisions). CREATE on the database is for BullMQ's
 * own schema when the queue runs on PostgreSQL.
 */
async function grantAppRole(db: DataSource, role: string): Promise<void> {
  const r = `"${role.replace(/"/g, '""')}"`;
  const [{ name }] = await db.query<{ name: string }[]>(`SELECT current_database() AS name`);
  await db.query(`
    GRANT USAGE ON SCHEMA public TO ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, check_in_revisions FROM ${r};
    GRANT CREATE ON DATABASE "${name.replace(/"/g, '""')}" TO ${r};
  `);
}
