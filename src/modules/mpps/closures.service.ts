import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import type { Principal } from '../../common/auth/principal';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, ErrorDetail } from '../../common/errors';
import { isCalendarDate, localDate, mondayOf, weekOfDate } from '../../common/time/iso-week';
import { timezoneOfProvince } from '../../common/time/timezones';
import { CyclesRepository } from '../cycles/cycles.repository';
import { ClosuresRepository } from './closures.repository';
import { EvaluationService } from '../cycles/evaluation.service';
import { EvaluationSettingsService } from '../cycles/evaluation-settings.service';
import { categoryOf, closureDays, excuses, MAX_CLOSURE_DAYS, statusOnDecision, statusOnDeclare, weekOpenToClosures } from './closure.rules';
import { ClosureErrorCode } from './closure.errors';
import { ClosureDecisionDto, ClosureView, CreateClosureDto, UpdateClosureDto } from './closures.dto';
import { MppsService } from './mpps.service';

type Declarer = 'manager' | 'bureau' | 'admin';

/**
 * Closures: declared ahead or, within the correction window, afterwards, by the MPP's manager,
 * its province's bureau or an admin. A manager's closure that starts in the past or lasts more
 * than 14 days waits for the bureau (closure.rules). Any change to whether a closure excuses
 * re-evaluates that MPP's affected evaluated weeks in the same transaction.
 */
@Injectable()
export class ClosuresService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly closures: ClosuresRepository,
    private readonly cycles: CyclesRepository,
    private readonly mpps: MppsService,
    private readonly evaluation: EvaluationService,
    private readonly settings: EvaluationSettingsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async declare(user: Principal, mppId: string, dto: CreateClosureDto): Promise<ClosureView> {
    const { role, provinceCode } = await this.declarer(user, mppId);
    const closure = { from: dto.from, to: dto.to, category: categoryOf(dto), reason: dto.reason };
    return this.db.transaction(async (tx) => {
      await this.assertValid(tx, closure, true);
      const status = statusOnDeclare(role, closure, this.today(provinceCode));
      const row = await this.closures.insert(tx, mppId, closure, status, user.id, this.clock.now());
      if (excuses(status)) await this.reevaluate(tx, mppId, [closure]);
      await this.audit.record(tx, 'closure.declare', 'mpp', mppId, null, { closureId: row.id, ...closure, status });
      return row;
    });
  }

  async update(user: Principal, mppId: string, closureId: string, dto: UpdateClosureDto): Promise<ClosureView> {
    const { role, provinceCode } = await this.declarer(user, mppId);
    return this.db.transaction(async (tx) => {
      const before = await this.locked(tx, mppId, closureId);
      const after = {
        from: dto.from ?? before.from,
        to: dto.to ?? before.to,
        category: dto.category || dto.kind ? categoryOf(dto) : before.category,
        reason: dto.reason ?? before.reason,
      };
      await this.assertValid(tx, after, after.from !== before.from);
      // A manager's change is judged again as if declared now; the bureau's or an admin's stands approved.
      const status = statusOnDeclare(role, after, this.today(provinceCode));
      const row = await this.closures.update(tx, closureId, after, status, user.id, this.clock.now());
      if (excuses(before.status) || excuses(status)) await this.reevaluate(tx, mppId, [before, after]);
      await this.audit.record(tx, 'closure.update', 'mpp', mppId, { closureId, ...before }, { closureId, ...after, status });
      return row;
    });
  }

  async withdraw(user: Principal, mppId: string, closureId: string): Promise<void> {
    await this.declarer(user, mppId);
    await this.db.transaction(async (tx) => {
      const before = await this.locked(tx, mppId, closureId);
      await this.closures.withdraw(tx, closureId, user.id, this.clock.now());
      if (excuses(before.status)) await this.reevaluate(tx, mppId, [before]);
      await this.audit.record(tx, 'closure.withdraw', 'mpp', mppId, { closureId, ...before }, { closureId, status: 'withdrawn' });
    });
  }

  /** The bureau of the MPP's province (or an admin) approves or rejects; the affected weeks follow. */
  async decide(user: Principal, mppId: string, closureId: string, dto: ClosureDecisionDto): Promise<ClosureView> {
    await this.mpps.assertVisible(user, mppId);
    if (user.role !== 'bureau' && user.role !== 'admin')
      throw AppError.forbidden("Only the province's bureau or an admin decides on a closure");
    return this.db.transaction(async (tx) => {
      const before = await this.locked(tx, mppId, closureId);
      const status = statusOnDecision(before.status, dto.approve)!;
      const row = await this.closures.decide(tx, closureId, status, user.id, this.clock.now(), dto.note ?? null);
      if (excuses(before.status) !== excuses(status)) await this.reevaluate(tx, mppId, [before]);
      await this.audit.record(
        tx,
        'closure.decide',
        'mpp',
        mppId,
        { closureId, status: before.status },
        { closureId, status, note: dto.note },
      );
      return row;
    });
  }

  async list(user: Principal, mppId: string): Promise<ClosureView[]> {
    await this.mpps.assertVisible(user, mppId);
    return this.closures.listOfMpp(mppId);
  }

  /** Who may declare, edit or withdraw: the MPP's manager, its province's bureau, an admin (out of scope: 404). */
  private async declarer(user: Principal, mppId: string): Promise<{ role: Declarer; provinceCode: string }> {
    const { provinceCode } = await this.mpps.assertVisible(user, mppId);
    if (user.role === 'ministry') throw AppError.forbidden("Only the MPP's manager, its province's bureau or an admin declares a closure");
    return { role: user.role, provinceCode };
  }

  private async locked(tx: EntityManager, mppId: string, closureId: string): Promise<ClosureView> {
    const row = await this.closures.lockOne(tx, mppId, closureId);
    if (!row) throw AppError.notFound('Closure');
    if (row.status === 'withdrawn') throw AppError.conflict('This closure was withdrawn', ClosureErrorCode.Withdrawn);
    return row;
  }

  /** Today in the MPP's zone (its province's). */
  private today(provinceCode: string): string {
    return localDate(this.clock.now(), timezoneOfProvince(provinceCode));
  }

  /** Real dates in order, at most a year, and (when `from` is new) a start in a week still open to corrections. */
  private async assertValid(tx: EntityManager, c: { from: string; to: string }, checkWindow: boolean): Promise<void> {
    const problems: ErrorDetail[] = [];
    if (!isCalendarDate(c.from)) problems.push({ field: 'from', problem: 'from is not a real date' });
    if (!isCalendarDate(c.to)) problems.push({ field: 'to', problem: 'to is not a real date' });
    if (!problems.length && c.to < c.from) problems.push({ field: 'to', problem: 'to must not be before from' });
    if (!problems.length && closureDays(c.from, c.to) > MAX_CLOSURE_DAYS)
      problems.push({ field: 'to', problem: `a closure spans at most ${MAX_CLOSURE_DAYS} days` });
    if (!problems.length && checkWindow) {
      const week = weekOfDate(c.from);
      const cycle = await this.cycles.lockState(tx, week);
      const { correctionDays } = await this.settings.get(tx);
      const open = weekOpenToClosures(
        { monday: mondayOf(week), evaluatedAt: cycle.evaluatedAt, locksAt: cycle.locksAt },
        this.clock.now(),
        correctionDays,
      );
      if (!open)
        problems.push({ field: 'from', problem: `${week} is locked: a closure may start only in a week still open to corrections` });
    }
    if (problems.length) throw AppError.validation(problems.map((p) => p.problem).join('; '), problems);
  }

  /**
   * Re-evaluates the MPP from the first evaluated, unlocked week any of these date ranges touches;
   * the evaluation carries on to the later weeks itself.
   */
  private async reevaluate(tx: EntityManager, mppId: string, ranges: { from: string; to: string }[]): Promise<void> {
    const from = ranges.map((r) => r.from).sort()[0];
    const to = ranges.map((r) => r.to).sort()[ranges.length - 1];
    const first = await this.cycles.firstEvaluatedOpenWeek(tx, from, to, this.clock.now());
    if (first) await this.evaluation.reevaluate(tx, first, [mppId]);
  }
}
