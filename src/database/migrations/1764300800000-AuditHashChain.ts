import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each audit record is chained to the one before it: `hash = sha256(prev_hash || the record)`, in
 * `seq` order, assigned under a lock so the order is the commit order. Rewriting or deleting a
 * record (by someone able to lift the append-only trigger) breaks the chain from there on, and
 * `npm run audit:verify` names the first broken link. Existing records are chained here in id order.
 */
export class AuditHashChain1764300800000 implements MigrationInterface {
  name = 'AuditHashChain1764300800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_log ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

      -- The record as hashed: every column but the chain's own, in a text form that does not
      -- depend on the session (time as epoch microseconds, jsonb in its normal form).
      CREATE FUNCTION audit_log_canonical(a audit_log) RETURNS bytea LANGUAGE sql STABLE AS $$
        SELECT convert_to(concat_ws(E'\\x1f', a.seq::text, a.id::text, (extract(epoch FROM a.at) * 1000000)::bigint::text,
                                   coalesce(a.user_id::text, ''), coalesce(a.user_email, ''), coalesce(a.role, ''),
                                   a.action, a.entity, coalesce(a.entity_id, ''), coalesce(a.before::text, ''),
                                   coalesce(a.after::text, ''), coalesce(a.ip, ''), coalesce(a.request_id, '')), 'UTF8')
      $$;

      CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE last audit_log;
        BEGIN
          -- One writer at a time until commit: the chain's order is the order records became visible.
          PERFORM pg_advisory_xact_lock(727002);
          SELECT * INTO last FROM audit_log ORDER BY seq DESC NULLS LAST LIMIT 1;
          NEW.seq := coalesce(last.seq, 0) + 1;
          NEW.prev_hash := last.hash;
          NEW.hash := sha256(coalesce(last.hash, '\\x'::bytea) || audit_log_canonical(NEW));
          RETURN NEW;
        END $$;

      ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
      DO $$
        DECLARE r audit_log; prev bytea; n bigint := 0;
        BEGIN
          FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
            n := n + 1;
            r.seq := n;
            UPDATE audit_log SET seq = n, prev_hash = prev, hash = sha256(coalesce(prev, '\\x'::bytea) || audit_log_canonical(r))
             WHERE id = r.id RETURNING hash INTO prev;
          END LOOP;
        END $$;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;

      ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
      CREATE UNIQUE INDEX audit_log_seq_idx ON audit_log (seq);
      CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER audit_log_chain ON audit_log; DROP FUNCTION audit_log_chain();
      DROP INDEX audit_log_seq_idx; DROP FUNCTION audit_log_canonical(audit_log);
      ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN seq;
    `);
  }
}
