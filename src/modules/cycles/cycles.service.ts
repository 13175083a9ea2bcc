import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { Clock } from '../../common/clock';
import { mppScopeOf, Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { EvaluationQuery, CycleView } from './cycles.dto';
import { EvaluationService, EvaluationRunSummary } from './evaluation.service';
import { EvaluationSettingsService } from './evaluation-settings.service';
import { addWeeks, cycleTimes, deadlineSearchRange, HolidaySet, IsoWeek, mondayOf, weekAt } from '../../common/time/iso-week';
import { holidayDates } from '../calendar/holiday-dates';
import { RESULTS } from './evaluation.rules';
import { NotificationPlanner } from '../notifications/notification.planner';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { CycleErrorCode } from './cycle.errors';
import { CyclesRepository } from './cycles.repository';

@Injectable()
export class CyclesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cycles: CyclesRepository,
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
    const latest = await this.cycles.latestFrom(mondayOf(current));
    const weeks: IsoWeek[] = [];
    for (let week = latest ? addWeeks(latest, 1) : current; mondayOf(week) <= mondayOf(current); week = addWeeks(week, 1)) weeks.push(week);
    if (weeks.length) await this.insertCycles(this.db.manager, weeks);
    await this.refreshDeadlines();
  }

  /**
   * Due times of weeks not yet evaluated follow the holidays as they are now: a holiday an admin
   * adds on a deadline Monday moves that deadline (and the evaluation) to the next working day.
   */
  private async refreshDeadlines(): Promise<void> {
    const weeks = await this.cycles.notEvaluated();
    if (!weeks.length) return;
    const holidays = await this.holidaysAround(this.db.manager, weeks);
    await this.cycles.moveDeadlines(weeks.map((week) => ({ week, deadlineWib: cycleTimes(week, holidays).deadlineWib })));
  }

  /** Holidays a deadline of these weeks may move over. */
  private async holidaysAround(tx: EntityManager, weeks: IsoWeek[]): Promise<HolidaySet> {
    const ranges = weeks.map(deadlineSearchRange);
    const from = ranges.map((r) => r.from).sort()[0];
    const to = ranges.map((r) => r.to).sort()[ranges.length - 1];
    return holidayDates(tx, from, to);
  }

  /** Weeks whose evaluation time has passed and that were never evaluated. */
  dueWeeks(): Promise<IsoWeek[]> {
    return this.cycles.due(this.clock.now());
  }

  /**
   * The scheduled evaluation. The row lock is the claim: replicas racing for the same week queue
   * on it, and all but the first find it evaluated and return null.
   */
  async evaluateIfDue(week: IsoWeek): Promise<EvaluationRunSummary | null> {
    const run = await this.db.transaction(async (tx) => {
      const cycle = await this.cycles.lock(tx, week);
      if (!cycle || cycle.evaluatedAt || new Date(cycle.evaluateDueAt) > this.clock.now()) return null;
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
      await this.cycles.lock(tx, week);
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
      const before = await this.cycles.lockEvaluated(tx, week);
      if (!before) throw AppError.conflict(`${week} has not been evaluated, so it is not locked`);
      const after = await this.cycles.reopen(tx, week, this.clock.now(), correctionDays);
      await this.audit.record(tx, 'cycle.unlock', 'cycle', week, before, after);
    });
    return this.get(null, week);
  }

  async get(user: Principal | null, week: IsoWeek): Promise<CycleView> {
    const [view] = await this.views(user, [week]);
    return view;
  }

  async list(user: Principal, limit = 12): Promise<CycleView[]> {
    return this.views(user, await this.cycles.newest(limit));
  }

  /** Cycles with their result counts in the caller's scope: two queries whatever the number of weeks. */
  private async views(user: Principal | null, weeks: IsoWeek[]): Promise<CycleView[]> {
    const scope = user ? mppScopeOf(user) : { kind: 'all' as const };
    const cycles = await this.cycles.rows(weeks);
    const counted = await this.cycles.resultCounts(scope, weeks);
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
    return this.cycles.evaluationsOf(week, mppScopeOf(user), query);
  }

  /**
   * Evaluates and decides the week's escalation emails in one transaction: the outbox rows are
   * durable exactly when the results are, and are queued only after both committed.
   */
  private async runAndRecord(tx: EntityManager, week: IsoWeek): Promise<{ summary: EvaluationRunSummary; notificationIds: string[] }> {
    const summary = await this.evaluation.run(tx, week);
    const settings = await this.settings.get(tx);
    const { correctionDays } = settings;
    await this.cycles.recordRun(tx, week, this.clock.now(), correctionDays);
    const notificationIds = await this.planner.planAfterEvaluation(tx, week, settings);
    return { summary, notificationIds };
  }

  private async insertCycles(tx: EntityManager, weeks: IsoWeek[]): Promise<void> {
    const holidays = await this.holidaysAround(tx, weeks);
    await this.cycles.insert(
      tx,
      weeks.map((week) => ({ week, monday: mondayOf(week), ...cycleTimes(week, holidays) })),
    );
  }
}
