import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mppScopeOf, Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { Clock } from '../../common/clock';
import { PageInfo, pageOf, pageView } from '../../common/paging/paging';
import { RESULTS } from '../cycles/evaluation.rules';
import { deadlineSearchRange, IsoWeek, weekTimes } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { holidayDates } from '../calendar/holiday-dates';
import { MppsService } from '../mpps/mpps.service';
import { ReportAnswers } from './report-answers';
import { HistoryQuery, TrendQuery, WeeklyReportQuery } from './reports.dto';
import {
  MppWeekRow,
  ProvinceFigures,
  ProvinceWeek,
  ProvinceWeekMpp,
  TrendPoint,
  WeeklyReport,
  WORST_FIRST,
  PROVINCE_WEEK_FILTERS,
} from './reports.types';
import { mppSetFigures, nationalFigures, recentEvaluatedWeeks, trendFigures, weeklyProvinceFigures } from './weekly-figures';

/** Reports read the per-province rows the evaluation keeps; only MPP detail touches evaluations. */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsService,
    private readonly clock: Clock,
    private readonly answers: ReportAnswers,
  ) {}

  async weekly(user: Principal, week: IsoWeek, query: WeeklyReportQuery, withMpps = false): Promise<WeeklyReport> {
    const [cycle] = await this.db.query(`SELECT evaluated_at FROM cycles WHERE week = $1 AND evaluated_at IS NOT NULL`, [week]);
    if (!cycle) throw new AppError(404, 'not_found', `No report for ${week}: the week has not been evaluated yet`);
    const scope = mppScopeOf(user);
    let provinces: (ProvinceFigures & { mpps?: MppWeekRow[] })[];
    let detail = withMpps || query.detail === 'mpps';
    if (scope.kind === 'mpps') {
      provinces = (await mppSetFigures(this.db.manager, [week], scope.mppIds)).map(({ week: _w, ...p }) => p);
      if (query.province) provinces = provinces.filter((p) => p.provinceCode === query.province);
      detail = true;
    } else {
      const province = this.provinceInScope(user, query.province);
      provinces = await weeklyProvinceFigures(this.db.manager, week, province);
      detail ||= province !== null;
    }
    const national = nationalFigures(provinces);
    const report: WeeklyReport = { week, evaluatedAt: new Date(cycle.evaluated_at).toISOString(), national, provinces };
    if (!detail) return report;
    const rowsOf = { week, provinces: provinces.map((p) => p.provinceCode), mppIds: scope.kind === 'mpps' ? scope.mppIds : null };
    // Every MPP evaluated in scope has one row: the figures' counts are the number of rows.
    const paging = query.limit
      ? pageOf(
          RESULTS.reduce((n, r) => n + national.counts[r], 0),
          query.page,
          query.limit,
        )
      : null;
    const rows = paging ? await this.mppRowsPage(rowsOf, paging) : await this.mppRows(rowsOf);
    const byProvince = new Map(provinces.map((p) => [p.provinceCode, (p.mpps = [])] as [string, MppWeekRow[]]));
    for (const row of rows) byProvince.get(row.provinceCode)?.push(row);
    return paging ? { ...report, mppPage: pageView(paging) } : report;
  }

  async trend(user: Principal, query: TrendQuery): Promise<TrendPoint[]> {
    const weeks = query.weeks ?? 12;
    const scope = mppScopeOf(user);
    if (scope.kind !== 'mpps') return trendFigures(this.db.manager, weeks, this.provinceInScope(user, query.province));
    const recent = await recentEvaluatedWeeks(this.db.manager, weeks);
    const parts = await mppSetFigures(this.db.manager, recent, scope.mppIds);
    return recent.reverse().map((week) => ({
      week,
      ...nationalFigures(parts.filter((p) => p.week === week && (!query.province || p.provinceCode === query.province))),
    }));
  }

  /**
   * Each MPP's latest verdict among the last `weeks` cycles, for many MPPs in one statement (the
   * manager's page); MPPs out of the user's scope, or without a verdict, are left out.
   */
  async lastVerdicts(
    user: Principal,
    mppIds: string[],
    weeks = 8,
  ): Promise<Map<string, { week: string; result: string; rules: string[] }>> {
    const scope = mppScopeOf(user);
    const rows: { mppId: string; week: string; result: string; rules: string[] }[] = await this.db.query(
      `SELECT DISTINCT ON (e.mpp_id) e.mpp_id AS "mppId", e.week, e.result, e.rules
         FROM evaluations e JOIN mpps m ON m.id = e.mpp_id
        WHERE e.mpp_id = ANY($1::uuid[]) AND e.week IN (SELECT week FROM cycles ORDER BY week_start DESC LIMIT $2)
          AND ($3::text IS NULL OR m.province_code = $3) AND ($4::uuid[] IS NULL OR e.mpp_id = ANY($4))
        ORDER BY e.mpp_id, e.week_start DESC`,
      [mppIds, weeks, scope.kind === 'province' ? scope.provinceCode : null, scope.kind === 'mpps' ? scope.mppIds : null],
    );
    return new Map(rows.map(({ mppId, ...v }) => [mppId, v]));
  }

  /** Weekly results, key figures and flag events of one MPP, oldest first. */
  async history(user: Principal, mppId: string, query: HistoryQuery): Promise<unknown[]> {
    await this.mpps.assertVisible(user, mppId);
    return this.db.query(
      `WITH weeks AS (
         SELECT week, week_start, starts_at, lead(starts_at) OVER (ORDER BY week_start) AS next_starts_at
           FROM (SELECT * FROM cycles ORDER BY week_start DESC LIMIT $2) c
       )
       SELECT w.week, e.result, coalesce(e.rules, '{}') AS rules, e.reported, e.on_time AS "onTime",
              ci.late, ci.status, ci.days_open AS "daysOpen", ci.tenants_serving AS "tenantsServing",
              ci.visitors, ci.transactions,
              (SELECT fe.to_state FROM flag_events fe JOIN flags f ON f.id = fe.flag_id
                WHERE f.mpp_id = $1 AND fe.at < coalesce(w.next_starts_at, 'infinity')
                ORDER BY fe.at DESC, fe.id DESC LIMIT 1) AS "flagState",
              coalesce((SELECT jsonb_agg(jsonb_build_object('flagId', fe.flag_id, 'from', fe.from_state, 'to', fe.to_state,
                                          'by', fe.by_name, 'at', fe.at, 'note', fe.note) ORDER BY fe.at, fe.id)
                          FROM flag_events fe JOIN flags f ON f.id = fe.flag_id
                         WHERE f.mpp_id = $1 AND fe.at >= w.starts_at AND fe.at < coalesce(w.next_starts_at, 'infinity')), '[]') AS "flagEvents"
         FROM weeks w
         LEFT JOIN evaluations e ON e.week = w.week AND e.mpp_id = $1
         LEFT JOIN check_ins ci ON ci.week = w.week AND ci.mpp_id = $1
        ORDER BY w.week_start`,
      [mppId, query.weeks ?? 26],
    );
  }

  /**
   * A province's MPPs in their live week (the latest whose reporting window has opened): before the
   * evaluation each MPP's reporting state, after it the verdict; MPPs with an unresolved flag first.
   * `state` narrows the page to one of those (`shown`); `states` counts every one, for the filter.
   */
  async provinceWeek(user: Principal, opts: { page: number; pageSize: number; state?: string }): Promise<ProvinceWeek> {
    const province = this.provinceInScope(user);
    if (!province) throw AppError.notFound('Province');
    if (opts.state !== undefined && !PROVINCE_WEEK_FILTERS.includes(opts.state))
      throw AppError.validation(`state must be one of ${PROVINCE_WEEK_FILTERS.join(', ')}`);
    const now = this.clock.now();
    const [cycle] = await this.db.query(
      `SELECT c.week, c.week_start AS "weekStart", c.evaluated_at AS "evaluatedAt", p.timezone
         FROM cycles c CROSS JOIN provinces p
        WHERE p.code = $1 AND c.week_start + 4 <= ($2::timestamptz AT TIME ZONE p.timezone)::date
        ORDER BY c.week_start DESC LIMIT 1`,
      [province, now],
    );
    if (!cycle) return { week: null, evaluated: false, deadline: null, total: 0, all: 0, states: [], page: 1, pages: 1, mpps: [] };
    const tz = cycle.timezone as IndonesianTimezone;
    const range = deadlineSearchRange(cycle.week);
    const deadline = weekTimes(cycle.week, tz, await holidayDates(this.db.manager, range.from, range.to)).deadline;
    const evaluated = cycle.evaluatedAt !== null;
    // Once evaluated, the page shows verdicts (not reporting states that move with the clock): kept per data version.
    // The deadline follows the holidays, which move no version part: it is part of the key.
    const key = ['province-week', province, cycle.week, deadline.toISOString(), opts.page, opts.pageSize, opts.state ?? ''].join('|');
    return this.answers.kept(key, evaluated ? cycle.week : null, () =>
      this.provinceWeekRows(province, cycle, tz, deadline, evaluated, now, opts),
    );
  }

  private async provinceWeekRows(
    province: string,
    cycle: { week: IsoWeek; weekStart: string },
    tz: IndonesianTimezone,
    deadline: Date,
    evaluated: boolean,
    now: Date,
    opts: { page: number; pageSize: number; state?: string },
  ): Promise<ProvinceWeek> {
    const params = [province, cycle.week, cycle.weekStart, now, deadline, evaluated];
    const states: { state: string; n: number }[] = await this.db.query(
      `SELECT shown AS state, count(*)::int AS n FROM (${PROVINCE_WEEK_ROWS}) x GROUP BY shown ORDER BY shown`,
      params,
    );
    const all = states.reduce((n, s) => n + s.n, 0);
    const state = opts.state ?? null;
    const paging = pageOf(state ? (states.find((s) => s.state === state)?.n ?? 0) : all, opts.page, opts.pageSize);
    const mpps: (ProvinceWeekMpp & { shown?: string })[] = await this.db.query(
      `SELECT * FROM (${PROVINCE_WEEK_ROWS}) x WHERE $7::text IS NULL OR shown = $7
        ORDER BY ("flagId" IS NULL), "respondBy" NULLS LAST, name, id LIMIT $8 OFFSET $9`,
      [...params, state, paging.limit, paging.offset],
    );
    return {
      week: cycle.week,
      evaluated,
      deadline: deadline.toISOString(),
      timezone: tz,
      state,
      total: paging.total,
      all,
      states,
      page: paging.page,
      pages: paging.pages,
      mpps: mpps.map(({ shown: _shown, ...m }) => ({ ...m, respondBy: m.respondBy ? new Date(m.respondBy).toISOString() : null })),
    };
  }

  async latestWeek(): Promise<string | null> {
    const [week] = await recentEvaluatedWeeks(this.db.manager, 1);
    return week ?? null;
  }

  /** A bureau sees its province only: another province answers 404 like one that does not exist. */
  provinceInScope(user: Principal, requested?: string): string | null {
    const scope = mppScopeOf(user);
    if (scope.kind !== 'province') return requested ?? null;
    if (requested && requested !== scope.provinceCode) throw AppError.notFound('Province');
    return scope.provinceCode;
  }

  /** Every MPP row in scope, by province and name. */
  private mppRows({ week, provinces, mppIds }: MppRowScope): Promise<MppWeekRow[]> {
    return this.db.query(
      `SELECT ${MPP_ROW_COLUMNS} ${mppRowJoins('e')}
        WHERE e.week = $1 AND e.province_code = ANY($2::text[]) AND ($3::uuid[] IS NULL OR e.mpp_id = ANY($3))
        ORDER BY e.province_code, m.name`,
      [week, provinces, mppIds],
    );
  }

  /**
   * One page of the rows in scope, worst first: the page's keys are chosen from the evaluations
   * and names alone (the result is in the week/province index), and only its rows are joined to
   * their check-in and flag.
   */
  private mppRowsPage({ week, provinces, mppIds }: MppRowScope, paging: PageInfo): Promise<MppWeekRow[]> {
    return this.db.query(
      `WITH page AS MATERIALIZED (
         SELECT e.week, e.mpp_id, row_number() OVER () AS n FROM (
           SELECT e.week, e.mpp_id FROM evaluations e JOIN mpps m ON m.id = e.mpp_id
            WHERE e.week = $1 AND e.province_code = ANY($2::text[]) AND ($3::uuid[] IS NULL OR e.mpp_id = ANY($3))
            ORDER BY array_position($4::text[], e.result), m.name, e.mpp_id
            LIMIT $5 OFFSET $6) e
       )
       SELECT ${MPP_ROW_COLUMNS} FROM page p JOIN evaluations e ON e.week = p.week AND e.mpp_id = p.mpp_id ${mppRowJoins('e', false)}
        ORDER BY p.n`,
      [week, provinces, mppIds, WORST_FIRST, paging.limit, paging.offset],
    );
  }
}

interface MppRowScope {
  week: IsoWeek;
  provinces: string[];
  mppIds: string[] | null;
}

/**
 * Every active MPP of a province in a week ($1 province, $2 week, $3 its Monday, $4 now, $5 the
 * deadline, $6 evaluated), with what the bureau's page shows for it (`shown`): the verdict once
 * evaluated, else its reporting state.
 */
const PROVINCE_WEEK_ROWS = `
  SELECT m.id, m.name, r.name AS "regencyName", e.result, coalesce(e.rules, '{}') AS rules, ws."weekState",
         CASE WHEN $6::boolean THEN coalesce(e.result, 'none') ELSE ws."weekState" END AS shown,
         f.id AS "flagId", f.state AS "flagState", f.respond_by AS "respondBy"
    FROM mpps m JOIN regencies r ON r.code = m.regency_code
    LEFT JOIN check_ins ci ON ci.mpp_id = m.id AND ci.week = $2
    LEFT JOIN evaluations e ON e.mpp_id = m.id AND e.week = $2
    LEFT JOIN flags f ON f.mpp_id = m.id AND f.state <> 'resolved'
    CROSS JOIN LATERAL (SELECT CASE WHEN m.inaugurated_on > $3::date + 6 THEN 'not_expected'
              WHEN ci.mpp_id IS NOT NULL AND ci.late THEN 'late'
              WHEN ci.mpp_id IS NOT NULL THEN 'reported'
              WHEN EXISTS (SELECT 1 FROM planned_closures pc WHERE pc.mpp_id = m.id AND pc.status = 'approved'
                              AND pc.from_date <= $3::date AND pc.to_date >= $3::date + 6) THEN 'excused'
              WHEN $4::timestamptz > $5::timestamptz THEN 'overdue'
              ELSE 'pending' END AS "weekState") ws
   WHERE m.province_code = $1 AND m.active`;

const MPP_ROW_COLUMNS = `e.mpp_id AS "mppId", m.name, e.province_code AS "provinceCode", m.regency_code AS "regencyCode", r.name AS "regencyName",
  e.result, e.rules, e.expected_days AS "expectedDays", e.reported, e.on_time AS "onTime", ci.late, ci.status,
  ci.days_open AS "daysOpen", ci.tenants_serving AS "tenantsServing", ci.visitors, ci.transactions, f.state AS "flagState"`;

function mppRowJoins(e: string, from = true): string {
  return `${from ? `FROM evaluations ${e}` : ''}
    JOIN mpps m ON m.id = ${e}.mpp_id
    JOIN regencies r ON r.code = m.regency_code
    -- One primary-key lookup per MPP row (OFFSET 0 keeps PostgreSQL from turning these into
    -- hash joins over every check-in of the year: 3 s for a 4,300-MPP province at 100k × 52).
    LEFT JOIN LATERAL (SELECT * FROM check_ins c WHERE c.mpp_id = ${e}.mpp_id AND c.week = ${e}.week OFFSET 0) ci ON true
    LEFT JOIN LATERAL (SELECT state FROM flags g WHERE g.mpp_id = ${e}.mpp_id AND g.state <> 'resolved' OFFSET 0) f ON true`;
}
