import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Weekly figures per province kept with each evaluation (reports read 38 rows, not 100k), the
 * formation stage of regencies without an MPP, and the append-only audit log.
 */
export class CreateReports1764300300000 implements MigrationInterface {
  name = 'CreateReports1764300300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_weekly (
        week                 text        NOT NULL,
        week_start           date        NOT NULL,
        province_code        varchar(2)  NOT NULL REFERENCES provinces(code),
        expected             integer     NOT NULL,
        reported             integer     NOT NULL,
        on_time              integer     NOT NULL,
        active               integer     NOT NULL,
        at_risk              integer     NOT NULL,
        inactive             integer     NOT NULL,
        not_reporting        integer     NOT NULL,
        excused              integer     NOT NULL,
        -- Flags as the evaluation left them: unresolved, and unresolved since two weeks or more.
        open_flags           integer     NOT NULL,
        flags_over_2_weeks   integer     NOT NULL,
        computed_at          timestamptz NOT NULL,
        PRIMARY KEY (week, province_code)
      );
      CREATE INDEX report_weekly_start_idx ON report_weekly (week_start DESC);

      INSERT INTO report_weekly
      SELECT e.week, min(e.week_start), e.province_code,
             count(*) FILTER (WHERE e.result <> 'excused'), count(*) FILTER (WHERE e.result <> 'excused' AND e.reported),
             count(*) FILTER (WHERE e.result <> 'excused' AND e.on_time),
             count(*) FILTER (WHERE e.result = 'active'), count(*) FILTER (WHERE e.result = 'at_risk'),
             count(*) FILTER (WHERE e.result = 'inactive'), count(*) FILTER (WHERE e.result = 'not_reporting'),
             count(*) FILTER (WHERE e.result = 'excused'), 0, 0, now()
        FROM evaluations e GROUP BY e.week, e.province_code;

      CREATE TABLE regency_formation (
        regency_code  varchar(5)  PRIMARY KEY REFERENCES regencies(code),
        stage         text        NOT NULL CHECK (stage IN ('none', 'committed', 'preparing')),
        stage_date    date,
        note          text,
        updated_by    uuid        REFERENCES users(id),
        updated_at    timestamptz NOT NULL
      );

      -- Who changed what, when, before and after. Append-only: the database itself refuses
      -- UPDATE and DELETE, whatever the application does.
      CREATE TABLE audit_log (
        id         bigserial   PRIMARY KEY,
        at         timestamptz NOT NULL DEFAULT now(),
        user_id    uuid,
        user_email text,
        role       text,
        action     text        NOT NULL,
        entity     text        NOT NULL,
        entity_id  text,
        before     jsonb,
        after      jsonb
      );
      CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);
      CREATE INDEX audit_log_at_idx ON audit_log (at);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log; DROP FUNCTION audit_log_append_only();
      DROP TABLE regency_formation; DROP TABLE report_weekly;
    `);
  }
}
