import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every write is audited now: the log also keeps the client address and request id (to match a
 * record with its JSON log line), and check-in revisions become append-only like the log itself,
 * since they are the audit trail of check-ins (who, when, the full report of every revision).
 */
export class AuditEveryWrite1764300500000 implements MigrationInterface {
  name = 'AuditEveryWrite1764300500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_log ADD COLUMN ip text, ADD COLUMN request_id text;
      CREATE INDEX audit_log_user_idx ON audit_log (user_id, id);
      CREATE INDEX audit_log_action_idx ON audit_log (action, id);
      CREATE INDEX check_in_revisions_submitted_idx ON check_in_revisions (submitted_at);
      CREATE FUNCTION check_in_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'check_in_revisions is append-only'; END $$;
      CREATE TRIGGER check_in_revisions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON check_in_revisions
        FOR EACH STATEMENT EXECUTE FUNCTION check_in_revisions_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER check_in_revisions_append_only ON check_in_revisions; DROP FUNCTION check_in_revisions_append_only();
      DROP INDEX check_in_revisions_submitted_idx; DROP INDEX audit_log_action_idx; DROP INDEX audit_log_user_idx;
      ALTER TABLE audit_log DROP COLUMN request_id, DROP COLUMN ip;
    `);
  }
}
