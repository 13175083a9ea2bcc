import { ListPage, pageOf } from '../../common/paging/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { Clock } from '../../common/clock';
import { canSeeMpp, mppScopeOf, Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors';
import { allowedTransitions, canTransition, FlagState } from './flag.rules';
import { ActionDto, FlagActionView, FlagDetailView, FlagQuery, FlagView, TransitionDto } from './flags.dto';
import { flagContexts } from './flag-context';
import { readEvaluationSettings } from '../cycles/evaluation-settings.service';
import { loadLabels } from '../../common/i18n/labels';
import { ruleFactText } from '../../common/i18n/rule-fact-text';
import { isCalendarDate, localDate } from '../../common/time/iso-week';
import { FlagErrorCode } from './flag.errors';

const SYSTEM = 'Sistem MPP Monitor';

const VIEW_SQL = `
  SELECT f.id, f.mpp_id AS "mppId", m.name AS "mppName", m.province_code AS "provinceCode", f.state,
         f.opened_week AS "openedWeek", f.opened_at AS "openedAt", f.reopened_week AS "reopenedWeek",
         f.last_week AS "lastWeek", f.rules, f.updated_at AS "updatedAt",
         f.first_emailed_at AS "firstEmailedAt", f.respond_by AS "respondBy",
         coalesce((SELECT json_agg(json_build_object('from', e.from_state, 'to', e.to_state, 'by', e.by_name, 'byUserId', e.by_user,
                                                     'at', e.at, 'week', e.week, 'note', e.note) ORDER BY e.id)
                     FROM flag_events e WHERE e.flag_id = f.id), '[]') AS history
    FROM flags f JOIN mpps m ON m.id = f.mpp_id`;

@Injectable()
export class FlagsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Opens, carries, reopens or withdraws flags after an evaluation of `week`, set-based. Safe to
   * repeat: a flag already moved for this week (or resolved by a person after it) is left alone.
   */
  async applyEvaluation(tx: EntityManager, week: string, mppIds: string[] | null): Promise<void> {
    const now = this.clock.now();
    const args = [week, now, mppIds];
    const inactive = `e.week = $1 AND e.result = 'inactive' AND ($3::uuid[] IS NULL OR e.mpp_id = ANY($3))`;
    // Still inactive: an unresolved flag is carried to this week with the latest rules.
    await tx.query(
      `UPDATE flags f SET last_week = $1, rules = e.rules, updated_at = $2
         FROM evaluations e
        WHERE ${inactive} AND f.mpp_id = e.mpp_id AND f.state <> 'resolved' AND f.last_week <= $1`,
      args,
    );
    // Fallen again after a resolution in an earlier week: reopen that MPP's latest flag.
    await tx.query(
      `WITH target AS (
         SELECT DISTINCT ON (f.mpp_id) f.id, e.rules
           FROM flags f JOIN evaluations e ON e.mpp_id = f.mpp_id
          WHERE ${inactive} AND f.state = 'resolved'
            AND NOT EXISTS (SELECT 1 FROM flags g WHERE g.mpp_id = f.mpp_id AND (g.state <> 'resolved' OR g.last_week >= $1))
          ORDER BY f.mpp_id, f.updated_at DESC
       ), reopened AS (
         UPDATE flags f SET state = 'open', reopened_week = $1, last_week = $1, rules = t.rules, updated_at = $2,
                           first_emailed_at = NULL, respond_by = NULL
           FROM target t WHERE f.id = t.id RETURNING f.id
       )
       INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, week, note)
       SELECT id, 'resolved', 'open', '${SYSTEM}', $2, $1, 'Dibuka kembali: evaluasi mingguan kembali menyatakan MPP tidak aktif'
         FROM reopened`,
      args,
    );
    // First fall: a new flag.
    await tx.query(
      `WITH opened AS (
         INSERT INTO flags (mpp_id, province_code, state, opened_week, opened_at, last_week, rules, updated_at)
         SELECT e.mpp_id, e.province_code, 'open', $1, $2, $1, e.rules, $2
           FROM evaluations e
          WHERE ${inactive} AND NOT EXISTS (SELECT 1 FROM flags g WHERE g.mpp_id = e.mpp_id)
         ON CONFLICT DO NOTHING
         RETURNING id
       )
       INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, week, note)
       SELECT id, NULL, 'open', '${SYSTEM}', $2, $1, 'Dibuka otomatis: evaluasi mingguan menyatakan MPP tidak aktif'
         FROM opened`,
      args,
    );
    // A re-evaluation (late check-in, correction, a closure decided, or the week before changed)
    // changed this week's verdict: withdraw a flag this week opened that nobody has touched.
    await tx.query(
      `WITH withdrawn AS (
         UPDATE flags f SET state = 'resolved', updated_at = $2
           FROM evaluations e
          WHERE e.week = $1 AND e.mpp_id = f.mpp_id AND e.result <> 'inactive' AND ($3::uuid[] IS NULL OR e.mpp_id = ANY($3))
            AND f.state = 'open' AND f.last_week = $1 AND (f.opened_week = $1 OR f.reopened_week = $1)
         RETURNING f.id, e.result
       )
       INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, week, note)
       SELECT id, 'open', 'resolved', '${SYSTEM}', $2, $1, 'Dinyatakan selesai otomatis: evaluasi ulang (laporan susulan, koreksi atau keputusan atas penutupan) mengubah hasil minggu itu menjadi ' ||
              CASE result WHEN 'active' THEN 'aktif' WHEN 'at_risk' THEN 'berisiko' WHEN 'not_reporting' THEN 'tidak melapor'
                          WHEN 'excused' THEN 'dikecualikan' ELSE 'tidak wajib lapor' END
         FROM withdrawn`,
      args,
    );
  }

  /** An MPP retired for good: its unresolved flag is resolved by the system, the reason as its note. */
  async resolveForRetirement(tx: EntityManager, mppId: string, note: string): Promise<string | null> {
    const [row] = await tx.query(
      `WITH target AS (
         SELECT id, state FROM flags WHERE mpp_id = $1 AND state <> 'resolved' FOR UPDATE
       ), resolved AS (
         UPDATE flags f SET state = 'resolved', updated_at = $2 FROM target t WHERE f.id = t.id RETURNING f.id, t.state AS from_state
       )
       INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, note)
       SELECT id, from_state, 'resolved', '${SYSTEM}', $2, $3 FROM resolved
       RETURNING flag_id AS id`,
      [mppId, this.clock.now(), note],
    );
    return row?.id ?? null;
  }

  async list(user: Principal, query: FlagQuery): Promise<FlagView[]> {
    return (await this.listPage(user, query)).rows;
  }

  /** Flags in scope, oldest first: whole, or with `limit` a page of them. */
  async listPage(user: Principal, query: FlagQuery): Promise<ListPage<FlagView>> {
    const scope = mppScopeOf(user);
    const where = `
        WHERE ($1::text IS NULL OR f.state = $1 OR ($1 = 'unresolved' AND f.state <> 'resolved'))
          AND ($2::text IS NULL OR m.province_code = $2)
          AND ($3::uuid IS NULL OR f.mpp_id = $3)
          AND ($4::text IS NULL OR m.province_code = $4)
          AND ($5::uuid[] IS NULL OR f.mpp_id = ANY($5))`;
    const params = [
      query.state ?? null,
      query.province ?? null,
      query.mppId ?? null,
      scope.kind === 'province' ? scope.provinceCode : null,
      scope.kind === 'mpps' ? scope.mppIds : null,
    ];
    if (!query.limit) {
      const rows = (await this.db.query(`${VIEW_SQL} ${where} ORDER BY f.opened_at, f.id`, params)).map(toView);
      return { rows, total: rows.length };
    }
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM flags f JOIN mpps m ON m.id = f.mpp_id ${where}`, params);
    const paging = pageOf(total, query.page, query.limit);
    const rows = await this.db.query(`${VIEW_SQL} ${where} ORDER BY f.opened_at, f.id LIMIT $6 OFFSET $7`, [
      ...params,
      paging.limit,
      paging.offset,
    ]);
    return { rows: rows.map(toView), total };
  }

  /** Actions whose target date passed with nothing recorded since, on unresolved flags the user may see. */
  async overdueActions(user: Principal): Promise<{ flagId: string; mppName: string; kind: string; targetDate: string; by: string }[]> {
    const scope = mppScopeOf(user);
    return this.db.query(
      `SELECT a.flag_id AS "flagId", m.name AS "mppName", a.kind, to_char(a.target_date, 'YYYY-MM-DD') AS "targetDate", a.by_name AS by
         FROM flag_actions a JOIN flags f ON f.id = a.flag_id JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = m.province_code
        WHERE f.state <> 'resolved' AND a.target_date < ($1::timestamptz AT TIME ZONE p.timezone)::date
          AND NOT EXISTS (SELECT 1 FROM flag_actions b WHERE b.flag_id = a.flag_id AND b.id > a.id)
          AND ($2::text IS NULL OR m.province_code = $2) AND ($3::uuid[] IS NULL OR f.mpp_id = ANY($3))
        ORDER BY a.target_date, m.name`,
      [this.clock.now(), scope.kind === 'province' ? scope.provinceCode : null, scope.kind === 'mpps' ? scope.mppIds : null],
    );
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
    const rows: any[] = await tx.query(`${VIEW_SQL} WHERE f.id = ANY($1::uuid[]) ORDER BY f.opened_at, f.id`, [ids]);
    const flags = rows.filter((row) => this.visible(user, row)).map(toView);
    if (!flags.length) return [];
    const settings = await readEvaluationSettings(tx);
    const contexts = await flagContexts(
      tx,
      flags.map((f) => f.id),
      settings,
    );
    const labels = loadLabels(user.locale ?? 'id');
    const actions: (FlagActionView & { flagId: string })[] = (
      await tx.query(
        `SELECT a.flag_id AS "flagId", a.id::text, a.kind, a.note, to_char(a.target_date, 'YYYY-MM-DD') AS "targetDate", a.by_name AS by,
                a.by_user AS "byUserId", a.at,
                (f.state <> 'resolved' AND a.target_date < (now_at AT TIME ZONE p.timezone)::date
                  AND NOT EXISTS (SELECT 1 FROM flag_actions b WHERE b.flag_id = a.flag_id AND b.id > a.id)) AS overdue
           FROM flag_actions a JOIN flags f ON f.id = a.flag_id JOIN provinces p ON p.code = f.province_code
           CROSS JOIN (SELECT $2::timestamptz AS now_at) n
          WHERE a.flag_id = ANY($1::uuid[]) ORDER BY a.id`,
        [flags.map((f) => f.id), this.clock.now()],
      )
    ).map((a: FlagActionView & { flagId: string }) => ({ ...a, at: new Date(a.at).toISOString() }));
    return flags.map((flag) => {
      const context = contexts.get(flag.id)!;
      return {
        ...flag,
        ...context,
        ruleDetails: context.ruleFacts.map((fact) => ({ code: fact.code, text: ruleFactText(labels, fact) })),
        actions: actions.filter((a) => a.flagId === flag.id).map(({ flagId: _, ...a }) => a),
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
      const [flag] = await tx.query(
        `SELECT f.id, f.mpp_id AS "mppId", m.province_code AS "provinceCode", f.state, p.timezone
           FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = m.province_code WHERE f.id = $1 FOR UPDATE OF f`,
        [id],
      );
      if (!flag || !this.visible(user, flag)) throw AppError.notFound('Flag');
      if (user.role === 'manager') throw AppError.forbidden('Only the provincial bureau, the ministry or an admin records follow-up');
      if (flag.state === 'resolved') throw AppError.conflict('The flag is resolved; nothing to follow up', FlagErrorCode.InvalidTransition);
      const now = this.clock.now();
      if (dto.targetDate < localDate(now, flag.timezone))
        throw AppError.validation('targetDate must be today or later', [{ field: 'targetDate', problem: 'in_the_past' }]);
      const by = `${user.name} (${user.role})`;
      await tx.query(
        `INSERT INTO flag_actions (flag_id, kind, note, target_date, by_user, by_name, at) VALUES ($1, $2, $3, $4::date, $5, $6, $7)`,
        [id, dto.kind, dto.note, dto.targetDate, user.id, by, now],
      );
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
        for (const [from, to] of steps) {
          await tx.query(
            `INSERT INTO flag_events (flag_id, from_state, to_state, by_user, by_name, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [id, from, to, user.id, by, now, dto.note],
          );
        }
        if (steps.length) await tx.query(`UPDATE flags SET state = 'in_follow_up', updated_at = $2 WHERE id = $1`, [id, now]);
      }
      await this.audit.record(tx, 'flag.action', 'flag', id, { state: flag.state }, { ...dto }, user);
      return this.get(user, id, tx);
    });
  }

  async transition(user: Principal, id: string, dto: TransitionDto): Promise<FlagView> {
    return this.db.transaction(async (tx) => {
      const [flag] = await tx.query(
        // Scoped by the MPP's current province: a flag follows its MPP when it moves.
        `SELECT f.id, f.mpp_id AS "mppId", m.province_code AS "provinceCode", f.state
           FROM flags f JOIN mpps m ON m.id = f.mpp_id WHERE f.id = $1 FOR UPDATE OF f`,
        [id],
      );
      if (!flag || !this.visible(user, flag)) throw AppError.notFound('Flag');
      if (user.role === 'manager') throw AppError.forbidden('Only the provincial bureau, the ministry or an admin moves a flag');
      const from = flag.state as FlagState;
      if (!canTransition(from, dto.to)) {
        const next = allowedTransitions(from);
        throw AppError.conflict(
          `A flag in state ${from} cannot move to ${dto.to}${next.length ? ` (allowed: ${next.join(', ')})` : ' (it is resolved)'}`,
          FlagErrorCode.InvalidTransition,
        );
      }
      const now = this.clock.now();
      await tx.query(`UPDATE flags SET state = $2, updated_at = $3 WHERE id = $1`, [id, dto.to, now]);
      await tx.query(
        `INSERT INTO flag_events (flag_id, from_state, to_state, by_user, by_name, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, from, dto.to, user.id, `${user.name} (${user.role})`, now, dto.note],
      );
      await this.audit.record(tx, 'flag.transition', 'flag', id, { state: from }, { state: dto.to, note: dto.note }, user);
      return this.get(user, id, tx);
    });
  }

  private visible(user: Principal, flag: { mppId: string; provinceCode: string }): boolean {
    return canSeeMpp(user, { id: flag.mppId, provinceCode: flag.provinceCode });
  }
}

function toView(row: any): FlagView {
  return {
    ...row,
    openedAt: new Date(row.openedAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    firstEmailedAt: row.firstEmailedAt ? new Date(row.firstEmailedAt).toISOString() : null,
    respondBy: row.respondBy ? new Date(row.respondBy).toISOString() : null,
    history: row.history.map((e: any) => ({ ...e, at: new Date(e.at).toISOString() })),
  };
}
