import { MigrationInterface, QueryRunner } from 'typeorm';
import { OFFICIAL_HOLIDAYS } from '../../modules/calendar/official-holidays';
import { DEFAULT_SETTINGS } from '../../modules/cycles/evaluation.rules';

/** Weekly cycles, check-ins with revisions, planned closures, holidays, evaluations and flags. */
export class CreateWeeklyCycle1764300100000 implements MigrationInterface {
  name = 'CreateWeeklyCycle1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Registered tenants, kept with the MPP so evaluating 100k MPPs needs no aggregate over tenants.
      ALTER TABLE mpps ADD COLUMN tenant_count integer NOT NULL DEFAULT 0;
      UPDATE mpps m SET tenant_count = (SELECT count(*) FROM mpp_tenants t WHERE t.mpp_id = m.id);

      CREATE TABLE holidays (
        date        date        PRIMARY KEY,
        kind        text        NOT NULL CHECK (kind IN ('national', 'cuti_bersama')),
        name        text        NOT NULL,
        created_by  uuid        REFERENCES users(id),
        created_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE planned_closures (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        mpp_id      uuid        NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        from_date   date        NOT NULL,
        to_date     date        NOT NULL,
        kind        text        NOT NULL CHECK (kind IN ('renovation', 'disaster', 'holiday', 'other')),
        reason      text        NOT NULL,
        created_by  uuid        NOT NULL REFERENCES users(id),
        created_at  timestamptz NOT NULL,
        CHECK (from_date <= to_date)
      );
      CREATE INDEX planned_closures_mpp_idx ON planned_closures (mpp_id, from_date, to_date);

      -- One row per ISO week. Due times live here so a restart catches up on what it missed.
      CREATE TABLE cycles (
        week              text        PRIMARY KEY,
        week_start        date        NOT NULL UNIQUE,
        starts_at         timestamptz NOT NULL,
        deadline_wib      timestamptz NOT NULL,
        evaluate_due_at   timestamptz NOT NULL,
        evaluated_at      timestamptz,
        evaluation_runs   integer     NOT NULL DEFAULT 0,
        last_run_at       timestamptz,
        locks_at          timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX cycles_due_idx ON cycles (evaluate_due_at) WHERE evaluated_at IS NULL;

      CREATE TABLE check_ins (
        mpp_id              uuid        NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        week                text        NOT NULL,
        week_start          date        NOT NULL,
        revision            integer     NOT NULL,
        days_open           smallint    NOT NULL CHECK (days_open BETWEEN 0 AND 7),
        tenants_serving     integer     NOT NULL CHECK (tenants_serving >= 0),
        counters_open       integer     NOT NULL CHECK (counters_open >= 0),
        visitors            integer     NOT NULL CHECK (visitors >= 0),
        transactions        integer     NOT NULL CHECK (transactions >= 0),
        channel_direct      boolean     NOT NULL,
        channel_mobile      boolean     NOT NULL,
        channel_self        boolean     NOT NULL,
        channel_electronic  boolean     NOT NULL,
        status              text        NOT NULL CHECK (status IN ('normal', 'partial', 'temporarily_closed', 'not_operating')),
        closure_reason      text,
        problems            text,
        -- the week's report arrived after the MPP's own deadline (its first revision did)
        late                boolean     NOT NULL,
        first_submitted_at  timestamptz NOT NULL,
        submitted_at        timestamptz NOT NULL,
        submitted_by        uuid        NOT NULL REFERENCES users(id),
        PRIMARY KEY (mpp_id, week)
      );
      CREATE INDEX check_ins_week_idx ON check_ins (week_start, mpp_id);

      CREATE TABLE check_in_revisions (
        mpp_id              uuid        NOT NULL,
        week                text        NOT NULL,
        revision            integer     NOT NULL,
        days_open           smallint    NOT NULL,
        tenants_serving     integer     NOT NULL,
        counters_open       integer     NOT NULL,
        visitors            integer     NOT NULL,
        transactions        integer     NOT NULL,
        channel_direct      boolean     NOT NULL,
        channel_mobile      boolean     NOT NULL,
        channel_self        boolean     NOT NULL,
        channel_electronic  boolean     NOT NULL,
        status              text        NOT NULL,
        closure_reason      text,
        problems            text,
        late                boolean     NOT NULL,
        submitted_at        timestamptz NOT NULL,
        submitted_by        uuid        NOT NULL REFERENCES users(id),
        PRIMARY KEY (mpp_id, week, revision),
        FOREIGN KEY (mpp_id, week) REFERENCES check_ins (mpp_id, week) ON DELETE CASCADE
      );

      CREATE TABLE evaluations (
        -- no foreign key to cycles: every run writes a whole week of rows and each key check costs
        week                  text        NOT NULL,
        mpp_id                uuid        NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        week_start            date        NOT NULL,
        province_code         varchar(2)  NOT NULL,
        result                text        NOT NULL CHECK (result IN ('active', 'at_risk', 'inactive', 'not_reporting', 'excused')),
        rules                 text[]      NOT NULL,
        expected_days         smallint    NOT NULL,
        reported              boolean     NOT NULL,
        on_time               boolean     NOT NULL,
        not_reporting_streak  integer     NOT NULL,
        evaluated_at          timestamptz NOT NULL,
        PRIMARY KEY (week, mpp_id)
      );
      CREATE INDEX evaluations_mpp_idx ON evaluations (mpp_id, week_start);
      CREATE INDEX evaluations_week_province_idx ON evaluations (week, province_code, result);

      CREATE TABLE flags (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        mpp_id         uuid        NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        province_code  varchar(2)  NOT NULL,
        state          text        NOT NULL CHECK (state IN ('open', 'acknowledged', 'in_follow_up', 'resolved')),
        opened_week    text        NOT NULL,
        opened_at      timestamptz NOT NULL,
        reopened_week  text,
        last_week      text        NOT NULL,
        rules          text[]      NOT NULL,
        updated_at     timestamptz NOT NULL
      );
      -- One unresolved flag per MPP, carried across weeks.
      CREATE UNIQUE INDEX flags_one_unresolved_idx ON flags (mpp_id) WHERE state <> 'resolved';
      CREATE INDEX flags_province_state_idx ON flags (province_code, state);

      CREATE TABLE flag_events (
        id          bigserial   PRIMARY KEY,
        flag_id     uuid        NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
        from_state  text,
        to_state    text        NOT NULL,
        by_user     uuid        REFERENCES users(id),
        by_name     text        NOT NULL,
        at          timestamptz NOT NULL,
        week        text,
        note        text        NOT NULL
      );
      CREATE INDEX flag_events_flag_idx ON flag_events (flag_id, id);

      CREATE TABLE settings (
        key         text        PRIMARY KEY,
        value       jsonb       NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        updated_by  uuid        REFERENCES users(id)
      );
      -- Append-only record of every change to a setting.
      CREATE TABLE settings_audit (
        id          bigserial   PRIMARY KEY,
        key         text        NOT NULL,
        before      jsonb,
        after       jsonb       NOT NULL,
        by_user     uuid        REFERENCES users(id),
        at          timestamptz NOT NULL DEFAULT now()
      );
    `);
    await q.query(
      `INSERT INTO holidays (date, kind, name) SELECT * FROM unnest($1::date[], $2::text[], $3::text[])`,
      [OFFICIAL_HOLIDAYS.map((h) => h[0]), OFFICIAL_HOLIDAYS.map((h) => h[1]), OFFICIAL_HOLIDAYS.map((h) => h[2])],
    );
    await q.query(`INSERT INTO settings (key, value) VALUES ('evaluation', $1)`, [JSON.stringify(DEFAULT_SETTINGS)]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE settings_audit; DROP TABLE settings; DROP TABLE flag_events; DROP TABLE flags;
      DROP TABLE evaluations; DROP TABLE check_in_revisions; DROP TABLE check_ins; DROP TABLE cycles;
      DROP TABLE planned_closures; DROP TABLE holidays; ALTER TABLE mpps DROP COLUMN tenant_count;
    `);
  }
}
