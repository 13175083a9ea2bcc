import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { Metrics } from '../../common/observability/metrics';
import { FlagsService } from '../flags/flags.service';
import { refreshWeeklyReport } from '../reports/weekly-figures';
import { addDays, addWeeks, IsoWeek, isoWeekday, mondayOf } from '../../common/time/iso-week';
import { evaluate, median } from './evaluation.rules';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { EVALUATION_DURATION } from './cycle.metrics';
import { NotificationPlanner } from '../notifications/notification.planner';

interface InputRow {
  id: string;
  provinceCode: string;
  openingDays: number[];
  inauguratedOn: string | null;
  registeredTenants: number;
  daysOpen: number | null;
  tenantsServing: number | null;
  visitors: number | null;
  transactions: number | null;
  status: string | null;
  late: boolean | null;
  prevStreak: number | null;
  history: number[] | null;
  closureDates: string[] | null;
  citizenClosedReports: number | null;
  hasSignalSource: boolean;
  signalDays: number | null;
}

export interface EvaluationRunSummary {
  week: IsoWeek;
  evaluated: number;
  durationMs: number;
  /** Emails decided by a partial run (a late check-in's same-day addition to the bureau); queue them after commit. */
  notificationIds?: string[];
  /** Where the time went: reading inputs, applying the rules, writing results, updating flags, the weekly report. */
  phasesMs: { read: number; rules: number; write: number; flags: number; report: number };
}

/**
 * Evaluates a whole cycle set-based whatever the number of MPPs: one query of every input
 * (check-in, previous streak, transaction history, closures) read through a cursor 10,000 MPPs at
 * a time, the pure rules in memory, one bulk insert per chunk; then the flag updates and the
 * weekly report, also set-based.
 */
@Injectable()
export class EvaluationService {
  private readonly logger = new Logger(EvaluationService.name);

  constructor(
    private readonly settings: EvaluationSettingsService,
    private readonly flags: FlagsService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly planner: NotificationPlanner,
  ) {}

  /**
   * Re-evaluates some MPPs from `week` on, inside the caller's transaction (a late check-in, a
   * correction, a closure decided): that week, then every later week already evaluated and still
   * open to corrections, in order, because each week's not-reporting streak (and any flag it
   * opened) rests on the week before. Locked weeks keep their results.
   */
  async reevaluate(tx: EntityManager, week: IsoWeek, mppIds: string[], notificationIds: string[] = []): Promise<IsoWeek[]> {
    const later: { week: IsoWeek }[] = await tx.query(
      `SELECT week FROM cycles
        WHERE week_start > $1::date AND evaluated_at IS NOT NULL AND (locks_at IS NULL OR locks_at > $2)
        ORDER BY week_start`,
      [mondayOf(week), this.clock.now()],
    );
    const weeks = [week, ...later.map((r) => r.week)];
    // Emails these runs decide (a same-day addition for a flag they open) are collected for the caller to queue after commit.
    for (const w of weeks) notificationIds.push(...((await this.run(tx, w, mppIds)).notificationIds ?? []));
    return weeks;
  }

  /** Runs inside the caller's transaction; `mppIds` limits it to some MPPs (a late check-in). */
  async run(tx: EntityManager, week: IsoWeek, mppIds: string[] | null = null): Promise<EvaluationRunSummary> {
    const started = performance.now();
    const settings = await this.settings.get(tx);
    const monday = mondayOf(week);
    const now = this.clock.now();
    const holidays = new Set<string>(
      (await tx.query(`SELECT to_char(date, 'YYYY-MM-DD') AS d FROM holidays WHERE date BETWEEN $1::date AND $1::date + 6`, [monday])).map(
        (r: { d: string }) => r.d,
      ),
    );
    // A whole-cycle run replaces the week's results, which also drops MPPs no longer expected
    // (retired before the week, inauguration moved); a partial run upserts its MPPs.
    if (!mppIds) await tx.query(`DELETE FROM evaluations WHERE week = $1`, [week]);
    const week7 = weekCalendar(monday, holidays);
    const phase = { read: 0, rules: 0, write: 0 };
    const provinces = new Set<string>();
    let evaluated = 0;
    // Read through a cursor a chunk at a time, in MPP order: memory stays flat whatever the number
    // of MPPs, and each chunk's results go into the indexes in key order.
    await tx.query(`DECLARE evaluation_input NO SCROLL CURSOR FOR ${INPUT_SQL} ORDER BY m.id`, [
      week,
      monday,
      addWeeks(week, -1),
      settings.medianWeeks * 7,
      mppIds,
    ]);
    for (;;) {
      let mark = performance.now();
      const rows: InputRow[] = await tx.query(`FETCH ${CHUNK} FROM evaluation_input`);
      phase.read += performance.now() - mark;
      if (!rows.length) break;

      mark = performance.now();
      const ids: string[] = [],
        chunkProvinces: string[] = [],
        results: string[] = [],
        rules: string[] = [];
      const expected: number[] = [],
        reported: boolean[] = [],
        onTime: boolean[] = [],
        streaks: number[] = [],
        disputed: boolean[] = [];
      for (const row of rows) {
        const days = weekDays(week7, row);
        const out = evaluate(
          {
            checkIn:
              row.status === null
                ? null
                : {
                    daysOpen: row.daysOpen!,
                    tenantsServing: row.tenantsServing!,
                    visitors: row.visitors!,
                    transactions: row.transactions!,
                    status: row.status as 'normal',
                  },
            ...days,
            registeredTenants: row.registeredTenants,
            previousNotReportingStreak: row.prevStreak ?? 0,
            transactionsPerDayMedian: median(row.history ?? [], settings.medianMinWeeks),
            signals: {
              citizenClosedReports: row.citizenClosedReports ?? 0,
              hasSignalSource: row.hasSignalSource,
              signalDays: row.signalDays ?? 0,
            },
          },
          settings,
        );
        ids.push(row.id);
        chunkProvinces.push(row.provinceCode);
        results.push(out.result);
        rules.push(out.rules.join(','));
        expected.push(out.expectedDays);
        reported.push(row.status !== null);
        onTime.push(row.status !== null && !row.late);
        streaks.push(out.notReportingStreak);
        disputed.push(out.disputed);
        provinces.add(row.provinceCode);
      }
      phase.rules += performance.now() - mark;

      mark = performance.now();
      await tx.query(
        `INSERT INTO evaluations (week, week_start, evaluated_at, mpp_id, province_code, result, rules, expected_days, reported, on_time, not_reporting_streak, disputed)
         SELECT $1, $2::date, $3, u.mpp_id, u.province_code, u.result, string_to_array(u.rules, ','), u.expected, u.reported, u.on_time, u.streak, u.disputed
           FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::int[], $9::bool[], $10::bool[], $11::int[], $12::bool[])
                AS u(mpp_id, province_code, result, rules, expected, reported, on_time, streak, disputed)
         ${mppIds ? UPSERT_RESULT : '' /* the week was just emptied: a plain insert skips the speculative insertions */}`,
        [week, monday, now, ids, chunkProvinces, results, rules, expected, reported, onTime, streaks, disputed],
      );
      phase.write += performance.now() - mark;
      evaluated += rows.length;
    }
    await tx.query(`CLOSE evaluation_input`);
    const written = performance.now();
    await this.flags.applyEvaluation(tx, week, mppIds);
    // A late check-in that opened a flag after the week's bureau email: tell the bureau today.
    const notificationIds = mppIds ? await this.planner.planAdditions(tx, week, mppIds) : [];
    const flagged = performance.now();
    await refreshWeeklyReport(tx, week, mppIds ? [...provinces] : null, now);
    const done = performance.now();
    const phasesMs = {
      read: ms(phase.read),
      rules: ms(phase.rules),
      write: ms(phase.write),
      flags: ms(flagged - written),
      report: ms(done - flagged),
    };
    const durationMs = ms(done - started);
    this.metrics.histogram(EVALUATION_DURATION).observe({ scope: mppIds ? 'mpps' : 'all' }, (done - started) / 1000);
    this.logger.log(
      { event: 'evaluation_run', week, evaluated, scope: mppIds ? 'mpps' : 'all', durationMs, phasesMs },
      `Evaluated ${week}`,
    );
    return { week, evaluated, durationMs, phasesMs, notificationIds };
  }
}

const ms = (x: number) => Math.round(x);

/** MPPs read, ruled and written at a time. */
const CHUNK = 10_000;

const UPSERT_RESULT = `ON CONFLICT (week, mpp_id) DO UPDATE SET
  province_code = EXCLUDED.province_code, result = EXCLUDED.result, rules = EXCLUDED.rules,
  expected_days = EXCLUDED.expected_days, reported = EXCLUDED.reported, on_time = EXCLUDED.on_time,
  not_reporting_streak = EXCLUDED.not_reporting_streak, evaluated_at = EXCLUDED.evaluated_at, disputed = EXCLUDED.disputed,
  -- a bureau's confirmation stands only while the week is still disputed
  dispute_confirmed_at = CASE WHEN EXCLUDED.disputed THEN evaluations.dispute_confirmed_at END,
  dispute_confirmed_by = CASE WHEN EXCLUDED.disputed THEN evaluations.dispute_confirmed_by END`;

interface CalendarDay {
  date: string;
  weekday: number;
  holiday: boolean;
}

/** The week's seven days, worked out once per run rather than once per MPP. */
function weekCalendar(monday: string, holidays: Set<string>): CalendarDay[] {
  return Array.from({ length: 7 }, (_, i) => {
    const date = addDays(monday, i);
    return { date, weekday: isoWeekday(date), holiday: holidays.has(date) };
  });
}

/** Opening days of the MPP in this week (from inauguration on), and how many are holidays or closed. */
function weekDays(week: CalendarDay[], row: InputRow): { openingDays: number; holidayDays: number; closureDays: number } {
  let openingDays = 0,
    holidayDays = 0,
    closureDays = 0;
  for (const day of week) {
    if (!row.openingDays.includes(day.weekday)) continue;
    if (row.inauguratedOn && day.date < row.inauguratedOn) continue;
    openingDays++;
    if (day.holiday) holidayDays++;
    else if (row.closureDates?.includes(day.date)) closureDays++;
  }
  return { openingDays, holidayDays, closureDays };
}

// $1 week, $2 its Monday, $3 the previous week, $4 days of transaction history, $5 MPP filter or null.
const INPUT_SQL = `
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
      -- Days of the week with activity from the MPP's sources. A source speaks for the week once it
      -- has pinged by the week's end and was not revoked within it (no source: no verdict).
      SELECT d.mpp_id, count(DISTINCT d.date) FILTER (WHERE d.date >= $2::date AND d.pings > 0)::int AS days
        FROM signal_days d JOIN signal_sources s ON s.id = d.source_id
       WHERE d.date <= $2::date + 6 AND (s.revoked_at IS NULL OR s.revoked_at >= $2::date + 7)
         AND ($5::uuid[] IS NULL OR d.mpp_id = ANY($5))
       GROUP BY d.mpp_id
    ) sg ON sg.mpp_id = m.id
   -- Monitored from inauguration to the week of retirement: a retired MPP keeps its past weeks when they are re-run.
   WHERE (m.retired_on IS NULL OR m.retired_on >= $2::date) AND (m.inaugurated_on IS NULL OR m.inaugurated_on <= $2::date + 6)
     AND ($5::uuid[] IS NULL OR m.id = ANY($5))`;
