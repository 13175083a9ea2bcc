import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { MppScope } from '../../common/auth/principal';
import { mppScopeSql } from '../../common/auth/scope-sql';
import { one, run, runChange, sql, where } from '../../database/sql';
import type { IsoWeek } from '../../common/time/iso-week';
import type { EvaluationResult } from './evaluation.rules';

export interface CycleRow {
  week: string;
  evaluatedAt: Date | null;
  evaluationRuns: number;
  locksAt: Date | null;
  deadlineWib: Date | null;
}

export interface NewCycle {
  week: IsoWeek;
  monday: string;
  startsAt: Date;
  deadlineWib: Date;
}

/** Where an evaluation row names its MPP and province, for the scope filter. */
const EVALUATION_SCOPE = { mppId: 'e.mpp_id', provinceCode: 'e.province_code' };

/** The `cycles` table, and reads of the week's `evaluations` (written by evaluation.queries.ts). */
@Injectable()
export class CyclesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async lockState(tx: EntityManager, week: IsoWeek): Promise<{ evaluatedAt: Date | null; locksAt: Date | null }> {
    const row = await one<{ evaluatedAt: Date | null; locksAt: Date | null }>(
      tx,
      sql`SELECT evaluated_at AS "evaluatedAt", locks_at AS "locksAt" FROM cycles WHERE week = ${week}`,
    );
    return { evaluatedAt: row?.evaluatedAt ?? null, locksAt: row?.locksAt ? new Date(row.locksAt) : null };
  }

  /** The first evaluated week, still open to corrections at `now`, that overlaps the dates from–to. */
  async firstEvaluatedOpenWeek(tx: EntityManager, from: string, to: string, now: Date): Promise<IsoWeek | undefined> {
    const row = await one<{ week: IsoWeek }>(
      tx,
      sql`SELECT week FROM cycles
           WHERE week_start <= ${to}::date AND week_start + 6 >= ${from}::date
             AND evaluated_at IS NOT NULL AND (locks_at IS NULL OR locks_at > ${now})
           ORDER BY week_start LIMIT 1`,
    );
    return row?.week;
  }

  /** The newest week starting on or before this Monday. */
  async latestFrom(monday: string): Promise<IsoWeek | undefined> {
    return (
      await one<{ week: IsoWeek }>(
        this.db,
        sql`SELECT week FROM cycles WHERE week_start <= ${monday}::date ORDER BY week_start DESC LIMIT 1`,
      )
    )?.week;
  }

  /** Adds the weeks that have no row yet, in one statement. */
  async insert(tx: EntityManager, cycles: NewCycle[]): Promise<void> {
    await run(
      tx,
      sql`INSERT INTO cycles (week, week_start, starts_at, deadline_wib, evaluate_due_at)
          SELECT x.week, x.monday, x."startsAt", x."deadlineWib", x."deadlineWib"
            FROM jsonb_to_recordset(${JSON.stringify(cycles)}::jsonb) AS x(week text, monday date, "startsAt" timestamptz, "deadlineWib" timestamptz)
          ON CONFLICT (week) DO NOTHING`,
    );
  }

  async notEvaluated(): Promise<IsoWeek[]> {
    return (await run<{ week: IsoWeek }>(this.db, sql`SELECT week FROM cycles WHERE evaluated_at IS NULL ORDER BY week_start`)).map(
      (r) => r.week,
    );
  }

  /** New deadlines (and due times) for weeks not evaluated yet, in one statement. */
  async moveDeadlines(deadlines: { week: IsoWeek; deadlineWib: Date }[]): Promise<void> {
    await run(
      this.db,
      sql`UPDATE cycles c SET deadline_wib = x."deadlineWib", evaluate_due_at = x."deadlineWib"
            FROM jsonb_to_recordset(${JSON.stringify(deadlines)}::jsonb) AS x(week text, "deadlineWib" timestamptz)
           WHERE c.week = x.week AND c.evaluated_at IS NULL AND c.deadline_wib IS DISTINCT FROM x."deadlineWib"`,
    );
  }

  /** Weeks whose evaluation time has passed at `now` and that were never evaluated. */
  async due(now: Date): Promise<IsoWeek[]> {
    return (
      await run<{ week: IsoWeek }>(
        this.db,
        sql`SELECT week FROM cycles WHERE evaluated_at IS NULL AND evaluate_due_at <= ${now} ORDER BY week_start`,
      )
    ).map((r) => r.week);
  }

  /** How many weeks are past their evaluation time at `now` and not evaluated. */
  async overdueCount(now: Date): Promise<number> {
    return (await one<{ n: number }>(
      this.db,
      sql`SELECT count(*)::int AS n FROM cycles WHERE evaluated_at IS NULL AND evaluate_due_at <= ${now}`,
    ))!.n;
  }

  /** The week's row, locked for this transaction: replicas claiming the same week queue here. */
  lock(tx: EntityManager, week: IsoWeek): Promise<{ evaluatedAt: Date | null; evaluateDueAt: Date } | undefined> {
    return one(
      tx,
      sql`SELECT evaluated_at AS "evaluatedAt", evaluate_due_at AS "evaluateDueAt" FROM cycles WHERE week = ${week} FOR UPDATE`,
    );
  }

  /** The week's lock time, with its row locked; undefined when the week is not evaluated. */
  lockEvaluated(tx: EntityManager, week: IsoWeek): Promise<{ locksAt: Date | null } | undefined> {
    return one(tx, sql`SELECT locks_at AS "locksAt" FROM cycles WHERE week = ${week} AND evaluated_at IS NOT NULL FOR UPDATE`);
  }

  /** Takes corrections again for `days` from `now`. */
  async reopen(tx: EntityManager, week: IsoWeek, now: Date, days: number): Promise<{ locksAt: Date }> {
    const [row] = await runChange<{ locksAt: Date }>(
      tx,
      sql`UPDATE cycles SET locks_at = ${now}::timestamptz + make_interval(days => ${days}) WHERE week = ${week} RETURNING locks_at AS "locksAt"`,
    );
    return row;
  }

  /** An evaluation run: the first one sets evaluated_at and the lock time, every one counts. */
  async recordRun(tx: EntityManager, week: IsoWeek, now: Date, correctionDays: number): Promise<void> {
    await run(
      tx,
      sql`UPDATE cycles SET evaluated_at = coalesce(evaluated_at, ${now}), evaluation_runs = evaluation_runs + 1, last_run_at = ${now},
                 locks_at = coalesce(locks_at, ${now}::timestamptz + make_interval(days => ${correctionDays}))
           WHERE week = ${week}`,
    );
  }

  /** When the week was first evaluated; undefined when it has not been. */
  async evaluatedAt(week: IsoWeek): Promise<Date | undefined> {
    return (
      await one<{ evaluatedAt: Date }>(
        this.db,
        sql`SELECT evaluated_at AS "evaluatedAt" FROM cycles WHERE week = ${week} AND evaluated_at IS NOT NULL`,
      )
    )?.evaluatedAt;
  }

  /** The most recent evaluated weeks, newest first (reports, coverage and pages show the latest). */
  async newestEvaluated(count: number): Promise<IsoWeek[]> {
    const rows = await run<{ week: IsoWeek }>(
      this.db,
      sql`SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week_start DESC LIMIT ${count}`,
    );
    return rows.map((r) => r.week);
  }

  async newest(limit: number): Promise<IsoWeek[]> {
    return (await run<{ week: IsoWeek }>(this.db, sql`SELECT week FROM cycles ORDER BY week_start DESC LIMIT ${limit}`)).map((r) => r.week);
  }

  rows(weeks: IsoWeek[]): Promise<CycleRow[]> {
    return run(
      this.db,
      sql`SELECT week, evaluated_at AS "evaluatedAt", evaluation_runs AS "evaluationRuns", locks_at AS "locksAt", deadline_wib AS "deadlineWib"
            FROM cycles WHERE week = ANY(${weeks}::text[])`,
    );
  }

  /** How many MPPs in scope had each result, per week. */
  resultCounts(scope: MppScope, weeks: IsoWeek[]): Promise<{ week: string; result: EvaluationResult; n: number }[]> {
    return run(
      this.db,
      sql`SELECT week, result, count(*)::int AS n FROM evaluations e
           WHERE week = ANY(${weeks}::text[]) AND ${mppScopeSql(scope, EVALUATION_SCOPE)}
           GROUP BY week, result`,
    );
  }

  /** The week's evaluations in scope with the check-in they judged, by province and MPP name. */
  evaluationsOf(week: IsoWeek, scope: MppScope, filter: { province?: string; result?: string }): Promise<unknown[]> {
    return run(
      this.db,
      sql`SELECT e.mpp_id AS "mppId", m.name AS "mppName", e.province_code AS "provinceCode", e.result, e.rules,
                 e.expected_days AS "expectedDays", e.reported, e.on_time AS "onTime", e.not_reporting_streak AS "notReportingStreak",
                 ci.days_open AS "daysOpen", ci.visitors, ci.transactions, e.evaluated_at AS "evaluatedAt"
            FROM evaluations e JOIN mpps m ON m.id = e.mpp_id
            LEFT JOIN check_ins ci ON ci.mpp_id = e.mpp_id AND ci.week = e.week
           ${where([
             sql`e.week = ${week}`,
             filter.province && sql`e.province_code = ${filter.province}`,
             filter.result && sql`e.result = ${filter.result}`,
             mppScopeSql(scope, EVALUATION_SCOPE),
           ])}
           ORDER BY e.province_code, m.name`,
    );
  }

  /** Weeks starting after this Monday that are evaluated and still open to corrections at `now`, in order. */
  async evaluatedOpenWeeksAfter(tx: EntityManager, monday: string, now: Date): Promise<IsoWeek[]> {
    const rows = await run<{ week: IsoWeek }>(
      tx,
      sql`SELECT week FROM cycles
           WHERE week_start > ${monday}::date AND evaluated_at IS NOT NULL AND (locks_at IS NULL OR locks_at > ${now})
           ORDER BY week_start`,
    );
    return rows.map((r) => r.week);
  }

  /** Empties the week before a whole-cycle run (which also drops MPPs no longer expected). */
  async dropWeekEvaluations(tx: EntityManager, week: IsoWeek): Promise<void> {
    await run(tx, sql`DELETE FROM evaluations WHERE week = ${week}`);
  }

  /** Drops the MPP's evaluations of weeks starting after `date` (it retired then); answers those weeks. */
  async dropEvaluationsAfter(tx: EntityManager, mppId: string, date: string): Promise<IsoWeek[]> {
    const dropped = await runChange<{ week: IsoWeek }>(
      tx,
      sql`DELETE FROM evaluations WHERE mpp_id = ${mppId} AND week_start > ${date}::date RETURNING week`,
    );
    return dropped.map((r) => r.week);
  }
}
