import { DataSource } from 'typeorm';
import { addWeeks, cycleTimes, mondayOf } from '../src/common/time/iso-week';
import { refreshWeeklyReport } from '../src/modules/reports/report-weekly.repository';
import { hashPassword } from '../src/modules/users/passwords';
import { dataSourceOptions } from '../src/database/data-source';
import { prepareDatabase } from '../src/prepare-database';
import { generateNationalData, loadWithoutKeys } from './national-data';
import { benchDatabase } from './support';

export const LAST_WEEK = '2026-W47';
export const WEEKS = 52;
export const PASSWORD = 'Bench-Password-2026!';
/** Nusa Tenggara Timur: ~4,300 of 100,000 MPPs (22 regencies of 514), the bureau the pages are opened as. */
export const BUREAU_PROVINCE = '53';
export const LOGINS = {
  ministry: 'ministry@bench.local',
  bureau: `biro.${BUREAU_PROVINCE}@bench.local`,
  manager: 'pengelola@bench.local',
} as const;

/** Tenants every generated MPP hosts: three national agencies and one name no agency matches. */
const TENANTS: [string, string | null][] = [
  ['Disdukcapil', 'DISDUKCAPIL'],
  ['Polres', 'POLRI'],
  ['Samsat', 'SAMSAT'],
  ['Koperasi Setempat', null],
];

/**
 * 52 weeks of national data for the read paths: check-ins from the generator, evaluations derived
 * set-based from them (the evaluation's own speed is the evaluation scenario's business), 2% of
 * MPPs flagged (some with an action), four tenants per MPP, the per-province weekly rows built by
 * the app's own refreshWeeklyReport, and a ministry user, NTT's bureau and a manager of three NTT MPPs.
 */
export async function prepareReadData(db: DataSource, mpps: number): Promise<number> {
  const started = performance.now();
  await generateNationalData(db, mpps, LAST_WEEK, WEEKS - 1);
  const weeks = Array.from({ length: WEEKS }, (_, k) => addWeeks(LAST_WEEK, k - (WEEKS - 1)));
  await db.query(
    `INSERT INTO cycles (week, week_start, starts_at, deadline_wib, evaluate_due_at, evaluated_at, evaluation_runs, locks_at)
     SELECT w, d, s, dl, dl, dl, 1, dl FROM unnest($1::text[], $2::date[], $3::timestamptz[], $4::timestamptz[]) AS t(w, d, s, dl)`,
    [weeks, weeks.map(mondayOf), weeks.map((w) => cycleTimes(w).startsAt), weeks.map((w) => cycleTimes(w).deadlineWib)],
  );
  await loadWithoutKeys(db, 'evaluations', () =>
    db.query(
      `INSERT INTO evaluations (week, week_start, evaluated_at, mpp_id, province_code, result, rules, expected_days, reported, on_time, not_reporting_streak)
     SELECT c.week, c.week_start, c.deadline_wib, m.id, m.province_code,
            CASE WHEN ci.mpp_id IS NULL THEN 'not_reporting' WHEN ci.status = 'not_operating' THEN 'inactive'
                 WHEN ci.days_open < 5 THEN 'at_risk' ELSE 'active' END,
            CASE WHEN ci.mpp_id IS NULL THEN '{not_reporting}'::text[] ELSE '{}'::text[] END,
            5, ci.mpp_id IS NOT NULL, ci.mpp_id IS NOT NULL AND NOT ci.late, CASE WHEN ci.mpp_id IS NULL THEN 1 ELSE 0 END
       FROM cycles c CROSS JOIN mpps m LEFT JOIN check_ins ci ON ci.mpp_id = m.id AND ci.week = c.week`,
    ),
  );
  await db.query(
    `INSERT INTO mpp_tenants (mpp_id, position, name, services, agency_code)
     SELECT m.id, t.position, t.name, '{Layanan}', t.agency_code
       FROM mpps m CROSS JOIN unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(name, agency_code, position)`,
    [TENANTS.map(([name]) => name), TENANTS.map(([, code]) => code)],
  );
  await db.query(
    `WITH f AS (
       INSERT INTO flags (mpp_id, province_code, state, opened_week, opened_at, last_week, rules, updated_at, first_emailed_at, respond_by)
       SELECT id, province_code, 'open', $1, now(), $1, '{not_reporting_consecutive}', now(), now() - interval '9 days', now() - interval '5 days'
         FROM mpps WHERE abs(hashtext(id::text || 'f')) % 50 = 0
                      -- and always one of the bureau's province, whose flag the read paths open (ids are random:
                      -- the quick run's ~85 MPPs there drew none about one run in six)
                      OR id = (SELECT id FROM mpps WHERE province_code = $2 ORDER BY id LIMIT 1)
       RETURNING id
     ), e AS (
       INSERT INTO flag_events (flag_id, to_state, by_name, at, week, note) SELECT id, 'open', 'Sistem', now(), $1, 'bench' FROM f
     ) INSERT INTO flag_actions (flag_id, kind, note, target_date, by_name, at)
       SELECT id, 'phone_clarification', 'Menelepon pengelola', current_date - 2, 'Biro Organisasi', now() FROM f`,
    [addWeeks(LAST_WEEK, -3), BUREAU_PROVINCE],
  );
  for (const week of weeks) await db.transaction((tx) => refreshWeeklyReport(tx, week, null, new Date()));
  const hash = await hashPassword(PASSWORD);
  await db.query(
    `INSERT INTO users (email, name, password_hash, role, province_code)
     VALUES ($1, 'Kementerian', $4, 'ministry', NULL), ($2, 'Biro Organisasi', $4, 'bureau', $5), ($3, 'Pengelola', $4, 'manager', NULL)`,
    [LOGINS.ministry, LOGINS.bureau, LOGINS.manager, hash, BUREAU_PROVINCE],
  );
  await db.query(
    `INSERT INTO mpp_managers (user_id, mpp_id)
     SELECT u.id, m.id FROM users u, (SELECT id FROM mpps WHERE province_code = $2 ORDER BY name LIMIT 3) m WHERE u.email = $1`,
    [LOGINS.manager, BUREAU_PROVINCE],
  );
  await addRevisionsOfManagedMpps(db);
  // The registry's tables as autovacuum leaves them in a running system (visibility map set, so
  // index-only scans read no heap); the big tables are analyzed only (a VACUUM of them takes minutes).
  await db.query('VACUUM ANALYZE mpps, mpp_tenants');
  await db.query('ANALYZE');
  return Math.round(performance.now() - started);
}

/**
 * The generated check-ins are stored without their revision history (millions of rows no read
 * path needs); the manager's MPPs get theirs, two revisions a week, as the API would have kept them.
 */
export async function addRevisionsOfManagedMpps(db: DataSource): Promise<void> {
  await db.query(
    `INSERT INTO check_in_revisions (mpp_id, week, revision, days_open, tenants_serving, counters_open, visitors, transactions,
                                     channel_direct, channel_mobile, channel_self, channel_electronic, status, closure_reason,
                                     problems, late, submitted_at, submitted_by)
     SELECT c.mpp_id, c.week, r.n, c.days_open, c.tenants_serving, c.counters_open, c.visitors - (2 - r.n) * 10, c.transactions,
            c.channel_direct, c.channel_mobile, c.channel_self, c.channel_electronic, c.status, c.closure_reason,
            c.problems, c.late, c.submitted_at - (2 - r.n) * interval '1 hour', c.submitted_by
       FROM check_ins c JOIN mpp_managers mm ON mm.mpp_id = c.mpp_id JOIN users u ON u.id = mm.user_id AND u.email = $1
       CROSS JOIN generate_series(1, 2) AS r(n)
     ON CONFLICT DO NOTHING`,
    [LOGINS.manager],
  );
  await db.query(
    `UPDATE check_ins c SET revision = 2 FROM mpp_managers mm JOIN users u ON u.id = mm.user_id AND u.email = $1 WHERE c.mpp_id = mm.mpp_id`,
    [LOGINS.manager],
  );
}

export interface ReadDatabase {
  url: string;
  /** null when the data was prepared before (BENCH_READS_DB). */
  prepareMs: number | null;
}

let shared: { mpps: number; database: Promise<ReadDatabase>; release(): Promise<void> } | undefined;

/**
 * The read paths' data, prepared once per run and shared by the scenarios that read it (the
 * reports and the public status): preparing 100,000 MPPs × 52 weeks takes minutes.
 * `BENCH_READS_DB=<url>` measures a database prepared before (by a run with `BENCH_READS_KEEP=1`,
 * which keeps it and prints its URL), for working on one read path without waiting for the data.
 */
export function sharedReadDatabase(mpps: number): Promise<ReadDatabase> {
  if (shared && shared.mpps === mpps) return shared.database;
  if (shared) throw new Error(`the read data was prepared for ${shared.mpps} MPPs, not ${mpps}`);
  const reuse = process.env.BENCH_READS_DB;
  if (reuse) {
    const database = (async () => {
      await prepareDatabase(reuse, { log: () => undefined }); // migrations added since it was kept
      const db = new DataSource({ ...dataSourceOptions(reuse), extra: { max: 1 } });
      await db.initialize();
      await addRevisionsOfManagedMpps(db).finally(() => db.destroy());
      return { url: reuse, prepareMs: null };
    })();
    shared = { mpps, database, release: async () => undefined };
    return database;
  }
  let drop: () => Promise<void> = async () => undefined;
  const database = (async () => {
    const created = await benchDatabase('reads');
    const keep = process.env.BENCH_READS_KEEP === '1';
    drop = async () => (keep ? undefined : (await created.drop(), await created.stop()));
    const db = new DataSource({ ...dataSourceOptions(created.url), extra: { max: 4 } });
    await db.initialize();
    try {
      const prepareMs = await prepareReadData(db, mpps);
      if (keep) console.log(`Kept the read-path database: BENCH_READS_DB=${created.url}`);
      return { url: created.url, prepareMs };
    } finally {
      await db.destroy();
    }
  })();
  shared = { mpps, database, release: () => drop() };
  return database;
}

/** Drops the shared read data (run.ts, once every scenario has run). */
export async function releaseReadDatabase(): Promise<void> {
  await shared?.release();
  shared = undefined;
}
