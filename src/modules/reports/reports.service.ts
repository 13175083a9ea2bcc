import { Injectable } from '@nestjs/common';
import { mppScopeOf, Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { Clock } from '../../common/clock';
import { pageOf, pageView } from '../../common/paging/paging';
import { RESULTS } from '../cycles/evaluation.rules';
import { IsoWeek, weekTimes } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { CyclesRepository } from '../cycles/cycles.repository';
import { MppsService } from '../mpps/mpps.service';
import { ReportAnswers } from './report-answers';
import { HistoryQuery, TrendQuery, WeeklyReportQuery } from './reports.dto';
import { MppWeekRow, ProvinceFigures, ProvinceWeek, TrendPoint, WeeklyReport, PROVINCE_WEEK_FILTERS } from './reports.types';
import { ReportsQueries } from './reports.queries';
import { ReportWeeklyRepository } from './report-weekly.repository';
import { nationalFigures } from './weekly-figures';

/** A province's page before its first cycle. */
const NO_LIVE_WEEK: ProvinceWeek = {
  week: null,
  evaluated: false,
  deadline: null,
  total: 0,
  all: 0,
  states: [],
  page: 1,
  pages: 1,
  mpps: [],
};

/** Reports read the per-province rows the evaluation keeps; only MPP detail touches evaluations. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly queries: ReportsQueries,
    private readonly reportWeekly: ReportWeeklyRepository,
    private readonly cycles: CyclesRepository,
    private readonly mpps: MppsService,
    private readonly clock: Clock,
    private readonly answers: ReportAnswers,
  ) {}

  async weekly(user: Principal, week: IsoWeek, query: WeeklyReportQuery, withMpps = false): Promise<WeeklyReport> {
    const evaluatedAt = await this.cycles.evaluatedAt(week);
    if (!evaluatedAt) throw new AppError(404, 'not_found', `No report for ${week}: the week has not been evaluated yet`);
    const scope = mppScopeOf(user);
    let provinces: (ProvinceFigures & { mpps?: MppWeekRow[] })[];
    let detail = withMpps || query.detail === 'mpps';
    if (scope.kind === 'mpps') {
      provinces = (await this.queries.mppSetFigures([week], scope.mppIds)).map(({ week: _w, ...p }) => p);
      if (query.province) provinces = provinces.filter((p) => p.provinceCode === query.province);
      detail = true;
    } else {
      const province = this.provinceInScope(user, query.province);
      provinces = await this.reportWeekly.provinceFigures(week, province);
      detail ||= province !== null;
    }
    const national = nationalFigures(provinces);
    const report: WeeklyReport = { week, evaluatedAt: new Date(evaluatedAt).toISOString(), national, provinces };
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
    const rows = paging ? await this.queries.mppRowsPage(rowsOf, paging) : await this.queries.mppRows(rowsOf);
    const byProvince = new Map(provinces.map((p) => [p.provinceCode, (p.mpps = [])] as [string, MppWeekRow[]]));
    for (const row of rows) byProvince.get(row.provinceCode)?.push(row);
    return paging ? { ...report, mppPage: pageView(paging) } : report;
  }

  async trend(user: Principal, query: TrendQuery): Promise<TrendPoint[]> {
    const weeks = query.weeks ?? 12;
    const scope = mppScopeOf(user);
    if (scope.kind !== 'mpps') return this.reportWeekly.trend(weeks, this.provinceInScope(user, query.province));
    const recent = await this.cycles.newestEvaluated(weeks);
    const parts = await this.queries.mppSetFigures(recent, scope.mppIds);
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
    const rows = await this.queries.latestVerdicts(mppScopeOf(user), mppIds, weeks);
    return new Map(rows.map(({ mppId, ...v }) => [mppId, v]));
  }

  /** Weekly results, key figures and flag events of one MPP, oldest first. */
  async history(user: Principal, mppId: string, query: HistoryQuery): Promise<unknown[]> {
    await this.mpps.assertVisible(user, mppId);
    return this.queries.mppHistory(mppId, query.weeks ?? 26);
  }

  /**
   * A province's MPPs in their live week (the latest whose reporting window has opened): before the
   * evaluation each MPP's reporting state, after it the verdict; MPPs with an unresolved flag first.
   * `state` narrows the page to one of those (`shown`); `states` counts every one, for the filter.
   * With what the page is headed with (the province's name, the newest evaluated week), read in
   * the same statement as the live week.
   */
  async provinceWeek(
    user: Principal,
    opts: { page: number; pageSize: number; state?: string },
  ): Promise<{ live: ProvinceWeek; provinceName: string | null; timezone: IndonesianTimezone | null; latestEvaluated: IsoWeek | null }> {
    const province = this.provinceInScope(user);
    if (!province) throw AppError.notFound('Province');
    if (opts.state !== undefined && !PROVINCE_WEEK_FILTERS.includes(opts.state))
      throw AppError.validation(`state must be one of ${PROVINCE_WEEK_FILTERS.join(', ')}`);
    const now = this.clock.now();
    const head = await this.queries.provinceLiveWeek(province, now);
    const context = {
      provinceName: head?.provinceName ?? null,
      timezone: head?.timezone ?? null,
      latestEvaluated: head?.latestEvaluated ?? null,
    };
    if (!head?.week || !head.weekStart) return { ...context, live: NO_LIVE_WEEK };
    const cycle = { week: head.week, weekStart: head.weekStart };
    const tz = head.timezone;
    const deadline = weekTimes(cycle.week, tz, new Set(head.holidays)).deadline;
    const evaluated = head.evaluatedAt !== null;
    // Once evaluated, the page shows verdicts (not reporting states that move with the clock): kept per data version.
    // The deadline follows the holidays, which move no version part: it is part of the key.
    const key = ['province-week', province, cycle.week, deadline.toISOString(), opts.page, opts.pageSize, opts.state ?? ''].join('|');
    const live = await this.answers.kept(key, evaluated ? cycle.week : null, () =>
      this.provinceWeekRows(province, cycle, tz, deadline, evaluated, now, opts),
    );
    return { ...context, live };
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
    const rowsOf = { province, week: cycle.week, monday: cycle.weekStart, now, deadline, evaluated };
    const states = await this.queries.provinceWeekStates(rowsOf);
    const all = states.reduce((n, s) => n + s.n, 0);
    const state = opts.state ?? null;
    const paging = pageOf(state ? (states.find((s) => s.state === state)?.n ?? 0) : all, opts.page, opts.pageSize);
    const mpps = await this.queries.provinceWeekPage(rowsOf, state, paging.limit, paging.offset);
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
    const [week] = await this.cycles.newestEvaluated(1);
    return week ?? null;
  }

  /** A bureau sees its province only: another province answers 404 like one that does not exist. */
  provinceInScope(user: Principal, requested?: string): string | null {
    const scope = mppScopeOf(user);
    if (scope.kind !== 'province') return requested ?? null;
    if (requested && requested !== scope.provinceCode) throw AppError.notFound('Province');
    return scope.provinceCode;
  }
}
