import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { raw, run, sql, where } from '../../database/sql';
import { addWeeks } from '../../common/time/iso-week';
import { RESULTS } from '../cycles/evaluation.rules';
import { FLAG_SINCE_WEEK } from '../flags/flag-queries';
import type { ProvinceFigures, WeeklyFigures } from './reports.types';
import { FigureRow, toFigures } from './weekly-figures';

/*
 * `report_weekly`, the per-province figures the evaluation keeps: every statement on it. Functions
 * taking the caller's manager, because the evaluation, a retirement and the digest run them inside
 * their own transactions; ReportWeeklyRepository runs the reads for the reports' own services.
 */

/** `count(*) FILTER (WHERE e.result = 'active')::int AS active, …` over the evaluations aliased `e`. */
export const RESULT_COUNTS = raw(RESULTS.map((r) => `count(*) FILTER (WHERE e.result = '${r}')::int AS ${r}`).join(', '));

/**
 * Recomputes `report_weekly` for a week (all provinces, or those a partial re-evaluation
 * touched) from the evaluations just written, inside the evaluation's transaction: one grouped
 * scan per run, so every report afterwards reads at most 38 rows per week. Reads evaluations,
 * citizen_reports, flags and flag_events.
 */
export async function refreshWeeklyReport(tx: EntityManager, week: string, provinces: string[] | null, now: Date): Promise<void> {
  // A partial re-evaluation touched these provinces only (null: every province).
  const inProvinces = (column: string) => provinces !== null && sql`${raw(column)} = ANY(${provinces}::text[])`;
  await run(tx, sql`DELETE FROM report_weekly ${where([sql`week = ${week}`, inProvinces('province_code')])}`);
  await run(
    tx,
    sql`WITH ev AS (
          SELECT e.province_code, min(e.week_start) AS week_start,
                 count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected'))::int AS expected,
                 count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.reported)::int AS reported,
                 count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.on_time)::int AS on_time,
                 count(*) FILTER (WHERE e.disputed)::int AS disputed,
                 ${RESULT_COUNTS}
            FROM evaluations e
           ${where([sql`e.week = ${week}`, inProvinces('e.province_code')])}
           GROUP BY e.province_code
        ), cr AS (
          -- Citizens' reports of visits in the week, counted where the MPP was evaluated that week.
          SELECT e.province_code, count(*)::int AS citizen_reports
            FROM citizen_reports r JOIN evaluations e ON e.mpp_id = r.mpp_id AND e.week = r.week
           ${where([sql`r.week = ${week}`, inProvinces('e.province_code')])}
           GROUP BY e.province_code
        ), fl AS (
          SELECT f.province_code, count(*)::int AS open_flags, count(*) FILTER (WHERE s.since_week < ${addWeeks(week, -2)})::int AS older
            FROM flags f ${raw(FLAG_SINCE_WEEK)}
           ${where([sql`f.state <> 'resolved'`, sql`s.since_week <= ${week}`, inProvinces('f.province_code')])}
           GROUP BY f.province_code
        )
        INSERT INTO report_weekly (week, week_start, province_code, expected, reported, on_time, ${raw(RESULTS.join(', '))}, open_flags, flags_over_2_weeks,
                                   disputed, citizen_reports, computed_at)
        SELECT ${week}, ev.week_start, ev.province_code, ev.expected, ev.reported, ev.on_time, ${raw(RESULTS.map((r) => `ev.${r}`).join(', '))},
               coalesce(fl.open_flags, 0), coalesce(fl.older, 0), ev.disputed, coalesce(cr.citizen_reports, 0), ${now}
          FROM ev LEFT JOIN fl ON fl.province_code = ev.province_code LEFT JOIN cr ON cr.province_code = ev.province_code`,
  );
}

const FIGURE_COLUMNS = raw(`sum(expected)::int AS expected, sum(reported)::int AS reported, sum(on_time)::int AS "onTime",
  ${RESULTS.map((r) => `sum(${r})::int AS ${r}`).join(', ')},
  sum(open_flags)::int AS "openFlags", sum(flags_over_2_weeks)::int AS "flagsOlderThan2Weeks",
  sum(disputed)::int AS disputed, sum(citizen_reports)::int AS "citizenReports"`);

/** One week per province (all, or one province), with the provinces' names. */
export async function weeklyProvinceFigures(
  db: DataSource | EntityManager,
  week: string,
  provinceCode: string | null = null,
): Promise<ProvinceFigures[]> {
  const rows = await run<FigureRow>(
    db,
    sql`SELECT rw.province_code AS "provinceCode", p.name, ${FIGURE_COLUMNS}
          FROM report_weekly rw JOIN provinces p ON p.code = rw.province_code
         ${where([sql`rw.week = ${week}`, provinceCode !== null && sql`rw.province_code = ${provinceCode}`])}
         GROUP BY rw.province_code, p.name ORDER BY rw.province_code`,
  );
  return rows.map((r) => ({ provinceCode: r.provinceCode, name: r.name, ...toFigures(r) }));
}

/** The last `weeks` evaluated weeks (reads cycles), summed over all provinces or one; oldest first. */
export async function trendFigures(
  db: DataSource | EntityManager,
  weeks: number,
  provinceCode: string | null,
): Promise<(WeeklyFigures & { week: string })[]> {
  const rows = await run<FigureRow & { week: string }>(
    db,
    sql`SELECT rw.week, ${FIGURE_COLUMNS}
          FROM report_weekly rw
         ${where([
           sql`rw.week IN (SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT ${weeks})`,
           provinceCode !== null && sql`rw.province_code = ${provinceCode}`,
         ])}
         GROUP BY rw.week, rw.week_start ORDER BY rw.week_start`,
  );
  return rows.map((r) => ({ week: r.week, ...toFigures(r) }));
}

/** The reads of `report_weekly` on the application's data source, for the reports' services. */
@Injectable()
export class ReportWeeklyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One week per province (all, or one province). */
  provinceFigures(week: string, provinceCode: string | null): Promise<ProvinceFigures[]> {
    return weeklyProvinceFigures(this.db, week, provinceCode);
  }

  /** The last `weeks` evaluated weeks, summed over all provinces or one; oldest first. */
  trend(weeks: number, provinceCode: string | null): Promise<(WeeklyFigures & { week: string })[]> {
    return trendFigures(this.db, weeks, provinceCode);
  }
}
