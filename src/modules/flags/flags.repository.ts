import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { MppScope } from '../../common/auth/principal';
import { mppScopeSql } from '../../common/auth/scope-sql';
import { runPrepared } from '../../database/prepared';
import { and, empty, one, raw, run, runChange, sql, Sql, where } from '../../database/sql';
import type { IndonesianTimezone } from '../../common/time/timezones';
import type { ActionKind, FlagState } from './flag.rules';
import type { FlagActionView, FlagQuery } from './flags.dto';

/** Events the system writes (evaluation, retirement) carry this name instead of a person's. */
const SYSTEM = 'Sistem MPP Monitor';

const VIEW_COLUMNS = raw(`
  f.id, f.mpp_id AS "mppId", m.name AS "mppName", m.province_code AS "provinceCode", f.state,
  f.opened_week AS "openedWeek", f.opened_at AS "openedAt", f.reopened_week AS "reopenedWeek",
  f.last_week AS "lastWeek", f.rules, f.updated_at AS "updatedAt",
  f.first_emailed_at AS "firstEmailedAt", f.respond_by AS "respondBy",
  coalesce((SELECT json_agg(json_build_object('from', e.from_state, 'to', e.to_state, 'by', e.by_name, 'byUserId', e.by_user,
                                              'at', e.at, 'week', e.week, 'note', e.note) ORDER BY e.id)
              FROM flag_events e WHERE e.flag_id = f.id), '[]') AS history`);

const VIEW = sql`SELECT ${VIEW_COLUMNS} FROM flags f JOIN mpps m ON m.id = f.mpp_id`;

/** A flag with its history as the database gives it (times as Dates; the service answers ISO text). */
export interface FlagRow {
  id: string;
  mppId: string;
  mppName: string;
  provinceCode: string;
  state: FlagState;
  openedWeek: string;
  openedAt: Date;
  reopenedWeek: string | null;
  lastWeek: string;
  rules: string[];
  updatedAt: Date;
  firstEmailedAt: Date | null;
  respondBy: Date | null;
  history: { from: FlagState | null; to: FlagState; by: string; byUserId: string | null; at: string; week: string | null; note: string }[];
}

/** A flag with its context, its actions and the evaluation settings, as one statement answers them (FlagsRepository.details). */
export interface FlagDetailRow extends FlagRow {
  registeredTenants: number;
  mpp: unknown;
  latestCheckIn: unknown;
  recentWeeks: unknown[];
  transactionsHistory: number[] | null;
  actions: (Omit<FlagActionView, 'at'> & { at: string })[];
  /** The stored evaluation settings (null: defaults). */
  settings: Record<string, unknown> | null;
}

/** A flag locked for a change: what the service checks before moving it. */
export interface LockedFlag {
  id: string;
  mppId: string;
  provinceCode: string;
  state: FlagState;
  timezone: IndonesianTimezone;
}

export type FlagFilter = Pick<FlagQuery, 'state' | 'province' | 'mppId'>;

export interface LongestOpenFlag {
  mppName: string;
  provinceName: string;
  openedWeek: string;
  state: FlagState;
}

export interface OverdueAction {
  flagId: string;
  mppName: string;
  kind: string;
  targetDate: string;
  by: string;
}

/** `flags`, `flag_events` and `flag_actions`: every query the flags feature runs on them. */
@Injectable()
export class FlagsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // The evaluation's four statements: each over every MPP evaluated inactive (or not) in `week`,
  // limited to `mppIds` when an MPP is re-evaluated alone.

  /** Still inactive: an unresolved flag is carried to this week with the latest rules. */
  async carryUnresolved(tx: EntityManager, week: string, now: Date, mppIds: string[] | null): Promise<void> {
    await run(
      tx,
      sql`UPDATE flags f SET last_week = ${week}, rules = e.rules, updated_at = ${now}
            FROM evaluations e
           WHERE ${inactiveIn(week, mppIds)} AND f.mpp_id = e.mpp_id AND f.state <> 'resolved' AND f.last_week <= ${week}`,
    );
  }

  /** Fallen again after a resolution in an earlier week: that MPP's latest flag is reopened. */
  async reopenFallenAgain(tx: EntityManager, week: string, now: Date, mppIds: string[] | null): Promise<void> {
    await run(
      tx,
      sql`WITH target AS (
            SELECT DISTINCT ON (f.mpp_id) f.id, e.rules
              FROM flags f JOIN evaluations e ON e.mpp_id = f.mpp_id
             WHERE ${inactiveIn(week, mppIds)} AND f.state = 'resolved'
               AND NOT EXISTS (SELECT 1 FROM flags g WHERE g.mpp_id = f.mpp_id AND (g.state <> 'resolved' OR g.last_week >= ${week}))
             ORDER BY f.mpp_id, f.updated_at DESC
          ), reopened AS (
            UPDATE flags f SET state = 'open', reopened_week = ${week}, last_week = ${week}, rules = t.rules, updated_at = ${now},
                              first_emailed_at = NULL, respond_by = NULL
              FROM target t WHERE f.id = t.id RETURNING f.id
          )
          INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, week, note)
          SELECT id, 'resolved', 'open', ${SYSTEM}::text, ${now}::timestamptz, ${week}::text,
                 'Dibuka kembali: evaluasi mingguan kembali menyatakan MPP tidak aktif'
            FROM reopened`,
    );
  }

  /** First fall: a new flag. */
  async openFirstFalls(tx: EntityManager, week: string, now: Date, mppIds: string[] | null): Promise<void> {
    await run(
      tx,
      sql`WITH opened AS (
            INSERT INTO flags (mpp_id, province_code, state, opened_week, opened_at, last_week, rules, updated_at)
            SELECT e.mpp_id, m.province_code, 'open', ${week}::text, ${now}::timestamptz, ${week}::text, e.rules, ${now}::timestamptz
              FROM evaluations e JOIN mpps m ON m.id = e.mpp_id -- the MPP's province now, not when the evaluation began
             WHERE ${inactiveIn(week, mppIds)} AND NOT EXISTS (SELECT 1 FROM flags g WHERE g.mpp_id = e.mpp_id)
            ON CONFLICT DO NOTHING
            RETURNING id
          )
          INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, week, note)
          SELECT id, NULL, 'open', ${SYSTEM}::text, ${now}::timestamptz, ${week}::text, 'Dibuka otomatis: evaluasi mingguan menyatakan MPP tidak aktif'
            FROM opened`,
    );
  }

  /**
   * A re-evaluation (late check-in, correction, a closure decided, or the week before changed)
   * changed this week's verdict: a flag this week opened that nobody has touched is withdrawn.
   */
  async withdrawOverturned(tx: EntityManager, week: string, now: Date, mppIds: string[] | null): Promise<void> {
    await run(
      tx,
      sql`WITH withdrawn AS (
            UPDATE flags f SET state = 'resolved', updated_at = ${now}
              FROM evaluations e
             WHERE ${and([sql`e.week = ${week}`, sql`e.mpp_id = f.mpp_id`, sql`e.result <> 'inactive'`, mppIds && sql`e.mpp_id = ANY(${mppIds}::uuid[])`])}
               AND f.state = 'open' AND f.last_week = ${week} AND (f.opened_week = ${week} OR f.reopened_week = ${week})
            RETURNING f.id, e.result
          )
          INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, week, note)
          SELECT id, 'open', 'resolved', ${SYSTEM}::text, ${now}::timestamptz, ${week}::text,
                 'Dinyatakan selesai otomatis: evaluasi ulang (laporan susulan, koreksi atau keputusan atas penutupan) mengubah hasil minggu itu menjadi ' ||
                 CASE result WHEN 'active' THEN 'aktif' WHEN 'at_risk' THEN 'berisiko' WHEN 'not_reporting' THEN 'tidak melapor'
                             WHEN 'excused' THEN 'dikecualikan' ELSE 'tidak wajib lapor' END
            FROM withdrawn`,
    );
  }

  /** The MPP's unresolved flag resolved by the system, `note` saying why; its id, or null when it had none. */
  async resolveUnresolvedOfMpp(tx: EntityManager, mppId: string, at: Date, note: string): Promise<string | null> {
    const row = await one<{ id: string }>(
      tx,
      sql`WITH target AS (
            SELECT id, state FROM flags WHERE mpp_id = ${mppId} AND state <> 'resolved' FOR UPDATE
          ), resolved AS (
            UPDATE flags f SET state = 'resolved', updated_at = ${at} FROM target t WHERE f.id = t.id RETURNING f.id, t.state AS from_state
          )
          INSERT INTO flag_events (flag_id, from_state, to_state, by_name, at, note)
          SELECT id, from_state, 'resolved', ${SYSTEM}::text, ${at}::timestamptz, ${note}::text FROM resolved
          RETURNING flag_id AS id`,
    );
    return row?.id ?? null;
  }

  /** The MPP's flags follow it to another province (and so to that province's bureau). */
  async moveToProvince(tx: EntityManager, mppId: string, provinceCode: string): Promise<void> {
    await run(tx, sql`UPDATE flags SET province_code = ${provinceCode} WHERE mpp_id = ${mppId} AND province_code <> ${provinceCode}`);
  }

  /** The nation's unresolved flags open longest (oldest first), with their MPP's and province's names. */
  longestOpen(limit: number): Promise<LongestOpenFlag[]> {
    return run(
      this.db,
      sql`SELECT m.name AS "mppName", p.name AS "provinceName", f.opened_week AS "openedWeek", f.state
            FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = f.province_code
           WHERE f.state <> 'resolved' ORDER BY f.opened_at, m.name LIMIT ${limit}`,
    );
  }

  /** Flags matching the filter in scope, oldest first; a page of them when `page` is given. */
  // Prepared (one statement per filter shape), like the registry's pages: a bureau's flag list is
  // read on every visit, and parsing and planning cost PostgreSQL more than running it.
  listInScope(scope: MppScope, filter: FlagFilter, page?: { limit: number; offset: number }): Promise<FlagRow[]> {
    return runPrepared(
      this.db,
      'flags-list',
      sql`${VIEW} ${listWhere(scope, filter)} ORDER BY f.opened_at, f.id ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : empty}`,
    );
  }

  async countInScope(scope: MppScope, filter: FlagFilter): Promise<number> {
    const [row] = await runPrepared<{ total: number }>(
      this.db,
      'flags-count',
      sql`SELECT count(*)::int AS total FROM flags f JOIN mpps m ON m.id = f.mpp_id ${listWhere(scope, filter)}`,
    );
    return row.total;
  }

  /**
   * Flags by id with everything their detail shows, in ONE statement (a round trip costs the API
   * more CPU than the query does): the flag and its history, its context (contextColumns), its
   * actions each saying whether it is overdue at `now`, and the stored evaluation settings, whose
   * median window the context's history follows. Prepared: planning it cost as much as running it.
   */
  details(
    tx: EntityManager,
    ids: string[],
    now: Date,
    p: { recent: number; settingsKey: string; defaultMedianWeeks: number },
  ): Promise<FlagDetailRow[]> {
    const medianDays = sql`7 * coalesce((settings.value->>'medianWeeks')::int, ${p.defaultMedianWeeks}::int)`;
    return runPrepared(
      tx,
      'flag-details',
      sql`SELECT ${VIEW_COLUMNS}, ${contextColumns(p.recent, medianDays)}, settings.value AS settings,
                 coalesce((SELECT json_agg(json_build_object('id', a.id::text, 'kind', a.kind, 'note', a.note,
                                                             'targetDate', to_char(a.target_date, 'YYYY-MM-DD'), 'by', a.by_name,
                                                             'byUserId', a.by_user, 'at', a.at,
                                                             'overdue', f.state <> 'resolved'
                                                               AND a.target_date < (${now}::timestamptz AT TIME ZONE p.timezone)::date
                                                               AND NOT EXISTS (SELECT 1 FROM flag_actions b WHERE b.flag_id = a.flag_id AND b.id > a.id))
                                    ORDER BY a.id)
                             FROM flag_actions a WHERE a.flag_id = f.id), '[]') AS actions
            FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
            LEFT JOIN settings ON settings.key = ${p.settingsKey}
           WHERE f.id = ANY(${ids}::uuid[]) ORDER BY f.opened_at, f.id`,
    );
  }

  /** Latest actions past their target date (in the MPP's local date at `now`) on unresolved flags in scope. */
  overdueActions(scope: MppScope, now: Date): Promise<OverdueAction[]> {
    // Prepared (one statement per scope shape): every bureau page reads it, and planning it took as long as running it.
    return runPrepared(
      this.db,
      'overdue-actions',
      sql`SELECT a.flag_id AS "flagId", m.name AS "mppName", a.kind, to_char(a.target_date, 'YYYY-MM-DD') AS "targetDate", a.by_name AS by
            FROM flag_actions a JOIN flags f ON f.id = a.flag_id JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = f.province_code
           WHERE f.state <> 'resolved' AND a.target_date < (${now}::timestamptz AT TIME ZONE p.timezone)::date
             AND NOT EXISTS (SELECT 1 FROM flag_actions b WHERE b.flag_id = a.flag_id AND b.id > a.id)
             AND ${mppScopeSql(scope, { mppId: 'f.mpp_id', provinceCode: 'f.province_code' })}
             AND ${mppScopeSql(scope, { mppId: 'f.mpp_id', provinceCode: 'm.province_code' })}
           ORDER BY a.target_date, m.name`,
    );
  }

  /** The flag locked for a change in this transaction, scoped by its MPP's current province (a flag follows its MPP when it moves). */
  lockOne(tx: EntityManager, id: string): Promise<LockedFlag | undefined> {
    return one(
      tx,
      sql`SELECT f.id, f.mpp_id AS "mppId", m.province_code AS "provinceCode", f.state, p.timezone
            FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = m.province_code
           WHERE f.id = ${id} FOR UPDATE OF f`,
    );
  }

  async insertAction(
    tx: EntityManager,
    flagId: string,
    a: { kind: ActionKind; note: string; targetDate: string },
    by: { id: string; name: string },
    at: Date,
  ): Promise<void> {
    await run(
      tx,
      sql`INSERT INTO flag_actions (flag_id, kind, note, target_date, by_user, by_name, at)
          VALUES (${flagId}, ${a.kind}, ${a.note}, ${a.targetDate}::date, ${by.id}, ${by.name}, ${at})`,
    );
    // An action changes the case (what is overdue, what the bureau page lists): answers kept per
    // data version read flags.updated_at, which a ministry's action (no state move) would not touch.
    await run(tx, sql`UPDATE flags SET updated_at = ${at} WHERE id = ${flagId}`);
  }

  /** A person's move of the flag, as an event in its history. */
  async insertEvent(
    tx: EntityManager,
    flagId: string,
    move: { from: FlagState; to: FlagState; note: string },
    by: { id: string; name: string },
    at: Date,
  ): Promise<void> {
    await run(
      tx,
      sql`INSERT INTO flag_events (flag_id, from_state, to_state, by_user, by_name, at, note)
          VALUES (${flagId}, ${move.from}, ${move.to}, ${by.id}, ${by.name}, ${at}, ${move.note})`,
    );
  }

  async setState(tx: EntityManager, id: string, state: FlagState, at: Date): Promise<void> {
    await runChange(tx, sql`UPDATE flags SET state = ${state}, updated_at = ${at} WHERE id = ${id}`);
  }
}

/**
 * The context rows of many flags in one statement (set-based: a bureau email lists dozens): the
 * MPP and its managers, the latest check-in, the last weeks' results and the transactions per
 * expected day behind a median over `weeks.medianDays` before the flag's last week. A function, not a
 * method, because the notification planner reads it inside its own transaction.
 */
export function flagContextRows<Row>(tx: EntityManager, flagIds: string[], weeks: { recent: number; medianDays: number }): Promise<Row[]> {
  return run<Row>(
    tx,
    sql`SELECT f.id AS "flagId", f.rules, ${contextColumns(weeks.recent, sql`${weeks.medianDays}::int`)}
          FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN regencies r ON r.code = m.regency_code JOIN provinces p ON p.code = m.province_code
         WHERE f.id = ANY(${flagIds}::uuid[])`,
  );
}

/**
 * A flag's context as columns over `flags f JOIN mpps m JOIN regencies r JOIN provinces p`: the
 * MPP and its managers, the latest check-in, the last `recent` weeks' results, and the transactions
 * per expected day of the `medianDays` before the flag's last week (`history`).
 */
function contextColumns(recent: number, medianDays: Sql): Sql {
  return sql`m.tenant_count AS "registeredTenants",
               jsonb_build_object('id', m.id, 'name', m.name, 'regencyName', r.name, 'provinceName', p.name, 'timezone', p.timezone,
                 'managers', coalesce((SELECT jsonb_agg(jsonb_build_object('name', u.name, 'email', u.email, 'phone', u.phone) ORDER BY u.name)
                                         FROM mpp_managers mm JOIN users u ON u.id = mm.user_id AND u.active AND u.role = 'manager'
                                        WHERE mm.mpp_id = m.id), '[]'::jsonb)) AS mpp,
               (SELECT jsonb_build_object('week', ci.week, 'daysOpen', ci.days_open, 'tenantsServing', ci.tenants_serving,
                         'countersOpen', ci.counters_open, 'visitors', ci.visitors, 'transactions', ci.transactions, 'status', ci.status,
                         'closureReason', ci.closure_reason, 'problems', ci.problems, 'late', ci.late, 'submittedAt', ci.submitted_at)
                  FROM check_ins ci WHERE ci.mpp_id = m.id AND ci.week <= f.last_week ORDER BY ci.week_start DESC LIMIT 1) AS "latestCheckIn",
               coalesce((SELECT jsonb_agg(jsonb_build_object('week', e.week, 'result', e.result, 'rules', to_jsonb(e.rules), 'reported', e.reported,
                                                             'expectedDays', e.expected_days, 'streak', e.not_reporting_streak) ORDER BY e.week_start DESC)
                           FROM (SELECT * FROM evaluations e WHERE e.mpp_id = m.id AND e.week <= f.last_week
                                  ORDER BY e.week_start DESC LIMIT ${recent}) e), '[]'::jsonb) AS "recentWeeks",
               (SELECT array_agg(hc.transactions::float8 / he.expected_days)
                  FROM check_ins hc JOIN evaluations he ON he.mpp_id = hc.mpp_id AND he.week = hc.week AND he.expected_days > 0
                 WHERE hc.mpp_id = m.id AND hc.week < f.last_week
                   AND hc.week_start >= (SELECT min(week_start) FROM evaluations x WHERE x.mpp_id = m.id AND x.week = f.last_week) - ${medianDays}) AS "transactionsHistory"`;
}

/** `e`'s inactive verdicts of the week, limited to some MPPs when given. */
function inactiveIn(week: string, mppIds: string[] | null): Sql {
  return and([sql`e.week = ${week}`, sql`e.result = 'inactive'`, mppIds && sql`e.mpp_id = ANY(${mppIds}::uuid[])`]);
}

/**
 * Scoped by the flag's own province (moved with its MPP, moveToProvince), so a bureau's list is
 * read from flags_province_state_idx instead of every flag in the country joined to its MPP; and
 * by the MPP's current province too, so a flag left behind by a racing move is never shown to
 * the province the MPP left.
 */
function listWhere(scope: MppScope, filter: FlagFilter): Sql {
  return where([
    filter.state && (filter.state === 'unresolved' ? sql`f.state <> 'resolved'` : sql`f.state = ${filter.state}`),
    filter.province && sql`f.province_code = ${filter.province} AND m.province_code = ${filter.province}`,
    filter.mppId && sql`f.mpp_id = ${filter.mppId}::uuid`,
    mppScopeSql(scope, { mppId: 'f.mpp_id', provinceCode: 'f.province_code' }),
    mppScopeSql(scope, { mppId: 'f.mpp_id', provinceCode: 'm.province_code' }),
  ]);
}
