import type { EntityManager } from 'typeorm';
import { addWeeks } from '../../common/time/iso-week';
import { EvaluationResult, RESULTS } from '../cycles/evaluation.rules';
import { FLAG_SINCE_WEEK } from '../flags/flag-queries';
import type { ProvinceFigures, WeeklyFigures } from './reports.types';

type CountRow = Record<string, number> & { provinceCode: string; name: string };

const RESULT_COUNTS = (alias: string) => RESULTS.map((r) => `count(*) FILTER (WHERE ${alias}.result = '${r}')::int AS ${r}`).join(', ');

/**
 * Recomputes `report_weekly` for a week (all provinces, or those a partial re-evaluation
 * touched) from the evaluations just written, inside the evaluation's transaction: one grouped
 * scan per run, so every report afterwards reads at most 38 rows per week.
 */
export async function refreshWeeklyReport(tx: EntityManager, week: string, provinces: string[] | null, now: Date): Promise<void> {
  await tx.query(`DELETE FROM report_weekly WHERE week = $1 AND ($2::text[] IS NULL OR province_code = ANY($2))`, [week, provinces]);
  await tx.query(
    `WITH ev AS (
       SELECT e.province_code, min(e.week_start) AS week_start,
              count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected'))::int AS expected,
              count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.reported)::int AS reported,
              count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.on_time)::int AS on_time,
              count(*) FILTER (WHERE e.disputed)::int AS disputed,
              ${RESULT_COUNTS('e')}
         FROM evaluations e
        WHERE e.week = $1 AND ($2::text[] IS NULL OR e.province_code = ANY($2))
        GROUP BY e.province_code
     ), cr AS (
       -- Citizens' reports of visits in the week, counted where the MPP was evaluated that week.
       SELECT e.province_code, count(*)::int AS citizen_reports
         FROM citizen_reports r JOIN evaluations e ON e.mpp_id = r.mpp_id AND e.week = r.week
        WHERE r.week = $1 AND ($2::text[] IS NULL OR e.province_code = ANY($2))
        GROUP BY e.province_code
     ), fl AS (
       SELECT f.province_code, count(*)::int AS open_flags, count(*) FILTER (WHERE s.since_week < $3)::int AS older
         FROM flags f ${FLAG_SINCE_WEEK}
        WHERE f.state <> 'resolved' AND s.since_week <= $1 AND ($2::text[] IS NULL OR f.province_code = ANY($2))
        GROUP BY f.province_code
     )
     INSERT INTO report_weekly (week, week_start, province_code, expected, reported, on_time, ${RESULTS.join(', ')}, open_flags, flags_over_2_weeks,
                                disputed, citizen_reports, computed_at)
     SELECT $1, ev.week_start, ev.province_code, ev.expected, ev.reported, ev.on_time, ${RESULTS.map((r) => `ev.${r}`).join(', ')},
            coalesce(fl.open_flags, 0), coalesce(fl.older, 0), ev.disputed, coalesce(cr.citizen_reports, 0), $4
       FROM ev LEFT JOIN fl ON fl.province_code = ev.province_code LEFT JOIN cr ON cr.province_code = ev.province_code`,
    [week, provinces, addWeeks(week, -2), now],
  );
}

const FIGURE_COLUMNS = `sum(expected)::int AS expected, sum(reported)::int AS reported, sum(on_time)::int AS "onTime",
  ${RESULTS.map((r) => `sum(${r})::int AS ${r}`).join(', ')},
  sum(open_flags)::int AS "openFlags", sum(flags_over_2_weeks)::int AS "flagsOlderThan2Weeks",
  sum(disputed)::int AS disputed, sum(citizen_reports)::int AS "citizenReports"`;

/** One week per province (all, or one province) from `report_weekly`. */
export async function weeklyProvinceFigures(
  db: EntityManager,
  week: string,
  provinceCode: string | null = null,
): Promise<ProvinceFigures[]> {
  const rows: CountRow[] = await db.query(
    `SELECT rw.province_code AS "provinceCode", p.name, ${FIGURE_COLUMNS}
       FROM report_weekly rw JOIN provinces p ON p.code = rw.province_code
      WHERE rw.week = $1 AND ($2::text IS NULL OR rw.province_code = $2)
      GROUP BY rw.province_code, p.name ORDER BY rw.province_code`,
    [week, provinceCode],
  );
  return rows.map((r) => ({ provinceCode: r.provinceCode, name: r.name, ...toFigures(r) }));
}

/** The last `weeks` evaluated weeks, summed over all provinces or one; oldest first. */
export async function trendFigures(
  db: EntityManager,
  weeks: number,
  provinceCode: string | null,
): Promise<(WeeklyFigures & { week: string })[]> {
  const rows: (CountRow & { week: string })[] = await db.query(
    `SELECT rw.week, ${FIGURE_COLUMNS}
       FROM report_weekly rw
      WHERE rw.week IN (SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT $1)
        AND ($2::text IS NULL OR rw.province_code = $2)
      GROUP BY rw.week, rw.week_start ORDER BY rw.week_start`,
    [weeks, provinceCode],
  );
  return rows.map((r) => ({ week: r.week, ...toFigures(r) }));
}

/**
 * The same figures computed live from the evaluations of a few MPPs (a manager's): small sets
 * that `report_weekly`'s per-province rows cannot answer.
 */
export async function mppSetFigures(db: EntityManager, weeks: string[], mppIds: string[]): Promise<(ProvinceFigures & { week: string })[]> {
  const rows: (CountRow & { week: string })[] = await db.query(
    `SELECT e.week, e.province_code AS "provinceCode", p.name,
            count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected'))::int AS expected,
            count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.reported)::int AS reported,
            count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.on_time)::int AS "onTime",
            ${RESULT_COUNTS('e')},
            count(f.id)::int AS "openFlags",
            count(f.id) FILTER (WHERE s.since_week < to_char(e.week_start - 14, 'IYYY-"W"IW'))::int AS "flagsOlderThan2Weeks",
            count(*) FILTER (WHERE e.disputed)::int AS disputed,
            sum((SELECT count(*) FROM citizen_reports r WHERE r.mpp_id = e.mpp_id AND r.week = e.week))::int AS "citizenReports"
       FROM evaluations e JOIN provinces p ON p.code = e.province_code
       LEFT JOIN flags f ON f.mpp_id = e.mpp_id AND f.state <> 'resolved'
       LEFT JOIN LATERAL (SELECT coalesce(max(fe.week), f.opened_week) AS since_week FROM flag_events fe WHERE fe.flag_id = f.id AND fe.to_state = 'open') s ON f.id IS NOT NULL
      WHERE e.week = ANY($1::text[]) AND e.mpp_id = ANY($2::uuid[])
      GROUP BY e.week, e.week_start, e.province_code, p.name ORDER BY e.week_start, e.province_code`,
    [weeks, mppIds],
  );
  return rows.map((r) => ({ week: r.week, provinceCode: r.provinceCode, name: r.name, ...toFigures(r) }));
}

/** The most recent evaluated weeks, newest first (reports, coverage and pages show the latest). */
export async function recentEvaluatedWeeks(db: EntityManager, count: number): Promise<string[]> {
  const rows: { week: string }[] = await db.query(
    `SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT $1`,
    [count],
  );
  return rows.map((r) => r.week);
}

/** National totals: sums of the provinces, rates recomputed from the sums (never averaged). */
export function nationalFigures(parts: WeeklyFigures[]): WeeklyFigures {
  const sum = (f: (p: WeeklyFigures) => number) => parts.reduce((a, p) => a + f(p), 0);
  const counts = Object.fromEntries(RESULTS.map((r) => [r, sum((p) => p.counts[r])])) as Record<EvaluationResult, number>;
  return withRates({
    expected: sum((p) => p.expected),
    reported: sum((p) => p.reported),
    onTime: sum((p) => p.onTime),
    counts,
    openFlags: sum((p) => p.openFlags),
    flagsOlderThan2Weeks: sum((p) => p.flagsOlderThan2Weeks),
    disputed: sum((p) => p.disputed),
    citizenReports: sum((p) => p.citizenReports),
  });
}

function toFigures(r: Record<string, number>): WeeklyFigures {
  return withRates({
    expected: r.expected,
    reported: r.reported,
    onTime: r.onTime,
    counts: Object.fromEntries(RESULTS.map((x) => [x, r[x]])) as Record<EvaluationResult, number>,
    openFlags: r.openFlags,
    flagsOlderThan2Weeks: r.flagsOlderThan2Weeks,
    disputed: r.disputed,
    citizenReports: r.citizenReports,
  });
}

function withRates(f: Omit<WeeklyFigures, 'reportingRate' | 'onTimeRate'>): WeeklyFigures {
  return {
    expected: f.expected,
    reported: f.reported,
    onTime: f.onTime,
    reportingRate: f.expected ? f.reported / f.expected : null,
    onTimeRate: f.expected ? f.onTime / f.expected : null,
    counts: f.counts,
    openFlags: f.openFlags,
    flagsOlderThan2Weeks: f.flagsOlderThan2Weeks,
    disputed: f.disputed,
    citizenReports: f.citizenReports,
  };
}
