import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MppScope } from '../../common/auth/principal';
import { mppScopeSql } from '../../common/auth/scope-sql';
import type { PageInfo } from '../../common/paging/paging';
import type { IsoWeek } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { runPrepared } from '../../database/prepared';
import { one, raw, run, sql, Sql, where } from '../../database/sql';
import type { AgencyReportRow } from './reports.dto';
import { RESULT_COUNTS } from './report-weekly.repository';
import { FormationStage, MppWeekRow, ProvinceFigures, ProvinceWeekMpp, WORST_FIRST } from './reports.types';
import { FigureRow, toFigures } from './weekly-figures';

/** The evaluations of a page of MPP rows, and what each row shows beside them. */
export interface MppRowScope {
  week: IsoWeek;
  provinces: string[];
  /** A manager's MPPs; null for every MPP of the provinces. */
  mppIds: string[] | null;
}

/** A province's live week, as the bureau's page lists it. */
export interface ProvinceWeekScope {
  province: string;
  week: IsoWeek;
  monday: string;
  now: Date;
  deadline: Date;
  evaluated: boolean;
}

/** A regency's MPPs counted for coverage, with its formation stage and first MPP. */
export interface RegencyCoverageRow {
  code: string;
  name: string;
  provinceCode: string;
  formationStage: FormationStage;
  stageDate: string | null;
  note: string | null;
  mppId: string | null;
  mppName: string | null;
  mpps: number;
  operating: number;
  inactive: number;
  preparing: number;
  closed: number;
}

/*
 * The reports' set-based reads over other features' tables (evaluations, check-ins, flags, MPPs,
 * regions, tenants …). Each is one statement on purpose: a report reads a whole province or the
 * nation in a fixed number of round trips, whatever the number of MPPs. `report_weekly` itself is
 * in report-weekly.repository.ts, `regency_formation` in regency-formation.repository.ts.
 */
@Injectable()
export class ReportsQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Reads evaluations, provinces, flags, flag_events and citizen_reports: the report figures
   * computed live from the evaluations of a few MPPs (a manager's), small sets that
   * `report_weekly`'s per-province rows cannot answer.
   */
  async mppSetFigures(weeks: string[], mppIds: string[]): Promise<(ProvinceFigures & { week: string })[]> {
    const rows = await run<FigureRow & { week: string }>(
      this.db,
      sql`SELECT e.week, e.province_code AS "provinceCode", p.name,
                 count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected'))::int AS expected,
                 count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.reported)::int AS reported,
                 count(*) FILTER (WHERE e.result NOT IN ('excused', 'not_expected') AND e.on_time)::int AS "onTime",
                 ${RESULT_COUNTS},
                 count(f.id)::int AS "openFlags",
                 count(f.id) FILTER (WHERE s.since_week < to_char(e.week_start - 14, 'IYYY-"W"IW'))::int AS "flagsOlderThan2Weeks",
                 count(*) FILTER (WHERE e.disputed)::int AS disputed,
                 sum((SELECT count(*) FROM citizen_reports r WHERE r.mpp_id = e.mpp_id AND r.week = e.week))::int AS "citizenReports"
            FROM evaluations e JOIN provinces p ON p.code = e.province_code
            LEFT JOIN flags f ON f.mpp_id = e.mpp_id AND f.state <> 'resolved'
            LEFT JOIN LATERAL (SELECT coalesce(max(fe.week), f.opened_week) AS since_week FROM flag_events fe WHERE fe.flag_id = f.id AND fe.to_state = 'open') s ON f.id IS NOT NULL
           WHERE e.week = ANY(${weeks}::text[]) AND e.mpp_id = ANY(${mppIds}::uuid[])
           GROUP BY e.week, e.week_start, e.province_code, p.name ORDER BY e.week_start, e.province_code`,
    );
    return rows.map((r) => ({ week: r.week, provinceCode: r.provinceCode, name: r.name, ...toFigures(r) }));
  }

  /**
   * Reads evaluations, mpps and cycles: each MPP's latest verdict among the last `weeks` cycles,
   * for many MPPs in one statement; MPPs out of scope, or without a verdict, are left out.
   */
  latestVerdicts(
    scope: MppScope,
    mppIds: string[],
    weeks: number,
  ): Promise<{ mppId: string; week: string; result: string; rules: string[] }[]> {
    return run(
      this.db,
      sql`SELECT DISTINCT ON (e.mpp_id) e.mpp_id AS "mppId", e.week, e.result, e.rules
            FROM evaluations e JOIN mpps m ON m.id = e.mpp_id
           WHERE e.mpp_id = ANY(${mppIds}::uuid[]) AND e.week IN (SELECT week FROM cycles ORDER BY week_start DESC LIMIT ${weeks})
             AND ${mppScopeSql(scope, { mppId: 'e.mpp_id', provinceCode: 'm.province_code' })}
           ORDER BY e.mpp_id, e.week_start DESC`,
    );
  }

  /**
   * Reads cycles, evaluations, check_ins, flags and flag_events: one MPP's last `weeks` weeks with
   * its verdict, key figures, flag state at the week's end and flag events, oldest first.
   */
  mppHistory(mppId: string, weeks: number): Promise<unknown[]> {
    // The MPP's flag events are read once (flags_mpp_idx), not once per week shown; its verdicts
    // and check-ins from the first week shown on. Prepared: planning cost more than running it.
    const query = sql`WITH weeks AS (
            SELECT week, week_start, starts_at, lead(starts_at) OVER (ORDER BY week_start) AS next_starts_at
              FROM (SELECT * FROM cycles ORDER BY week_start DESC LIMIT ${weeks}) c
          ), events AS MATERIALIZED (
            SELECT fe.id, fe.flag_id, fe.from_state, fe.to_state, fe.by_name, fe.at, fe.note
              FROM flags f JOIN flag_events fe ON fe.flag_id = f.id WHERE f.mpp_id = ${mppId}
          )
          SELECT w.week, e.result, coalesce(e.rules, '{}') AS rules, e.reported, e.on_time AS "onTime",
                 ci.late, ci.status, ci.days_open AS "daysOpen", ci.tenants_serving AS "tenantsServing",
                 ci.visitors, ci.transactions,
                 (SELECT ev.to_state FROM events ev WHERE ev.at < coalesce(w.next_starts_at, 'infinity')
                   ORDER BY ev.at DESC, ev.id DESC LIMIT 1) AS "flagState",
                 coalesce((SELECT jsonb_agg(jsonb_build_object('flagId', ev.flag_id, 'from', ev.from_state, 'to', ev.to_state,
                                             'by', ev.by_name, 'at', ev.at, 'note', ev.note) ORDER BY ev.at, ev.id)
                             FROM events ev
                            WHERE ev.at >= w.starts_at AND ev.at < coalesce(w.next_starts_at, 'infinity')), '[]') AS "flagEvents"
            FROM weeks w
            LEFT JOIN evaluations e ON e.mpp_id = ${mppId} AND e.week = w.week AND e.week_start >= (SELECT min(week_start) FROM weeks)
            LEFT JOIN check_ins ci ON ci.mpp_id = ${mppId} AND ci.week = w.week AND ci.week_start >= (SELECT min(week_start) FROM weeks)
           ORDER BY w.week_start`;
    return runPrepared(this.db, 'mpp-history', query);
  }

  /**
   * Reads provinces, cycles and holidays, in one statement for the bureau's page (a round trip
   * costs the API more CPU than these lookups): the province's name and time zone; its live week,
   * the latest whose reporting window has opened at `now` in that zone, with the holidays its
   * deadline may move over (deadlineSearchRange: the 7th to the 27th day from its Monday); and the
   * newest evaluated week. Undefined for an unknown province; `week` null before the first cycle.
   */
  async provinceLiveWeek(province: string, now: Date): Promise<ProvinceLiveWeek | undefined> {
    const [row] = await runPrepared<ProvinceLiveWeek>(
      this.db,
      'province-live-week',
      sql`SELECT p.name AS "provinceName", p.timezone, c.week, c.week_start AS "weekStart", c.evaluated_at AS "evaluatedAt",
                 (SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT 1) AS "latestEvaluated",
                 coalesce((SELECT array_agg(to_char(h.date, 'YYYY-MM-DD')) FROM holidays h
                            WHERE h.date BETWEEN c.week_start + 7 AND c.week_start + 27), '{}') AS holidays
            FROM provinces p
            LEFT JOIN LATERAL (SELECT * FROM cycles c
                                WHERE c.week_start + 4 <= (${now}::timestamptz AT TIME ZONE p.timezone)::date
                                ORDER BY c.week_start DESC LIMIT 1) c ON true
           WHERE p.code = ${province}`,
    );
    return row;
  }

  /** How many of the province's MPPs the bureau's page shows in each state (see provinceWeekRows). */
  provinceWeekStates(p: ProvinceWeekScope): Promise<{ state: string; n: number }[]> {
    return run(this.db, sql`SELECT shown AS state, count(*)::int AS n FROM (${provinceWeekRows(p)}) x GROUP BY shown ORDER BY shown`);
  }

  /** A page of the province's MPPs (of one shown state, or all), those with an unresolved flag first. */
  provinceWeekPage(
    p: ProvinceWeekScope,
    state: string | null,
    limit: number,
    offset: number,
  ): Promise<(ProvinceWeekMpp & { shown?: string })[]> {
    return run(
      this.db,
      sql`SELECT * FROM (${provinceWeekRows(p)}) x ${where([state !== null && sql`shown = ${state}`])}
           ORDER BY ("flagId" IS NULL), "respondBy" NULLS LAST, name, id LIMIT ${limit} OFFSET ${offset}`,
    );
  }

  /** Reads evaluations, mpps, regencies, check_ins and flags: every MPP row in scope, by province and name. */
  mppRows(scope: MppRowScope): Promise<MppWeekRow[]> {
    return run(
      this.db,
      sql`SELECT ${MPP_ROW_COLUMNS} ${mppRowJoins('e')}
           ${rowsInScope(scope)}
           ORDER BY e.province_code, m.name`,
    );
  }

  /**
   * One page of the rows in scope, worst first: the page's keys are chosen from the evaluations
   * and names alone (the result is in the week/province index), and only its rows are joined to
   * their check-in and flag.
   */
  mppRowsPage(scope: MppRowScope, paging: PageInfo): Promise<MppWeekRow[]> {
    return run(
      this.db,
      sql`WITH page AS MATERIALIZED (
            SELECT e.week, e.mpp_id, row_number() OVER () AS n FROM (
              SELECT e.week, e.mpp_id FROM evaluations e JOIN mpps m ON m.id = e.mpp_id
               ${rowsInScope(scope)}
               ORDER BY array_position(${WORST_FIRST}::text[], e.result), m.name, e.mpp_id
               LIMIT ${paging.limit} OFFSET ${paging.offset}) e
          )
          SELECT ${MPP_ROW_COLUMNS} FROM page p JOIN evaluations e ON e.week = p.week AND e.mpp_id = p.mpp_id ${mppRowJoins('e', false)}
           ORDER BY p.n`,
    );
  }

  /**
   * Reads regencies, regency_formation, mpps and evaluations: coverage per regency (all, a
   * province's, or one), set-based: one grouped pass over the MPPs (joined to the week's few
   * inactive verdicts), and each regency's first MPP by one probe of mpps_regency_first_idx.
   * `today` judges inauguration (an MPP is preparing until its day).
   */
  regencyCoverage(f: {
    province: string | null;
    regency: string | null;
    today: string;
    week: string | null;
  }): Promise<RegencyCoverageRow[]> {
    const inProvince = (column: string) => f.province !== null && sql`${raw(column)} = ${f.province}`;
    const isRegency = (column: string) => f.regency !== null && sql`${raw(column)} = ${f.regency}`;
    return run(
      this.db,
      sql`WITH inactive AS (
            SELECT mpp_id FROM evaluations WHERE week = ${f.week} AND result = 'inactive'
          ), mp AS (
            SELECT m.regency_code,
                   count(*) FILTER (WHERE m.active)::int AS mpps,
                   count(*) FILTER (WHERE m.active AND (m.inaugurated_on IS NULL OR m.inaugurated_on <= ${f.today}::date) AND i.mpp_id IS NULL)::int AS operating,
                   count(*) FILTER (WHERE m.active AND (m.inaugurated_on IS NULL OR m.inaugurated_on <= ${f.today}::date) AND i.mpp_id IS NOT NULL)::int AS inactive,
                   count(*) FILTER (WHERE m.active AND m.inaugurated_on > ${f.today}::date)::int AS preparing,
                   count(*) FILTER (WHERE m.retired_on IS NOT NULL)::int AS closed
              FROM mpps m LEFT JOIN inactive i ON i.mpp_id = m.id
             ${where([inProvince('m.province_code'), isRegency('m.regency_code')])}
             GROUP BY m.regency_code
          )
          SELECT r.code, r.name, r.province_code AS "provinceCode",
               coalesce(rf.stage, 'none') AS "formationStage", to_char(rf.stage_date, 'YYYY-MM-DD') AS "stageDate", rf.note,
               first.id AS "mppId", first.name AS "mppName", coalesce(mp.mpps, 0) AS mpps,
               coalesce(mp.operating, 0) AS operating, coalesce(mp.inactive, 0) AS inactive, coalesce(mp.preparing, 0) AS preparing,
               coalesce(mp.closed, 0) AS closed
          FROM regencies r
          LEFT JOIN regency_formation rf ON rf.regency_code = r.code
          LEFT JOIN mp ON mp.regency_code = r.code
          LEFT JOIN LATERAL (
            SELECT f.id, f.name FROM mpps f WHERE f.regency_code = r.code AND f.active
             ORDER BY f.inaugurated_on NULLS LAST, f.name LIMIT 1
          ) first ON true
         ${where([inProvince('r.province_code'), isRegency('r.code')])}
         ORDER BY r.code`,
    );
  }

  /**
   * Reads agencies, mpp_tenants, mpps and check_ins: per agency, the active MPPs hosting it, of
   * those the ones open in the week of `monday`, and the ones whose check-in named a tenant of it
   * as serving. Set-based: the tenants hash-joined to the week's check-ins (found through
   * check_ins_week_idx by the week's Monday), one row per agency and MPP, then counted per agency;
   * not two check-in lookups per tenant (16 s at 100,000 MPPs).
   */
  agencyHosting(monday: string, province: string | null): Promise<(Omit<AgencyReportRow, 'servedMpps'> & { servedMpps: number })[]> {
    return run(
      this.db,
      sql`WITH hosts AS (
            SELECT t.agency_code, t.mpp_id, bool_or(ci.days_open > 0) AS open, bool_or(t.id = ANY(ci.tenants_serving_ids)) AS served
              FROM mpp_tenants t JOIN mpps m ON m.id = t.mpp_id AND m.active
              LEFT JOIN (SELECT mpp_id, days_open, tenants_serving_ids FROM check_ins WHERE week_start = ${monday}) ci ON ci.mpp_id = t.mpp_id
             ${where([sql`t.agency_code IS NOT NULL`, province !== null && sql`m.province_code = ${province}`])}
             GROUP BY t.agency_code, t.mpp_id
          )
          SELECT a.code, a.name, count(h.mpp_id)::int AS "hostingMpps",
                 count(h.mpp_id) FILTER (WHERE h.open)::int AS "hostingMppsOpen",
                 count(h.mpp_id) FILTER (WHERE h.served)::int AS "servedMpps"
            FROM agencies a LEFT JOIN hosts h ON h.agency_code = a.code
           GROUP BY a.code, a.name ORDER BY count(h.mpp_id) DESC, a.code`,
    );
  }

  /** Reads check_ins and mpps: whether any check-in of the week in scope names its serving tenants (newer clients do). */
  async tenantsNamedInWeek(monday: string, province: string | null): Promise<boolean> {
    const row = await one<{ named: boolean }>(
      this.db,
      sql`SELECT EXISTS (SELECT 1 FROM check_ins c JOIN mpps m ON m.id = c.mpp_id AND m.active
                          ${where([
                            sql`c.week_start = ${monday}`,
                            sql`c.tenants_serving_ids IS NOT NULL`,
                            province !== null && sql`m.province_code = ${province}`,
                          ])}) AS named`,
    );
    return row!.named;
  }

  /** Reads mpp_tenants and mpps: tenants of active MPPs in scope whose name matches no agency of the national list. */
  async unmatchedTenants(province: string | null): Promise<number> {
    const row = await one<{ unmatched: number }>(
      this.db,
      sql`SELECT count(*)::int AS unmatched FROM mpp_tenants t JOIN mpps m ON m.id = t.mpp_id AND m.active
           ${where([sql`t.agency_code IS NULL`, province !== null && sql`m.province_code = ${province}`])}`,
    );
    return row!.unmatched;
  }

  /**
   * Reads cycles, report_weekly, mpps, flags, evaluations, regency_formation and agencies: the
   * data version of the reports for an evaluated week (report-answers.ts says what moves it), or
   * null when the week is not evaluated.
   */
  async dataVersion(week: IsoWeek): Promise<string | null> {
    // Prepared: every kept answer and page asks it first, and parsing and planning it cost PostgreSQL
    // twice as much as running it (1.3 of 1.6 ms in the bureau page's statement log).
    const [row] = await runPrepared<{ v: string | null }>(
      this.db,
      'data-version',
      sql`SELECT CASE WHEN c.evaluated_at IS NOT NULL THEN concat_ws('|',
                (SELECT max(computed_at) FROM report_weekly), -- every week's: a trend spans several
                (SELECT max(updated_at) FROM mpps),
                (SELECT max(updated_at) FROM flags),
                -- Tokens moved at commit (registry, flags): a change committed after a newer one still moves them.
                (SELECT string_agg(token::text, ',' ORDER BY name) FROM data_versions),
                (SELECT max(dispute_confirmed_at) FROM evaluations WHERE dispute_confirmed_at IS NOT NULL),
                (SELECT max(updated_at) FROM regency_formation),
                (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM agencies)) END AS v
            FROM cycles c WHERE c.week = ${week}`,
    );
    return row?.v ?? null;
  }
}

/** See ReportsQueries.provinceLiveWeek. */
export interface ProvinceLiveWeek {
  provinceName: string;
  timezone: IndonesianTimezone;
  week: IsoWeek | null;
  weekStart: string | null;
  evaluatedAt: Date | null;
  latestEvaluated: IsoWeek | null;
  holidays: string[];
}

/**
 * Reads mpps, regencies, check_ins, evaluations, flags and planned_closures: every active MPP of a
 * province in a week, with what the bureau's page shows for it (`shown`): the verdict once
 * evaluated, else its reporting state.
 */
function provinceWeekRows(p: ProvinceWeekScope): Sql {
  return sql`
  SELECT m.id, m.name, r.name AS "regencyName", e.result, coalesce(e.rules, '{}') AS rules, ws."weekState",
         CASE WHEN ${p.evaluated}::boolean THEN coalesce(e.result, 'none') ELSE ws."weekState" END AS shown,
         f.id AS "flagId", f.state AS "flagState", f.respond_by AS "respondBy"
    FROM mpps m JOIN regencies r ON r.code = m.regency_code
    LEFT JOIN check_ins ci ON ci.mpp_id = m.id AND ci.week = ${p.week}
    LEFT JOIN evaluations e ON e.mpp_id = m.id AND e.week = ${p.week}
    LEFT JOIN flags f ON f.mpp_id = m.id AND f.state <> 'resolved'
    CROSS JOIN LATERAL (SELECT CASE WHEN m.inaugurated_on > ${p.monday}::date + 6 THEN 'not_expected'
              WHEN ci.mpp_id IS NOT NULL AND ci.late THEN 'late'
              WHEN ci.mpp_id IS NOT NULL THEN 'reported'
              WHEN EXISTS (SELECT 1 FROM planned_closures pc WHERE pc.mpp_id = m.id AND pc.status = 'approved'
                              AND pc.from_date <= ${p.monday}::date AND pc.to_date >= ${p.monday}::date + 6) THEN 'excused'
              WHEN ${p.now}::timestamptz > ${p.deadline}::timestamptz THEN 'overdue'
              ELSE 'pending' END AS "weekState") ws
   WHERE m.province_code = ${p.province} AND m.active`;
}

/** The week's evaluations `e` of the provinces (and, for a manager, of their MPPs). */
function rowsInScope(scope: MppRowScope): Sql {
  return where([
    sql`e.week = ${scope.week}`,
    sql`e.province_code = ANY(${scope.provinces}::text[])`,
    scope.mppIds !== null && sql`e.mpp_id = ANY(${scope.mppIds}::uuid[])`,
  ]);
}

const MPP_ROW_COLUMNS =
  raw(`e.mpp_id AS "mppId", m.name, e.province_code AS "provinceCode", m.regency_code AS "regencyCode", r.name AS "regencyName",
  e.result, e.rules, e.expected_days AS "expectedDays", e.reported, e.on_time AS "onTime", ci.late, ci.status,
  ci.days_open AS "daysOpen", ci.tenants_serving AS "tenantsServing", ci.visitors, ci.transactions, f.state AS "flagState"`);

function mppRowJoins(e: string, from = true): Sql {
  return raw(`${from ? `FROM evaluations ${e}` : ''}
    JOIN mpps m ON m.id = ${e}.mpp_id
    JOIN regencies r ON r.code = m.regency_code
    -- One primary-key lookup per MPP row (OFFSET 0 keeps PostgreSQL from turning these into
    -- hash joins over every check-in of the year: 3 s for a 4,300-MPP province at 100k × 52).
    LEFT JOIN LATERAL (SELECT * FROM check_ins c WHERE c.mpp_id = ${e}.mpp_id AND c.week = ${e}.week OFFSET 0) ci ON true
    LEFT JOIN LATERAL (SELECT state FROM flags g WHERE g.mpp_id = ${e}.mpp_id AND g.state <> 'resolved' OFFSET 0) f ON true`);
}
