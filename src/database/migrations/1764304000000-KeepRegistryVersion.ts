import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['mpps', 'mpp_tenants', 'regencies', 'provinces'];

/**
 * A version of the registry (what GET /mpps shows: MPPs, their tenants, regency and province
 * names), so its pages can be kept per version instead of read and serialized for every request.
 *
 * It moves at commit, once per writing transaction, so versions follow commit order: a timestamp
 * such as max(updated_at) is taken when a transaction starts, and a slower transaction committing
 * after a newer one would change the data without moving the maximum. A statement on a registry
 * table notes the change once per transaction (a row in data_version_moves); that row's deferred
 * trigger moves the version as the transaction commits, so the version row's lock is taken last
 * and never held while the writer waits for another lock. Bulk loads pay once per statement, not
 * per row. The token is random, so a version never comes back (a restored database).
 */
export class KeepRegistryVersion1764304000000 implements MigrationInterface {
  name = 'KeepRegistryVersion1764304000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE data_versions (name text PRIMARY KEY, token uuid NOT NULL DEFAULT gen_random_uuid())`);
    await q.query(`INSERT INTO data_versions (name) VALUES ('registry')`);
    await q.query(`CREATE TABLE data_version_moves (id bigserial PRIMARY KEY, name text NOT NULL)`);
    await q.query(`
      CREATE FUNCTION note_registry_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Once per transaction: the setting is local to it.
        IF current_setting('mpp_monitor.registry_moves', true) IS DISTINCT FROM 'on' THEN
          PERFORM set_config('mpp_monitor.registry_moves', 'on', true);
          INSERT INTO data_version_moves (name) VALUES ('registry');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION move_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO data_versions (name) VALUES (NEW.name) ON CONFLICT (name) DO UPDATE SET token = gen_random_uuid();
        DELETE FROM data_version_moves WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER data_version_moves_at_commit AFTER INSERT ON data_version_moves
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_data_version()`);
    for (const table of TABLES) {
      await q.query(`
        CREATE TRIGGER ${table}_moves_registry_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION note_registry_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TRIGGER ${table}_moves_registry_version ON ${table}`);
    await q.query(`DROP TABLE data_version_moves`);
    await q.query(`DROP FUNCTION move_data_version()`);
    await q.query(`DROP FUNCTION note_registry_change()`);
    await q.query(`DROP TABLE data_versions`);
  }
}
