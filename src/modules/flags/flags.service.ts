import { ListPage, pageOf } from '../../common/paging/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { Clock } from '../../common/clock';
import { canSeeMpp, mppScopeOf, Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { allowedTransitions, canTransition, FlagState } from './flag.rules';
import { ActionDto, FlagDetailView, FlagQuery, FlagView, TransitionDto } from './flags.dto';
import { FlagRow, FlagsRepository, LongestOpenFlag, OverdueAction } from './flags.repository';
import { contextOf, FlagContextRow, RECENT_WEEKS } from './flag-context';
import { EVALUATION_SETTINGS_KEY, evaluationSettingsOf } from '../cycles/evaluation-settings.service';
import { DEFAULT_SETTINGS } from '../cycles/evaluation.rules';
import { loadLabels } from '../../common/i18n/labels';
import { ruleFactText } from '../../common/i18n/rule-fact-text';
import { isCalendarDate, localDate } from '../../common/time/iso-week';
import { FlagErrorCode } from './flag.errors';

@Injectable()
export class FlagsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly flags: FlagsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Opens, carries, reopens or withdraws flags after an evaluation of `week`, set-based. Safe to
   * repeat: a flag already moved for this week (or resolved by a person after it) is left alone.
   */
  async applyEvaluation(tx: EntityManager, week: string, mppIds: string[] | null): Promise<void> {
    const now = this.clock.now();
    await this.flags.carryUnresolved(tx, week, now, mppIds);
    await this.flags.reopenFallenAgain(tx, week, now, mppIds);
    await this.flags.openFirstFalls(tx, week, now, mppIds);
    await this.flags.withdrawOverturned(tx, week, now, mppIds);
  }

  /** An MPP retired for good: its unresolved flag is resolved by the system, the reason as its note. */
  resolveForRetirement(tx: EntityManager, mppId: string, note: string): Promise<string | null> {
    return this.flags.resolveUnresolvedOfMpp(tx, mppId, this.clock.now(), note);
  }

  async list(user: Principal, query: FlagQuery): Promise<FlagView[]> {
    return (await this.listPage(user, query)).rows;
  }

  /** Flags in scope, oldest first: whole, or with `limit` a page of them. */
  async listPage(user: Principal, query: FlagQuery): Promise<ListPage<FlagView>> {
    const scope = mppScopeOf(user);
    if (!query.limit) {
      const rows = (await this.flags.listInScope(scope, query)).map(toView);
      return { rows, total: rows.length };
    }
    const total = await this.flags.countInScope(scope, query);
    const paging = pageOf(total, query.page, query.limit);
    const rows = await this.flags.listInScope(scope, query, paging);
    return { rows: rows.map(toView), total };
  }

  /** An MPP moved to another province: its flags go with it, to that province's bureau. */
  moveToProvince(tx: EntityManager, mppId: string, provinceCode: string): Promise<void> {
    return this.flags.moveToProvince(tx, mppId, provinceCode);
  }

  /** The nation's unresolved flags open longest, at most `limit` (the national page). */
  longestOpen(limit: number): Promise<LongestOpenFlag[]> {
    return this.flags.longestOpen(limit);
  }

  /** Actions whose target date passed with nothing recorded since, on unresolved flags the user may see. */
  overdueActions(user: Principal): Promise<OverdueAction[]> {
    return this.flags.overdueActions(mppScopeOf(user), this.clock.now());
  }

  /** The flag with its context: the MPP and its managers, the latest check-in, recent weeks, rules in numbers, actions. */
  async get(user: Principal, id: string, tx: EntityManager = this.db.manager): Promise<FlagDetailView> {
    const [flag] = await this.getMany(user, [id], tx);
    if (!flag) throw AppError.notFound('Flag');
    return flag;
  }

  /**
   * Many flags with their context in a fixed number of statements, whatever their number (a
   * manager's page shows every MPP's case); flags out of the user's scope are left out.
   */
  async getMany(user: Principal, ids: string[], tx: EntityManager = this.db.manager): Promise<FlagDetailView[]> {
    if (!ids.length) return [];
    const rows = await this.flags.details(tx, ids, this.clock.now(), {
      recent: RECENT_WEEKS,
      settingsKey: EVALUATION_SETTINGS_KEY,
      defaultMedianWeeks: DEFAULT_SETTINGS.medianWeeks,
    });
    const visible = rows.filter((row) => this.visible(user, row));
    if (!visible.length) return [];
    const settings = evaluationSettingsOf(visible[0].settings);
    const labels = loadLabels(user.locale ?? 'id');
    return visible.map(({ registeredTenants, mpp, latestCheckIn, recentWeeks, transactionsHistory, actions, settings: _, ...row }) => {
      const context = contextOf(
        { rules: row.rules, registeredTenants, mpp, latestCheckIn, recentWeeks, transactionsHistory } as FlagContextRow,
        settings,
      );
      return {
        ...toView(row),
        ...context,
        ruleDetails: context.ruleFacts.map((fact) => ({ code: fact.code, text: ruleFactText(labels, fact) })),
        actions: actions.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
      };
    });
  }

  /**
   * Records a follow-up action with a target date. A bureau's action also acknowledges the flag and
   * puts it in follow-up (recording a field visit is answering the escalation); the ministry's and an
   * admin's are recorded without moving it.
   */
  async addAction(user: Principal, id: string, dto: ActionDto): Promise<FlagDetailView> {
    if (!isCalendarDate(dto.targetDate))
      throw AppError.validation('targetDate must be a calendar date', [{ field: 'targetDate', problem: 'not_a_date' }]);
    return this.db.transaction(async (tx) => {
      const flag = await this.flags.lockOne(tx, id);
      if (!flag || !this.visible(user, flag)) throw AppError.notFound('Flag');
      if (user.role === 'manager') throw AppError.forbidden('Only the provincial bureau, the ministry or an admin records follow-up');
      if (flag.state === 'resolved') throw AppError.conflict('The flag is resolved; nothing to follow up', FlagErrorCode.InvalidTransition);
      const now = this.clock.now();
      if (dto.targetDate < localDate(now, flag.timezone))
        throw AppError.validation('targetDate must be today or later', [{ field: 'targetDate', problem: 'in_the_past' }]);
      const by = byOf(user);
      await this.flags.insertAction(tx, id, dto, by, now);
      if (user.role === 'bureau') {
        const steps: [FlagState, FlagState][] =
          flag.state === 'open'
            ? [
                ['open', 'acknowledged'],
                ['acknowledged', 'in_follow_up'],
              ]
            : flag.state === 'acknowledged'
              ? [['acknowledged', 'in_follow_up']]
              : [];
        for (const [from, to] of steps) await this.flags.insertEvent(tx, id, { from, to, note: dto.note }, by, now);
        if (steps.length) await this.flags.setState(tx, id, 'in_follow_up', now);
      }
      await this.audit.record(tx, 'flag.action', 'flag', id, { state: flag.state }, { ...dto }, user);
      return this.get(user, id, tx);
    });
  }

  async transition(user: Principal, id: string, dto: TransitionDto): Promise<FlagView> {
    return this.db.transaction(async (tx) => {
      const flag = await this.flags.lockOne(tx, id);
      if (!flag || !this.visible(user, flag)) throw AppError.notFound('Flag');
      if (user.role === 'manager') throw AppError.forbidden('Only the provincial bureau, the ministry or an admin moves a flag');
      const from = flag.state;
      if (!canTransition(from, dto.to)) {
        const next = allowedTransitions(from);
        throw AppError.conflict(
          `A flag in state ${from} cannot move to ${dto.to}${next.length ? ` (allowed: ${next.join(', ')})` : ' (it is resolved)'}`,
          FlagErrorCode.InvalidTransition,
        );
      }
      const now = this.clock.now();
      await this.flags.setState(tx, id, dto.to, now);
      await this.flags.insertEvent(tx, id, { from, to: dto.to, note: dto.note }, byOf(user), now);
      await this.audit.record(tx, 'flag.transition', 'flag', id, { state: from }, { state: dto.to, note: dto.note }, user);
      return this.get(user, id, tx);
    });
  }

  private visible(user: Principal, flag: { mppId: string; provinceCode: string }): boolean {
    return canSeeMpp(user, { id: flag.mppId, provinceCode: flag.provinceCode });
  }
}

/** Who moved a flag or recorded an action, as its history names them. */
function byOf(user: Principal): { id: string; name: string } {
  return { id: user.id, name: `${user.name} (${user.role})` };
}

function toView(row: FlagRow): FlagView {
  return {
    ...row,
    openedAt: new Date(row.openedAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    firstEmailedAt: row.firstEmailedAt ? new Date(row.firstEmailedAt).toISOString() : null,
    respondBy: row.respondBy ? new Date(row.respondBy).toISOString() : null,
    history: row.history.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
  };
}
