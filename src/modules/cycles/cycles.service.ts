import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { Clock } from '../../common/clock';
import { mppScopeOf, Principal } from '../../common/auth/principal';
import { mppScopeSql } from '../../common/auth/scope-sql';
import { run, sql, where } from '../../database/sql';
import { AppError } from '../../common/errors';
import { EvaluationQuery, CycleView } from './cycles.dto';
import { EvaluationService, EvaluationRunSummary } from './evaluation.service';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { addWeeks, cycleTimes, deadlineSearchRange, HolidaySet, IsoWeek, mondayOf, weekAt } from '../../common/time/iso-week';
import { holidayDates } from '../calendar/holiday-dates';
import { EvaluationResult, RESULTS } from './evaluation.rules';
import { NotificationPlanner } from '../notifications/notification.planner';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { CycleErrorCode } from './cycle.errors';

interface CycleRow {
  week: string;
  evaluatedAt: Date | null;
  evaluationRuns: number;
  locksAt: Date | null;
  deadlineWib: Date | null;
}

/** Where an evaluation row names its MPP and province, for the scope filter. */
const EVALUATION_SCOPE = { mppId: 'e.mpp_id', provinceCode: 'e.province_code' };

@Injectable()
export class CyclesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly evaluation: EvaluationService,
    private readonly settings: EvaluationSettingsService,
    private readonly clock: Clock,
    private readonly planner: NotificationPlanner,
    private readonly outbox: OutboxDispatcher,
    private readonly audit: AuditLog,
  ) {}

  /** The national week now: it starts with the earliest zone (WIT). */
  currentWeek(): IsoWeek {
    return weekAt(this.clock.now(), 'Asia/Jayapura');
  }

  /**
   * Creates the cycle rows (idempotent) from the week after the newest existing one, or this week
   * on a fresh install, up to now. Every week missed during an outage, however long, gets its row
   * and so its evaluation, oldest first: each week's streaks rest on the week before, so skipping
   * one would silently reset them.
   */
  async ensureCycles(): Promise<void> {
    const current = this.currentWeek();
    const [latest] = await this.db.query(`SELECT week FROM cycles WHERE week_start <= $1::date ORDER BY week_start DESC LIMIT 1`, [
      mondayOf(current),
    ]);
    const weeks: IsoWeek[] = [];
    for (let week = latest ? addWeeks(latest.week, 1) : current; mondayOf(week) <= mondayOf(current); week = addWeeks(week, 1))
      weeks.push(week);
    if (weeks.length) await this.insertCycles(this.db.manager, weeks);
    await this.refreshDeadlines();
  }

  /**
   * Due times of weeks not yet evaluated follow the holidays as they are now: a holiday an admin
   * adds on a deadline Monday moves that deadline (and the evaluation) to the next working day.
   */
  private async refreshDeadlines(): Promise<void> {
    const open: { week: IsoWeek }[] = await this.db.query(`SELECT week FROM cycles WHERE evaluated_at IS NULL ORDER BY week_start`);
    if (!open.length) return;
    const weeks = open.map((r) => r.week);
    const holidays = await this.holidaysAround(this.db.manager, weeks);
    const deadlines = weeks.map((w) => cycleTimes(w, holidays).deadlineWib);
    await this.db.query(
      `UPDATE cycles c SET deadline_wib = t.dl, evaluate_due_at = t.dl
         FROM unnest($1::text[], $2::timestamptz[]) AS t(w, dl)
        WHERE c.week = t.w AND c.evaluated_at IS NULL AND c.deadline_wib IS DISTINCT FROM t.dl`,
      [weeks, deadlines],
    );
  }

  /** Holidays a deadline of these weeks may move over. */
  private async holidaysAround(tx: EntityManager, weeks: IsoWeek[]): Promise<HolidaySet> {
    const ranges = weeks.map(deadlineSearchRange);
    const from = ranges.map((r) => r.from).sort()[0];
    const to = ranges.map((r) => r.to).sort()[ranges.length - 1];
    return holidayDates(tx, from, to);
  }

  /** Weeks whose evaluation time has passed and that were never evaluated. */
  async dueWeeks(): Promise<IsoWeek[]> {
    const rows = await this.db.query(`SELECT week FROM cycles WHERE evaluated_at IS NULL AND evaluate_due_at <= $1 ORDER BY week_start`, [
      this.clock.now(),
    ]);
    return rows.map((r: { week: string }) => r.week);
  }

  /**
   * The scheduled evaluation. The row lock is the claim: replicas racing for the same week queue
   * on it, and all but the first find it evaluated and return null.
   */
  async evaluateIfDue(week: IsoWeek): Promise<EvaluationRunSummary | null> {
    const run = await this.db.transaction(async (tx) => {
      const [cycle] = await tx.query(`SELECT evaluated_at, evaluate_due_at FROM cycles WHERE week = $1 FOR UPDATE`, [week]);
      if (!cycle || cycle.evaluated_at || new Date(cycle.evaluate_due_at) > this.clock.now()) return null;
      return this.runAndRecord(tx, week);
    });
    if (!run) return null;
    await this.outbox.dispatch(run.notificationIds);
    return run.summary;
  }

  /** An admin's "evaluate now": re-runs are allowed and give the same results for the same data. */
  async evaluateNow(week: IsoWeek): Promise<CycleView> {
    const { deadlineWib } = cycleTimes(week, await this.holidaysAround(this.db.manager, [week]));
    if (this.clock.now() < deadlineWib) {
      throw AppError.conflict(
        `Check-ins for ${week} are accepted until ${deadlineWib.toISOString()}; evaluate after that`,
        CycleErrorCode.StillOpen,
      );
    }
    const run = await this.db.transaction(async (tx) => {
      await this.insertCycles(tx, [week]);
      await tx.query(`SELECT 1 FROM cycles WHERE week = $1 FOR UPDATE`, [week]);
      const result = await this.runAndRecord(tx, week);
      await this.audit.record(tx, 'cycle.evaluate', 'cycle', week, null, {
        evaluated: result.summary.evaluated,
        emailsQueued: result.notificationIds.length,
      });
      return result;
    });
    await this.outbox.dispatch(run.notificationIds);
    return this.get(null, week);
  }

  /** Re-opens a locked week for late check-ins and corrections for another correction period. */
  async unlock(week: IsoWeek): Promise<CycleView> {
    const { correctionDays } = await this.settings.get();
    await this.db.transaction(async (tx) => {
      const [before] = await tx.query(`SELECT locks_at AS "locksAt" FROM cycles WHERE week = $1 AND evaluated_at IS NOT NULL FOR UPDATE`, [
        week,
      ]);
      if (!before) throw AppError.conflict(`${week} has not been evaluated, so it is not locked`);
      const [after] = await tx.query(
        `UPDATE cycles SET locks_at = $2::timestamptz + make_interval(days => $3) WHERE week = $1 RETURNING locks_at AS "locksAt"`,
        [week, this.clock.now(), correctionDays],
      );
      await this.audit.record(tx, 'cycle.unlock', 'cycle', week, before, after);
    });
    return this.get(null, week);
  }

  async get(user: Principal | null, week: IsoWeek): Promise<CycleView> {
    const [view] = await this.views(user, [week]);
    return view;
  }

  async list(user: Principal, limit = 12): Promise<CycleView[]> {
    const rows = await this.db.query(`SELECT week FROM cycles ORDER BY week_start DESC LIMIT $1`, [limit]);
    return this.views(
      user,
      rows.map((r: { week: string }) => r.week),
    );
  }

  /** Cycles with their result counts in the caller's scope: two queries whatever the number of weeks. */
  private async views(user: Principal | null, weeks: IsoWeek[]): Promise<CycleView[]> {
    const scope = user ? mppScopeOf(user) : { kind: 'all' as const };
    const cycles: CycleRow[] = await this.db.query(
      `SELECT week, evaluated_at AS "evaluatedAt", evaluation_runs AS "evaluationRuns", locks_at AS "locksAt", deadline_wib AS "deadlineWib"
         FROM cycles WHERE week = ANY($1::text[])`,
      [weeks],
    );
    const counted = await run<{ week: string; result: EvaluationResult; n: number }>(
      this.db,
      sql`SELECT week, result, count(*)::int AS n FROM evaluations e
           WHERE week = ANY(${weeks}::text[]) AND ${mppScopeSql(scope, EVALUATION_SCOPE)}
           GROUP BY week, result`,
    );
    const now = this.clock.now();
    return weeks.map((week) => {
      const row = cycles.find((c) => c.week === week);
      const times = cycleTimes(week);
      // The row's deadline has the holidays applied; a week with no row yet shows the Monday one.
      const deadlineWib = row?.deadlineWib ? new Date(row.deadlineWib) : times.deadlineWib;
      const counts = Object.fromEntries(RESULTS.map((r) => [r, 0])) as CycleView['counts'];
      for (const c of counted) if (c.week === week) counts[c.result] = c.n;
      const evaluatedAt = row?.evaluatedAt ?? null;
      return {
        week,
        state: evaluatedAt ? 'evaluated' : now >= deadlineWib ? 'closed' : 'open',
        startsAt: times.startsAt.toISOString(),
        deadlineWib: deadlineWib.toISOString(),
        evaluatedAt: evaluatedAt ? new Date(evaluatedAt).toISOString() : null,
        evaluationRuns: row?.evaluationRuns ?? 0,
        locksAt: row?.locksAt ? new Date(row.locksAt).toISOString() : null,
        locked: !!row?.locksAt && new Date(row.locksAt) <= now,
        counts,
      };
    });
  }

  async evaluations(user: Principal, week: IsoWeek, query: EvaluationQuery): Promise<unknown[]> {
    return run(
      this.db,
      sql`SELECT e.mpp_id AS "mppId", m.name AS "mppName", e.province_code AS "provinceCode", e.result, e.rules,
                 e.expected_days AS "expectedDays", e.reported, e.on_time AS "onTime", e.not_reporting_streak AS "notReportingStreak",
                 ci.days_open AS "daysOpen", ci.visitors, ci.transactions, e.evaluated_at AS "evaluatedAt"
            FROM evaluations e JOIN mpps m ON m.id = e.mpp_id
            LEFT JOIN check_ins ci ON ci.mpp_id = e.mpp_id AND ci.week = e.week
           ${where([
             sql`e.week = ${week}`,
             query.province && sql`e.province_code = ${query.province}`,
             query.result && sql`e.result = ${query.result}`,
             mppScopeSql(mppScopeOf(user), EVALUATION_SCOPE),
           ])}
           ORDER BY e.province_code, m.name`,
    );
  }

  /**
   * Evaluates and decides the week's escalation emails in one transaction: the outbox rows are
   * durable exactly when the results are, and are queued only after both committed.
   */
  private async runAndRecord(tx: EntityManager, week: IsoWeek): Promise<{ summary: EvaluationRunSummary; notificationIds: string[] }> {
    const summary = await this.evaluation.run(tx, week);
    const settings = await this.settings.get(tx);
    const { correctionDays } = settings;
    await tx.query(
      `UPDATE cycles SET evaluated_at = coalesce(evaluated_at, $2), evaluation_runs = evaluation_runs + 1, last_run_at = $2,
              locks_at = coalesce(locks_at, $2::timestamptz + make_interval(days => $3))
        WHERE week = $1`,
      [week, this.clock.now(), correctionDays],
    );
    const notificationIds = await this.planner.planAfterEvaluation(tx, week, settings);
    return { summary, notificationIds };
  }

  private async insertCycles(tx: EntityManager, weeks: IsoWeek[]): Promise<void> {
    const holidays = await this.holidaysAround(tx, weeks);
    const times = weeks.map((w) => cycleTimes(w, holidays));
    await tx.query(
      `INSERT INTO cycles (week, week_start, starts_at, deadline_wib, evaluate_due_at)
       SELECT w, d, s, dl, dl FROM unnest($1::text[], $2::date[], $3::timestamptz[], $4::timestamptz[]) AS t(w, d, s, dl)
       ON CONFLICT (week) DO NOTHING`,
      [weeks, weeks.map(mondayOf), times.map((t) => t.startsAt), times.map((t) => t.deadlineWib)],
    );
  }
}
