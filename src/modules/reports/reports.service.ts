import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mppScopeOf, Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { Clock } from '../../common/clock';
import { deadlineSearchRange, IsoWeek, weekTimes } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { holidayDates } from '../calendar/holiday-dates';
import { MppsService } from '../mpps/mpps.service';
import { HistoryQuery, TrendQuery, WeeklyReportQuery } from './reports.dto';
import { MppWeekRow, ProvinceFigures, ProvinceWeek, ProvinceWeekMpp, TrendPoint, WeeklyReport } from './reports.types';
import { mppSetFigures, nationalFigures, recentEvaluatedWeeks, trendFigures, weeklyProvinceFigures } from './weekly-figures';

/** Reports read the per-province rows the evaluation keeps; only MPP detail touches evaluations. */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mpps: MppsService,
    private readonly clock: Clock,
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
    if (detail) {
      const rows = await this.mppRows(
        week,
        provinces.map((p) => p.provinceCode),
        scope.kind === 'mpps' ? scope.mppIds : null,
      );
      for (const p of provinces) p.mpps = rows.filter((r) => r.provinceCode === p.provinceCode);
    }
    return { week, evaluatedAt: new Date(cycle.evaluated_at).toISOString(), national: nationalFigures(provinces), provinces };
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
   */
  async provinceWeek(user: Principal, opts: { page: number; pageSize: number }): Promise<ProvinceWeek> {
    const province = this.provinceInScope(user);
    if (!province) throw AppError.notFound('Province');
    const now = this.clock.now();
    const [cycle] = await this.db.query(
      `SELECT c.week, c.week_start AS "weekStart", c.evaluated_at AS "evaluatedAt", p.timezone
         FROM cycles c CROSS JOIN provinces p
        WHERE p.code = $1 AND c.week_start + 4 <= ($2::timestamptz AT TIME ZONE p.timezone)::date
        ORDER BY c.week_start DESC LIMIT 1`,
      [province, now],
    );
    if (!cycle) return { week: null, evaluated: false, deadline: null, total: 0, page: 1, pages: 1, mpps: [] };
    const tz = cycle.timezone as IndonesianTimezone;
    const range = deadlineSearchRange(cycle.week);
    const deadline = weekTimes(cycle.week, tz, await holidayDates(this.db.manager, range.from, range.to)).deadline;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM mpps WHERE province_code = $1 AND active`, [province]);
    const pages = Math.max(1, Math.ceil(total / opts.pageSize));
    const page = Math.min(Math.max(1, opts.page), pages);
    const mpps: ProvinceWeekMpp[] = await this.db.query(
      `SELECT m.id, m.name, r.name AS "regencyName", e.result, coalesce(e.rules, '{}') AS rules,
              CASE WHEN m.inaugurated_on > $3::date + 6 THEN 'not_expected'
                   WHEN ci.mpp_id IS NOT NULL AND ci.late THEN 'late'
                   WHEN ci.mpp_id IS NOT NULL THEN 'reported'
                   WHEN EXISTS (SELECT 1 FROM planned_closures pc WHERE pc.mpp_id = m.id AND pc.status = 'approved'
                                   AND pc.from_date <= $3::date AND pc.to_date >= $3::date + 6) THEN 'excused'
                   WHEN $4::timestamptz > $5::timestamptz THEN 'overdue'
                   ELSE 'pending' END AS "weekState",
              f.id AS "flagId", f.state AS "flagState", f.respond_by AS "respondBy"
         FROM mpps m JOIN regencies r ON r.code = m.regency_code
         LEFT JOIN check_ins ci ON ci.mpp_id = m.id AND ci.week = $2
         LEFT JOIN evaluations e ON e.mpp_id = m.id AND e.week = $2
         LEFT JOIN flags f ON f.mpp_id = m.id AND f.state <> 'resolved'
        WHERE m.province_code = $1 AND m.active
        ORDER BY (f.id IS NULL), f.respond_by NULLS LAST, m.name, m.id
        LIMIT $6 OFFSET $7`,
      [province, cycle.week, cycle.weekStart, now, deadline, opts.pageSize, (page - 1) * opts.pageSize],
    );
    return {
      week: cycle.week,
      evaluated: cycle.evaluatedAt !== null,
      deadline: deadline.toISOString(),
      timezone: tz,
      total,
      page,
      pages,
      mpps: mpps.map((m) => ({ ...m, respondBy: m.respondBy ? new Date(m.respondBy).toISOString() : null })),
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

  private mppRows(week: IsoWeek, provinces: string[], mppIds: string[] | null): Promise<MppWeekRow[]> {
    return this.db.query(
      `SELECT e.mpp_id AS "mppId", m.name, e.province_code AS "provinceCode", m.regency_code AS "regencyCode", r.name AS "regencyName",
              e.result, e.rules, e.expected_days AS "expectedDays", e.reported, e.on_time AS "onTime", ci.late, ci.status,
              ci.days_open AS "daysOpen", ci.tenants_serving AS "tenantsServing", ci.visitors, ci.transactions, f.state AS "flagState"
         FROM evaluations e
         JOIN mpps m ON m.id = e.mpp_id
         JOIN regencies r ON r.code = m.regency_code
         -- One primary-key lookup per MPP row (OFFSET 0 keeps PostgreSQL from turning these into
         -- hash joins over every check-in of the year: 3 s for a 4,300-MPP province at 100k × 52).
         LEFT JOIN LATERAL (SELECT * FROM check_ins c WHERE c.mpp_id = e.mpp_id AND c.week = e.week OFFSET 0) ci ON true
         LEFT JOIN LATERAL (SELECT state FROM flags g WHERE g.mpp_id = e.mpp_id AND g.state <> 'resolved' OFFSET 0) f ON true
        WHERE e.week = $1 AND e.province_code = ANY($2::text[]) AND ($3::uuid[] IS NULL OR e.mpp_id = ANY($3))
        ORDER BY e.province_code, m.name`,
      [week, provinces, mppIds],
    );
  }
}
