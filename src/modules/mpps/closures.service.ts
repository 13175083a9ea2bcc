import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import type { Principal } from '../../common/auth/principal';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, ErrorDetail } from '../../common/errors';
import { isCalendarDate, IsoWeek, localDate, mondayOf, weekOfDate } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import { EvaluationService } from '../cycles/evaluation.service';
import { EvaluationSettingsService } from '../cycles/evaluation-settings.service';
import { categoryOf, closureDays, excuses, MAX_CLOSURE_DAYS, statusOnDecision, statusOnDeclare, weekOpenToClosures } from './closure.rules';
import { ClosureErrorCode } from './closure.errors';
import { ClosureDecisionDto, ClosureView, CreateClosureDto, UpdateClosureDto } from './closures.dto';
import { MppsService } from './mpps.service';

const VIEW_COLUMNS = `id, mpp_id AS "mppId", to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to",
  category, reason, status, created_by AS "createdBy", created_at AS "createdAt",
  decided_by AS "decidedBy", decided_at AS "decidedAt", decision_note AS "decisionNote"`;

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
    private readonly mpps: MppsService,
    private readonly evaluation: EvaluationService,
    private readonly settings: EvaluationSettingsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async declare(user: Principal, mppId: string, dto: CreateClosureDto): Promise<ClosureView> {
    const role = await this.declarer(user, mppId);
    const closure = { from: dto.from, to: dto.to, category: categoryOf(dto), reason: dto.reason };
    return this.db.transaction(async (tx) => {
      const today = await this.today(tx, mppId);
      await this.assertValid(tx, closure, true);
      const status = statusOnDeclare(role, closure, today);
      const [row]: ClosureView[] = await tx.query(
        `INSERT INTO planned_closures (mpp_id, from_date, to_date, category, reason, status, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)
         RETURNING ${VIEW_COLUMNS}`,
        [mppId, closure.from, closure.to, closure.category, closure.reason, status, user.id, this.clock.now()],
      );
      if (excuses(status)) await this.reevaluate(tx, mppId, [closure]);
      await this.audit.record(tx, 'closure.declare', 'mpp', mppId, null, { closureId: row.id, ...closure, status });
      return row;
    });
  }

  async update(user: Principal, mppId: string, closureId: string, dto: UpdateClosureDto): Promise<ClosureView> {
    const role = await this.declarer(user, mppId);
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
      const status = statusOnDeclare(role, after, await this.today(tx, mppId));
      const [[row]]: [ClosureView[], number] = await tx.query(
        `UPDATE planned_closures SET from_date = $2, to_date = $3, category = $4, reason = $5, status = $6, updated_by = $7, updated_at = $8,
                decided_by = CASE WHEN $6 = status THEN decided_by END, decided_at = CASE WHEN $6 = status THEN decided_at END,
                decision_note = CASE WHEN $6 = status THEN decision_note END
          WHERE id = $1 RETURNING ${VIEW_COLUMNS}`,
        [closureId, after.from, after.to, after.category, after.reason, status, user.id, this.clock.now()],
      );
      if (excuses(before.status) || excuses(status)) await this.reevaluate(tx, mppId, [before, after]);
      await this.audit.record(tx, 'closure.update', 'mpp', mppId, { closureId, ...before }, { closureId, ...after, status });
      return row;
    });
  }

  async withdraw(user: Principal, mppId: string, closureId: string): Promise<void> {
    await this.declarer(user, mppId);
    await this.db.transaction(async (tx) => {
      const before = await this.locked(tx, mppId, closureId);
      await tx.query(`UPDATE planned_closures SET status = 'withdrawn', updated_by = $2, updated_at = $3 WHERE id = $1`, [
        closureId,
        user.id,
        this.clock.now(),
      ]);
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
      const [[row]]: [ClosureView[], number] = await tx.query(
        `UPDATE planned_closures SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5 WHERE id = $1 RETURNING ${VIEW_COLUMNS}`,
        [closureId, status, user.id, this.clock.now(), dto.note ?? null],
      );
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
    return this.db.query(`SELECT ${VIEW_COLUMNS} FROM planned_closures WHERE mpp_id = $1 ORDER BY from_date DESC, created_at DESC`, [
      mppId,
    ]);
  }

  /** Who may declare, edit or withdraw: the MPP's manager, its province's bureau, an admin (out of scope: 404). */
  private async declarer(user: Principal, mppId: string): Promise<Declarer> {
    await this.mpps.assertVisible(user, mppId);
    if (user.role === 'ministry') throw AppError.forbidden("Only the MPP's manager, its province's bureau or an admin declares a closure");
    return user.role;
  }

  private async locked(tx: EntityManager, mppId: string, closureId: string): Promise<ClosureView> {
    const [row]: ClosureView[] = await tx.query(`SELECT ${VIEW_COLUMNS} FROM planned_closures WHERE id = $1 AND mpp_id = $2 FOR UPDATE`, [
      closureId,
      mppId,
    ]);
    if (!row) throw AppError.notFound('Closure');
    if (row.status === 'withdrawn') throw AppError.conflict('This closure was withdrawn', ClosureErrorCode.Withdrawn);
    return row;
  }

  private async today(tx: EntityManager, mppId: string): Promise<string> {
    const [mpp] = await tx.query(`SELECT p.timezone FROM mpps m JOIN provinces p ON p.code = m.province_code WHERE m.id = $1`, [mppId]);
    return localDate(this.clock.now(), mpp.timezone as IndonesianTimezone);
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
      const [cycle] = await tx.query(`SELECT evaluated_at AS "evaluatedAt", locks_at AS "locksAt" FROM cycles WHERE week = $1`, [week]);
      const { correctionDays } = await this.settings.get(tx);
      const open = weekOpenToClosures(
        { monday: mondayOf(week), evaluatedAt: cycle?.evaluatedAt ?? null, locksAt: cycle?.locksAt ? new Date(cycle.locksAt) : null },
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
    const [first]: { week: IsoWeek }[] = await tx.query(
      `SELECT week FROM cycles
        WHERE week_start <= $2::date AND week_start + 6 >= $1::date AND evaluated_at IS NOT NULL AND (locks_at IS NULL OR locks_at > $3)
        ORDER BY week_start LIMIT 1`,
      [from, to, this.clock.now()],
    );
    if (first) await this.evaluation.reevaluate(tx, first.week, [mppId]);
  }
}
