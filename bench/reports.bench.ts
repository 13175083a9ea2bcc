import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { addWeeks, cycleTimes, mondayOf } from '../src/common/time/iso-week';
import { refreshWeeklyReport } from '../src/modules/reports/weekly-figures';
import { hashPassword } from '../src/modules/users/passwords';
import { load, LoadResult, startAppProcess } from './http-load';
import { generateNationalData } from './national-data';
import { benchDatabase, ScenarioResult } from './support';

export const LAST_WEEK = '2026-W47';
const WEEKS = 52;
const CLIENTS = 20;
const PASSWORD = 'Bench-Password-2026!';

/**
 * 52 weeks of national data: check-ins from the generator, evaluations derived set-based from them
 * (the evaluation's own speed is the evaluation scenario's business), some open flags, and the
 * per-province weekly rows built by the app's own refreshWeeklyReport.
 */
export async function prepare(db: DataSource, mpps: number): Promise<number> {
  const started = performance.now();
  await generateNationalData(db, mpps, LAST_WEEK, WEEKS - 1);
  const weeks = Array.from({ length: WEEKS }, (_, k) => addWeeks(LAST_WEEK, k - (WEEKS - 1)));
  await db.query(
    `INSERT INTO cycles (week, week_start, starts_at, deadline_wib, evaluate_due_at, evaluated_at, evaluation_runs, locks_at)
     SELECT w, d, s, dl, dl, dl, 1, dl FROM unnest($1::text[], $2::date[], $3::timestamptz[], $4::timestamptz[]) AS t(w, d, s, dl)`,
    [weeks, weeks.map(mondayOf), weeks.map((w) => cycleTimes(w).startsAt), weeks.map((w) => cycleTimes(w).deadlineWib)],
  );
  await db.query(
    `INSERT INTO evaluations (week, week_start, evaluated_at, mpp_id, province_code, result, rules, expected_days, reported, on_time, not_reporting_streak)
     SELECT c.week, c.week_start, c.deadline_wib, m.id, m.province_code,
            CASE WHEN ci.mpp_id IS NULL THEN 'not_reporting' WHEN ci.status = 'not_operating' THEN 'inactive'
                 WHEN ci.days_open < 5 THEN 'at_risk' ELSE 'active' END,
            CASE WHEN ci.mpp_id IS NULL THEN '{not_reporting}'::text[] ELSE '{}'::text[] END,
            5, ci.mpp_id IS NOT NULL, ci.mpp_id IS NOT NULL AND NOT ci.late, CASE WHEN ci.mpp_id IS NULL THEN 1 ELSE 0 END
       FROM cycles c CROSS JOIN mpps m LEFT JOIN check_ins ci ON ci.mpp_id = m.id AND ci.week = c.week`,
  );
  await db.query(
    `WITH f AS (
       INSERT INTO flags (mpp_id, province_code, state, opened_week, opened_at, last_week, rules, updated_at)
       SELECT id, province_code, 'open', $1, now(), $1, '{not_reporting_consecutive}', now() FROM mpps WHERE abs(hashtext(id::text || 'f')) % 50 = 0
       RETURNING id
     ) INSERT INTO flag_events (flag_id, to_state, by_name, at, week, note) SELECT id, 'open', 'Sistem', now(), $1, 'bench' FROM f`,
    [addWeeks(LAST_WEEK, -3)],
  );
  for (const week of weeks) await db.transaction((tx) => refreshWeeklyReport(tx, week, null, new Date()));
  await db.query(`INSERT INTO users (email, name, password_hash, role) VALUES ('ministry@bench.local', 'Kementerian', $1, 'ministry')`, [
    await hashPassword(PASSWORD),
  ]);
  await db.query('ANALYZE');
  return Math.round(performance.now() - started);
}

export async function reportsScenario(quick: boolean): Promise<ScenarioResult> {
  const mpps = quick ? 2_000 : 100_000;
  const seconds = quick ? 4 : 10;
  const database = await benchDatabase('reports');
  const db = new DataSource({ ...dataSourceOptions(database.url), extra: { max: 4 } });
  await db.initialize();
  const port = 3900 + Math.floor(Math.random() * 90);
  let app: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  try {
    const prepareMs = await prepare(db, mpps);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM check_ins`);
    app = await startAppProcess({ DATABASE_URL: database.url, APP_MODE: 'api' }, port);
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ministry@bench.local', password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    const run = (path: string) => load(`${base}${path}`, headers, CLIENTS, seconds);
    // Warm-up: connection pools, JIT, PostgreSQL's cache.
    await load(`${base}/api/v1/reports/weekly/${LAST_WEEK}`, headers, CLIENTS, 2);
    const weekly = await run(`/api/v1/reports/weekly/${LAST_WEEK}`);
    const trend = await run(`/api/v1/reports/trend?weeks=12`);
    const trend52 = await run(`/api/v1/reports/trend?weeks=52`);
    const csv = await run(`/api/v1/reports/weekly/${LAST_WEEK}?format=csv`);
    const province = await run(`/api/v1/reports/weekly/${LAST_WEEK}?province=53`);
    const figure = (name: string, r: LoadResult, target = true) => [
      {
        name: `${name}: p95`,
        value: r.p95,
        unit: 'ms',
        ...(target && !quick ? { target: '≤ 100 ms', met: r.p95 <= 100 && r.errors === 0 } : {}),
      },
      { name: `${name}: p50 / p99`, value: `${r.p50} / ${r.p99}`, unit: 'ms' },
      { name: `${name}: throughput`, value: r.perSecond, unit: `req/s (${r.requests} requests, ${r.errors} errors)` },
    ];
    return {
      scenario: 'Reports at national scale',
      description:
        `${mpps.toLocaleString('en')} MPPs × ${WEEKS} weeks (${n.toLocaleString('en')} check-ins, the same number of evaluations, 2% of MPPs flagged), ` +
        `the built app in its own process (APP_MODE=api), ${CLIENTS} concurrent HTTP clients for ${seconds} s per endpoint, signed in as a ministry user. ` +
        "Evaluations are derived set-based from the check-ins (the evaluation scenario measures the real one); the per-province weekly rows are built by the app's own code.",
      figures: [
        ...figure(`weekly report ${LAST_WEEK} (national, JSON)`, weekly),
        ...figure('trend, 12 weeks', trend),
        ...figure('trend, 52 weeks', trend52, false),
        ...figure('weekly report as CSV', csv, false),
        ...figure('weekly report of one province (NTT) with its MPP rows', province, false),
      ],
      notes: [`data preparation ${Math.round(prepareMs / 1000)} s`],
    };
  } finally {
    await app?.stop();
    await db.destroy();
    await database.drop();
    await database.stop();
  }
}
