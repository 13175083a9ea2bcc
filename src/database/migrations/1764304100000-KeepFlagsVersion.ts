import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['flags', 'flag_events', 'flag_actions'];

/**
 * A commit-ordered version of the flags (their states, history and actions), as KeepRegistryVersion
 * made one for the registry: the reports' data version read max(flags.updated_at), stamped when a
 * transaction starts, so a bureau's action committing after a newer change moved nothing, and a
 * page kept per data version (the bureau's cases and overdue actions) could keep the old state.
 * The data version now also reads every data_versions token (ReportsQueries.dataVersion).
 */
export class KeepFlagsVersion1764304100000 implements MigrationInterface {
  name = 'KeepFlagsVersion1764304100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO data_versions (name) VALUES ('flags')`);
    await q.query(`
      CREATE FUNCTION note_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        setting text := 'mpp_monitor.moves_' || TG_ARGV[0];
      BEGIN
        -- Once per transaction and version: the setting is local to the transaction.
        IF current_setting(setting, true) IS DISTINCT FROM 'on' THEN
          PERFORM set_config(setting, 'on', true);
          INSERT INTO data_version_moves (name) VALUES (TG_ARGV[0]);
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await q.query(`
        CREATE TRIGGER ${table}_moves_flags_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION note_data_change('flags')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TRIGGER ${table}_moves_flags_version ON ${table}`);
    await q.query(`DROP FUNCTION note_data_change()`);
    await q.query(`DELETE FROM data_versions WHERE name = 'flags'`);
  }
}
