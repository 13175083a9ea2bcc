import { addWeeks, IsoWeek, mondayOf } from '../../common/time/iso-week';
import { NamedUnnest } from '../../database/named-unnest';

/**
 * The evaluation's statements (it owns `evaluations`): the one input query over every MPP, and
 * the bulk write of the rules' results with named columns.
 */

/**
 * Settings for the run's transaction. JIT compiling the input query at 100,000 MPPs cost about a
 * second on a server built with LLVM (EXPLAIN ANALYZE: 0.9-1.2 s of "JIT Timing" in ~5 s), for a
 * statement run once a week; the sort by MPP spilled to disk at the default work_mem.
 */
export const EVALUATION_SESSION = [`SET LOCAL jit = off`, `SET LOCAL work_mem = '64MB'`];

/** $1 week, $2 its Monday, $3 the previous week, $4 days of transaction history, $5 MPP filter or null. */
export function evaluationInputParams(week: IsoWeek, medianWeeks: number, mppIds: string[] | null): unknown[] {
  return [week, mondayOf(week), addWeeks(week, -1), medianWeeks * 7, mppIds];
}

// $1 week, $2 its Monday, $3 the previous week, $4 days of transaction history, $5 MPP filter or null.
export const EVALUATION_INPUT_SQL = `
  SELECT m.id, m.province_code AS "provinceCode", m.opening_days AS "openingDays",
         to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn", m.tenant_count AS "registeredTenants",
         ci.days_open AS "daysOpen", ci.tenants_serving AS "tenantsServing", ci.visitors, ci.transactions, ci.status, ci.late,
         prev.not_reporting_streak AS "prevStreak", h.history, cl.days AS "closureDates",
         cr.reports AS "citizenClosedReports", sg.mpp_id IS NOT NULL AS "hasSignalSource", sg.days AS "signalDays"
    FROM mpps m
    LEFT JOIN check_ins ci ON ci.mpp_id = m.id AND ci.week = $1
    LEFT JOIN evaluations prev ON prev.mpp_id = m.id AND prev.week = $3
    LEFT JOIN (
      -- Transactions per expected day of each past week, its expected days as its evaluation kept them:
      -- weeks never evaluated or with nothing expected carry no per-day figure.
      SELECT hc.mpp_id, array_agg(hc.transactions::float8 / he.expected_days) AS history
        FROM check_ins hc JOIN evaluations he ON he.mpp_id = hc.mpp_id AND he.week = hc.week AND he.expected_days > 0
       WHERE hc.week_start >= $2::date - $4::int AND hc.week_start < $2::date AND ($5::uuid[] IS NULL OR hc.mpp_id = ANY($5))
       GROUP BY hc.mpp_id
    ) h ON h.mpp_id = m.id
    LEFT JOIN (
      SELECT c.mpp_id, array_agg(DISTINCT to_char(d, 'YYYY-MM-DD')) AS days
        FROM planned_closures c,
             generate_series(greatest(c.from_date, $2::date), least(c.to_date, $2::date + 6), interval '1 day') AS d
       WHERE c.status = 'approved' -- pending, rejected and withdrawn closures excuse nothing
         AND c.from_date <= $2::date + 6 AND c.to_date >= $2::date AND ($5::uuid[] IS NULL OR c.mpp_id = ANY($5))
       GROUP BY c.mpp_id
    ) cl ON cl.mpp_id = m.id
    LEFT JOIN (
      -- Distinct citizens who found the MPP closed on a day of the week.
      SELECT r.mpp_id, count(DISTINCT r.client_hash)::int AS reports
        FROM citizen_reports r
       WHERE r.week = $1 AND r.kind = 'closed' AND ($5::uuid[] IS NULL OR r.mpp_id = ANY($5))
       GROUP BY r.mpp_id
    ) cr ON cr.mpp_id = m.id
    LEFT JOIN (
      -- MPPs whose sources speak for the week (a source that has pinged by the week's end and was not
      -- revoked within it; none: no verdict from signals), with the days of the week any of them was
      -- active: one signal_weeks row per source, its days a bitmask kept by the ping.
      SELECT s.mpp_id, bit_count(coalesce(bit_or(w.days), 0)::int::bit(7))::int AS days
        FROM signal_sources s
        LEFT JOIN signal_weeks w ON w.source_id = s.id AND w.week_start = $2::date
       WHERE (s.revoked_at IS NULL OR s.revoked_at >= $2::date + 7) AND ($5::uuid[] IS NULL OR s.mpp_id = ANY($5))
         AND EXISTS (SELECT 1 FROM signal_weeks p WHERE p.source_id = s.id AND p.week_start <= $2::date)
       GROUP BY s.mpp_id
    ) sg ON sg.mpp_id = m.id
   -- Monitored from inauguration to the week of retirement: a retired MPP keeps its past weeks when they are re-run.
   WHERE (m.retired_on IS NULL OR m.retired_on >= $2::date) AND (m.inaugurated_on IS NULL OR m.inaugurated_on <= $2::date + 6)
     AND ($5::uuid[] IS NULL OR m.id = ANY($5))`;

/** One MPP's result, as the rules gave it; the chunk's rows are written by one statement. */
export interface ResultRow {
  mppId: string;
  provinceCode: string;
  result: string;
  rules: string[];
  expectedDays: number;
  reported: boolean;
  onTime: boolean;
  streak: number;
  disputed: boolean;
}

// $1 week, $2 its Monday, $3 evaluated at; the rows from $4 on.
const RESULTS = new NamedUnnest<ResultRow>(
  [
    { name: 'mpp_id', type: 'uuid', value: (r) => r.mppId },
    { name: 'province_code', type: 'text', value: (r) => r.provinceCode },
    { name: 'result', type: 'text', value: (r) => r.result },
    // One string per row (unnest would flatten a two-dimensional array), split again in SQL.
    { name: 'rules', type: 'text', value: (r) => r.rules.join(',') },
    { name: 'expected_days', type: 'int', value: (r) => r.expectedDays },
    { name: 'reported', type: 'bool', value: (r) => r.reported },
    { name: 'on_time', type: 'bool', value: (r) => r.onTime },
    { name: 'not_reporting_streak', type: 'int', value: (r) => r.streak },
    { name: 'disputed', type: 'bool', value: (r) => r.disputed },
  ],
  'u',
  { firstParam: 4 },
);

const UPSERT_RESULT = `ON CONFLICT (week, mpp_id) DO UPDATE SET
  province_code = EXCLUDED.province_code, result = EXCLUDED.result, rules = EXCLUDED.rules,
  expected_days = EXCLUDED.expected_days, reported = EXCLUDED.reported, on_time = EXCLUDED.on_time,
  not_reporting_streak = EXCLUDED.not_reporting_streak, evaluated_at = EXCLUDED.evaluated_at, disputed = EXCLUDED.disputed,
  -- a bureau's confirmation stands only while the week is still disputed
  dispute_confirmed_at = CASE WHEN EXCLUDED.disputed THEN evaluations.dispute_confirmed_at END,
  dispute_confirmed_by = CASE WHEN EXCLUDED.disputed THEN evaluations.dispute_confirmed_by END`;

const insertResults = (upsert: boolean) => `
  INSERT INTO evaluations (week, week_start, evaluated_at, mpp_id, province_code, result, rules, expected_days, reported, on_time, not_reporting_streak, disputed)
  SELECT $1, $2::date, $3, u.mpp_id, u.province_code, u.result, string_to_array(u.rules, ','), u.expected_days, u.reported, u.on_time,
         u.not_reporting_streak, u.disputed
    FROM ${RESULTS.sql}
  ${upsert ? UPSERT_RESULT : '' /* a whole-cycle run emptied the week first: a plain insert skips the speculative insertions */}`;

/** A whole-cycle run inserts into the emptied week; a partial run upserts its MPPs. */
export const INSERT_RESULTS = insertResults(false);
export const UPSERT_RESULTS = insertResults(true);

export function resultParams(week: IsoWeek, evaluatedAt: Date, rows: readonly ResultRow[]): unknown[] {
  return [week, mondayOf(week), evaluatedAt, ...RESULTS.values(rows)];
}
