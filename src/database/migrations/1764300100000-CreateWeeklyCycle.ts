import { MigrationInterface, QueryRunner } from 'typeorm';

// Migrations hold literal values: what this migration seeded on the day it was written, so that it
// means the same thing whatever the live code's defaults become later.
const DEFAULT_SETTINGS = {
  notReportingWeeksForInactive: 2,
  minTenantsServingRatio: 0.5,
  maxTransactionsDrop: 0.5,
  medianWeeks: 4,
  medianMinWeeks: 2,
  correctionDays: 7,
  reminderHoursBeforeDeadline: 4,
  reEscalateAfterWeeks: 1,
};

/**
 * Official national holidays and cuti bersama, seeded here once; admins extend the list
 * (e.g. 2027's cuti bersama once its joint decree is out) through the holidays API.
 *
 * 2025: SKB 1017/2024, 2/2024, 2/2024. 2026: SKB 1497/2025, 2/2025, 5/2025 (shared/data).
 * 2027: only the dates fixed by law or by the Gregorian Easter computation. Lunar and Saka dates
 * (Isra Mikraj, Idul Fitri, Idul Adha, 1 Muharam, Maulid, Nyepi, Waisak, Imlek) and every cuti
 * bersama wait for the 2027 decree: the date-holidays package was tried and rejected, its
 * Indonesian rules put Idul Fitri 2026 a day early and label Isra Mikraj as Maulid.
 */
const OFFICIAL_HOLIDAYS: [date: string, kind: 'national' | 'cuti_bersama', name: string][] = [
  ['2025-01-01', 'national', 'Tahun Baru 2025 Masehi'],
  ['2025-01-27', 'national', 'Isra Mikraj Nabi Muhammad SAW'],
  ['2025-01-28', 'cuti_bersama', 'Cuti bersama Tahun Baru Imlek'],
  ['2025-01-29', 'national', 'Tahun Baru Imlek 2576 Kongzili'],
  ['2025-03-28', 'cuti_bersama', 'Cuti bersama Hari Suci Nyepi'],
  ['2025-03-29', 'national', 'Hari Suci Nyepi (Tahun Baru Saka 1947)'],
  ['2025-03-31', 'national', 'Idul Fitri 1446 Hijriah'],
  ['2025-04-01', 'national', 'Idul Fitri 1446 Hijriah'],
  ['2025-04-02', 'cuti_bersama', 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-03', 'cuti_bersama', 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-04', 'cuti_bersama', 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-07', 'cuti_bersama', 'Cuti bersama Idul Fitri 1446 Hijriah'],
  ['2025-04-18', 'national', 'Wafat Yesus Kristus'],
  ['2025-04-20', 'national', 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2025-05-01', 'national', 'Hari Buruh Internasional'],
  ['2025-05-12', 'national', 'Hari Raya Waisak 2569 BE'],
  ['2025-05-13', 'cuti_bersama', 'Cuti bersama Hari Raya Waisak'],
  ['2025-05-29', 'national', 'Kenaikan Yesus Kristus'],
  ['2025-05-30', 'cuti_bersama', 'Cuti bersama Kenaikan Yesus Kristus'],
  ['2025-06-01', 'national', 'Hari Lahir Pancasila'],
  ['2025-06-06', 'national', 'Idul Adha 1446 Hijriah'],
  ['2025-06-09', 'cuti_bersama', 'Cuti bersama Idul Adha 1446 Hijriah'],
  ['2025-06-27', 'national', '1 Muharam Tahun Baru Islam 1447 Hijriah'],
  ['2025-08-17', 'national', 'Proklamasi Kemerdekaan'],
  ['2025-09-05', 'national', 'Maulid Nabi Muhammad SAW'],
  ['2025-12-25', 'national', 'Kelahiran Yesus Kristus'],
  ['2025-12-26', 'cuti_bersama', 'Cuti bersama Kelahiran Yesus Kristus'],
  ['2026-01-01', 'national', 'Tahun Baru 2026 Masehi'],
  ['2026-01-16', 'national', 'Isra Mikraj Nabi Muhammad SAW'],
  ['2026-02-16', 'cuti_bersama', 'Cuti bersama Tahun Baru Imlek'],
  ['2026-02-17', 'national', 'Tahun Baru Imlek 2577 Kongzili'],
  ['2026-03-18', 'cuti_bersama', 'Cuti bersama Hari Suci Nyepi'],
  ['2026-03-19', 'national', 'Hari Suci Nyepi (Tahun Baru Saka 1948)'],
  ['2026-03-20', 'cuti_bersama', 'Cuti bersama Idul Fitri 1447 Hijriah'],
  ['2026-03-21', 'national', 'Idul Fitri 1447 Hijriah'],
  ['2026-03-22', 'national', 'Idul Fitri 1447 Hijriah'],
  ['2026-03-23', 'cuti_bersama', 'Cuti bersama Idul Fitri 1447 Hijriah'],
  ['2026-03-24', 'cuti_bersama', 'Cuti bersama Idul Fitri 1447 Hijriah'],
  ['2026-04-03', 'national', 'Wafat Yesus Kristus'],
  ['2026-04-05', 'national', 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2026-05-01', 'national', 'Hari Buruh Internasional'],
  ['2026-05-14', 'national', 'Kenaikan Yesus Kristus'],
  ['2026-05-15', 'cuti_bersama', 'Cuti bersama Kenaikan Yesus Kristus'],
  ['2026-05-27', 'national', 'Idul Adha 1447 Hijriah'],
  ['2026-05-28', 'cuti_bersama', 'Cuti bersama Idul Adha 1447 Hijriah'],
  ['2026-05-31', 'national', 'Hari Raya Waisak 2570 BE'],
  ['2026-06-01', 'national', 'Hari Lahir Pancasila'],
  ['2026-06-16', 'national', '1 Muharam Tahun Baru Islam 1448 Hijriah'],
  ['2026-08-17', 'national', 'Proklamasi Kemerdekaan'],
  ['2026-08-25', 'national', 'Maulid Nabi Muhammad SAW'],
  ['2026-12-24', 'cuti_bersama', 'Cuti bersama Kelahiran Yesus Kristus'],
  ['2026-12-25', 'national', 'Kelahiran Yesus Kristus'],
  ['2027-01-01', 'national', 'Tahun Baru 2027 Masehi'],
  ['2027-03-26', 'national', 'Wafat Yesus Kristus'],
  ['2027-03-28', 'national', 'Kebangkitan Yesus Kristus (Paskah)'],
  ['2027-05-01', 'national', 'Hari Buruh Internasional'],
  ['2027-05-06', 'national', 'Kenaikan Yesus Kristus'],
  ['2027-06-01', 'national', 'Hari Lahir Pancasila'],
  ['2027-08-17', 'national', 'Proklamasi Kemerdekaan'],
  ['2027-12-25', 'national', 'Kelahiran Yesus Kristus'],
];

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
    await q.query(`INSERT INTO holidays (date, kind, name) SELECT * FROM unnest($1::date[], $2::text[], $3::text[])`, [
      OFFICIAL_HOLIDAYS.map((h) => h[0]),
      OFFICIAL_HOLIDAYS.map((h) => h[1]),
      OFFICIAL_HOLIDAYS.map((h) => h[2]),
    ]);
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
