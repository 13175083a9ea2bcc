import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { addWeeks, deadlineSearchRange, IsoWeek, mondayOf, weekAt, weekTimes } from '../../common/time/iso-week';
import { holidayDates } from '../calendar/holiday-dates';
import type { EvaluationSettings } from '../cycles/evaluation.rules';
import { IndonesianTimezone } from '../../common/time/timezones';
import { FLAG_SINCE_WEEK } from '../flags/flag-queries';
import { nationalFigures, weeklyProvinceFigures } from '../reports/weekly-figures';
import type { WeeklyFigures } from '../reports/reports.types';
import {
  DigestAction,
  DigestFlag,
  DigestPayload,
  DigestResponseTime,
  EscalatedFlag,
  EscalationDispute,
  EscalationPayload,
  ReminderPayload,
} from './notification.types';
import { flagContexts } from '../flags/flag-context';
import { disputedWeeks, type DisputedWeek } from '../citizen-reports/dispute-evidence';
import { readEvaluationSettings } from '../cycles/evaluation-settings.service';

const ZONES: { tz: IndonesianTimezone; label: ReminderPayload['zone'] }[] = [
  { tz: 'Asia/Jayapura', label: 'WIT' },
  { tz: 'Asia/Makassar', label: 'WITA' },
  { tz: 'Asia/Jakarta', label: 'WIB' },
];

/** Digest lists stay readable (and the payload small) at national scale; totals are always given. */
const DIGEST_LIST_LIMIT = 50;
/** Friday's reminder goes at this local hour of the day the check-in window opens. */
const FRIDAY_REMINDER_HOUR = 8;
type ReminderKind = 'manager_reminder' | 'manager_friday_reminder';
const LONGEST_OPEN_LIMIT = 10;

/**
 * Decides which emails the escalation ladder sends, as outbox rows written in the caller's
 * transaction. The unique key (kind, week, scope, locale) makes every decision idempotent:
 * a re-run or a racing replica inserts nothing new.
 */
@Injectable()
export class NotificationPlanner {
  private readonly logger = new Logger(NotificationPlanner.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Reminders to managers whose MPP has not reported: on Friday at 08:00 local, when the check-in
   * window has opened (`manager_friday_reminder`), and `reminderHoursBeforeDeadline` before each
   * zone's deadline (Monday 12:00, or the next working day's when that Monday is a holiday). Each is
   * decided once per (kind, week, zone): the plan row is the claim, so replicas and re-runs add nothing.
   */
  async planReminders(settings: EvaluationSettings): Promise<string[]> {
    const hours = settings.reminderHoursBeforeDeadline;
    // 0 is the one switch that turns the managers' reminders off, Friday's too.
    if (!hours) return [];
    const now = this.clock.now();
    const ids: string[] = [];
    // A deadline on a holiday moves to the next working day, up to two weeks on (Lebaran): the
    // reminder follows it.
    const national = weekAt(now, 'Asia/Jayapura');
    const holidays = await holidayDates(
      this.db.manager,
      deadlineSearchRange(addWeeks(national, -3)).from,
      deadlineSearchRange(national).to,
    );
    for (const zone of ZONES) {
      const current = weekAt(now, zone.tz);
      for (const week of [addWeeks(current, -2), addWeeks(current, -1), current]) {
        const times = weekTimes(week, zone.tz, holidays);
        const mondayReminderAt = times.deadline.getTime() - hours * 3600_000;
        // Friday's is due from 08:00 local (office hours, not the window's midnight) to the week's end:
        // a scheduler back on Saturday still sends it; one back on Monday leaves it to Monday's.
        const fridayAt = times.windowOpensAt.getTime() + FRIDAY_REMINDER_HOUR * 3600_000;
        const weekEnds = times.windowOpensAt.getTime() + 3 * 86400_000;
        let kind: ReminderKind | null = null;
        if (now.getTime() >= mondayReminderAt && now < times.deadline) kind = 'manager_reminder';
        else if (now.getTime() >= fridayAt && now.getTime() < Math.min(weekEnds, mondayReminderAt)) kind = 'manager_friday_reminder';
        if (!kind) continue;
        const due = kind;
        ids.push(...(await this.db.transaction((tx) => this.remindZone(tx, due, week, zone, times.deadline))));
      }
    }
    return ids;
  }

  private async remindZone(
    tx: EntityManager,
    kind: ReminderKind,
    week: IsoWeek,
    zone: (typeof ZONES)[number],
    deadline: Date,
  ): Promise<string[]> {
    const now = this.clock.now();
    const claimed = await tx.query(
      `INSERT INTO notification_plans (kind, week, part, decided_at) VALUES ($4, $1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING week`,
      [week, zone.label, now, kind],
    );
    if (!claimed.length) return [];
    const monday = mondayOf(week);
    // Active MPPs of the zone with an opening day in the week since inauguration, no check-in for it and not closed all week,
    // grouped per manager: one email per manager listing their MPPs.
    const rows: { id: string }[] = await tx.query(
      `WITH missing AS (
         SELECT u.id AS user_id, u.email, u.name AS user_name, u.locale, m.id, m.name
           FROM mpps m
           JOIN provinces p ON p.code = m.province_code AND p.timezone = $2
           JOIN mpp_managers mm ON mm.mpp_id = m.id
           JOIN users u ON u.id = mm.user_id AND u.active AND u.role = 'manager'
          WHERE m.active AND (m.inaugurated_on IS NULL OR m.inaugurated_on <= $3::date + 6)
            -- An opening day in the week on or after inauguration (else not_expected) that neither a
            -- holiday nor an approved closure covers (else excused): a Mon–Fri closure exempts a Mon–Fri
            -- MPP, whatever it says of the weekend.
            AND EXISTS (SELECT 1 FROM generate_series($3::date, $3::date + 6, interval '1 day') AS d
                         WHERE extract(isodow FROM d)::int = ANY(m.opening_days) AND (m.inaugurated_on IS NULL OR d >= m.inaugurated_on)
                           AND NOT EXISTS (SELECT 1 FROM holidays h WHERE h.date = d::date)
                           AND NOT EXISTS (SELECT 1 FROM planned_closures c
                                            WHERE c.mpp_id = m.id AND c.status = 'approved' AND d::date BETWEEN c.from_date AND c.to_date))
            AND NOT EXISTS (SELECT 1 FROM check_ins ci WHERE ci.mpp_id = m.id AND ci.week = $1)
       )
       INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
       SELECT $8, $1, 'manager:' || user_id || ':' || $4, locale, ARRAY[email],
              jsonb_build_object('managerName', user_name, 'zone', $4::text, 'timezone', $2::text, 'deadline', $5::text,
                                 'mpps', jsonb_agg(jsonb_build_object('id', id, 'name', name) ORDER BY name)),
              $6, $7
         FROM missing GROUP BY user_id, email, user_name, locale
       ON CONFLICT (kind, week, scope, locale) DO NOTHING
       RETURNING id`,
      [week, zone.tz, monday, zone.label, deadline.toISOString(), this.config.notify.maxAttempts, now, kind],
    );
    await tx.query(`UPDATE notification_plans SET created = $3 WHERE kind = $4 AND week = $1 AND part = $2`, [
      week,
      zone.label,
      rows.length,
      kind,
    ]);
    this.logger.log(
      { event: 'reminders_planned', kind, week, zone: zone.label, count: rows.length },
      `Planned ${rows.length} ${kind} for ${week} (${zone.label})`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * After a cycle's evaluation, inside its transaction: one email per provincial bureau (per
   * language) listing its newly flagged and still-open flags, and the ministry digest.
   */
  async planAfterEvaluation(tx: EntityManager, week: IsoWeek, settings: EvaluationSettings): Promise<string[]> {
    const escalations = await this.planEscalations(tx, week, settings);
    const digest = await this.planDigest(tx, week, settings);
    return [...escalations, ...digest];
  }

  private async planEscalations(tx: EntityManager, week: IsoWeek, settings: EvaluationSettings): Promise<string[]> {
    const now = this.clock.now();
    // Re-escalated: still open N days (local dates) after the bureau was FIRST EMAILED about it, never
    // because evaluations ran: a catch-up run a minute later finds nothing due (dueForReEscalation).
    const listed: (EscalatedFlag & { provinceCode: string })[] = await tx.query(
      `SELECT f.id, f.mpp_id AS "mppId", f.province_code AS "provinceCode", f.state, f.opened_week AS "openedWeek", f.rules,
              f.escalations, m.name AS "mppName", r.name AS "regencyName", s.since_week AS "sinceWeek",
              CASE WHEN s.since_week = $1 THEN 'new'
                   WHEN f.state = 'open' AND f.first_emailed_at IS NOT NULL
                        AND ($2::timestamptz AT TIME ZONE p.timezone)::date - (f.first_emailed_at AT TIME ZONE p.timezone)::date >= $3 THEN 're_escalated'
                   WHEN f.state = 'open' THEN 'open'
                   ELSE 'in_progress' END AS category
         FROM flags f
         JOIN mpps m ON m.id = f.mpp_id AND m.active
         JOIN regencies r ON r.code = m.regency_code
         JOIN provinces p ON p.code = f.province_code
         ${FLAG_SINCE_WEEK}
        WHERE f.state <> 'resolved' AND s.since_week <= $1
        ORDER BY array_position(ARRAY['new', 're_escalated', 'open', 'in_progress'],
                   CASE WHEN s.since_week = $1 THEN 'new' WHEN f.state = 'open' THEN 'open' ELSE 'in_progress' END), m.name`,
      [week, now, settings.reEscalateAfterDays],
    );
    // Counted once per week however often the evaluation is re-run.
    // An UPDATE … RETURNING answers [rows, count] through TypeORM.
    const [bumped]: [{ id: string; escalations: number }[], number] = await tx.query(
      `UPDATE flags SET escalations = escalations + 1, last_escalated_week = $1
        WHERE id = ANY($2::uuid[]) AND last_escalated_week IS DISTINCT FROM $1 RETURNING id, escalations`,
      [week, listed.filter((f) => f.category === 'new' || f.category === 're_escalated').map((f) => f.id)],
    );
    const escalations = new Map(bumped.map((b) => [b.id, b.escalations]));
    const order = ['new', 're_escalated', 'open', 'in_progress'];
    listed.sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category) || a.mppName.localeCompare(b.mppName));
    const flags = listed.map((f) => ({ ...f, escalations: escalations.get(f.id) ?? f.escalations }));
    // The week's disputed self-reports go to the bureau with their evidence, flagged or not.
    const disputes = (await disputedWeeks(tx, { week })).map(escalationDispute);
    return this.insertBureauEmails(tx, week, flags, settings, (code) => `province:${code}`, false, disputes);
  }

  /**
   * A flag a late check-in opened after the week's bureau email was decided goes to the bureau the
   * same day in a short additional email (issue 15, item 7), not a week later as a re-escalation.
   * One row per flag (scope `province:<code>:addition:<flag>`), so a repeat decides nothing new.
   */
  async planAdditions(tx: EntityManager, week: IsoWeek, mppIds: string[]): Promise<string[]> {
    const [cycle] = await tx.query(`SELECT 1 FROM cycles WHERE week = $1 AND evaluated_at IS NOT NULL`, [week]);
    if (!cycle) return [];
    const flags: (EscalatedFlag & { provinceCode: string })[] = await tx.query(
      `SELECT f.id, f.mpp_id AS "mppId", f.province_code AS "provinceCode", f.state, f.opened_week AS "openedWeek", f.rules,
              f.escalations + 1 AS escalations, m.name AS "mppName", r.name AS "regencyName", $1::text AS "sinceWeek", 'addition' AS category
         FROM flags f JOIN mpps m ON m.id = f.mpp_id AND m.active JOIN regencies r ON r.code = m.regency_code
        WHERE f.mpp_id = ANY($2::uuid[]) AND f.state = 'open' AND f.first_emailed_at IS NULL
          AND (f.opened_week = $1 OR f.reopened_week = $1)
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'bureau_escalation' AND n.week = $1
                             AND n.payload->'flags' @> jsonb_build_array(jsonb_build_object('id', f.id)))`,
      [week, mppIds],
    );
    if (!flags.length) return [];
    await tx.query(`UPDATE flags SET escalations = escalations + 1, last_escalated_week = $1 WHERE id = ANY($2::uuid[])`, [
      week,
      flags.map((f) => f.id),
    ]);
    const settings = await readEvaluationSettings(tx);
    const ids: string[] = [];
    for (const flag of flags) {
      ids.push(...(await this.insertBureauEmails(tx, week, [flag], settings, (code) => `province:${code}:addition:${flag.id}`, true)));
    }
    return ids;
  }

  /** One email per province and language, each flag with its context (figures, what the manager wrote, managers, recent weeks). */
  private async insertBureauEmails(
    tx: EntityManager,
    week: IsoWeek,
    flags: (EscalatedFlag & { provinceCode: string })[],
    settings: EvaluationSettings,
    scopeOf: (provinceCode: string) => string,
    addition = false,
    disputes: (EscalationDispute & { provinceCode: string })[] = [],
  ): Promise<string[]> {
    if (!flags.length && !disputes.length) return [];
    const contexts = await flagContexts(
      tx,
      flags.map((f) => f.id),
      settings,
    );
    const provinces: { code: string; name: string; title: string | null; timezone: string }[] = await tx.query(
      `SELECT p.code, p.name, bt.title, p.timezone FROM provinces p LEFT JOIN bureau_titles bt ON bt.province_code = p.code
        WHERE p.code = ANY($1::text[])`,
      [[...new Set([...flags, ...disputes].map((f) => f.provinceCode))]],
    );
    const payloads = provinces.map((p) => {
      const own = flags.filter((f) => f.provinceCode === p.code);
      const payload: EscalationPayload = {
        provinceCode: p.code,
        provinceName: p.name,
        bureauTitle: p.title,
        timezone: p.timezone as EscalationPayload['timezone'],
        addition,
        flags: own.map(({ provinceCode: _, ...f }) => {
          const c = contexts.get(f.id)!;
          return { ...f, managers: c.mpp.managers, latestCheckIn: c.latestCheckIn, recentWeeks: c.recentWeeks, ruleFacts: c.ruleFacts };
        }),
        disputes: disputes.filter((d) => d.provinceCode === p.code).map(({ provinceCode: _, ...d }) => d),
        counts: {
          total: own.length,
          new: own.filter((f) => f.category === 'new' || f.category === 'addition').length,
          reEscalated: own.filter((f) => f.category === 're_escalated').length,
          open: own.filter((f) => f.category === 'open').length,
          inProgress: own.filter((f) => f.category === 'in_progress').length,
        },
      };
      return { scope: scopeOf(p.code), provinceCode: p.code, payload };
    });
    const rows: { id: string }[] = await tx.query(
      `WITH recipients AS (
         SELECT province_code, locale, array_agg(email ORDER BY email) AS emails
           FROM users WHERE role = 'bureau' AND active GROUP BY province_code, locale
       )
       INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
       SELECT 'bureau_escalation', $1, x.scope, r.locale, r.emails, x.payload, $3, $4
         FROM jsonb_to_recordset($2::jsonb) AS x(scope text, "provinceCode" text, payload jsonb)
         JOIN recipients r ON r.province_code = x."provinceCode"
       ON CONFLICT (kind, week, scope, locale) DO NOTHING
       RETURNING id`,
      [week, JSON.stringify(payloads), this.config.notify.maxAttempts, this.clock.now()],
    );
    return rows.map((r) => r.id);
  }

  private async planDigest(tx: EntityManager, week: IsoWeek, settings: EvaluationSettings): Promise<string[]> {
    const recipients: { locale: string; emails: string[] }[] = await tx.query(
      `SELECT u.locale, array_agg(u.email ORDER BY u.email) AS emails FROM users u
        WHERE u.role = 'ministry' AND u.active
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'ministry_digest' AND n.week = $1 AND n.scope = 'national' AND n.locale = u.locale)
        GROUP BY u.locale`,
      [week],
    );
    if (!recipients.length) return [];
    const payload = await this.digestPayload(tx, week, settings);
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
       SELECT 'ministry_digest', $1, 'national', r.locale, r.emails, $2::jsonb, $3, $4
         FROM jsonb_to_recordset($5::jsonb) AS r(locale text, emails text[])
       ON CONFLICT (kind, week, scope, locale) DO NOTHING
       RETURNING id`,
      [week, JSON.stringify(payload), this.config.notify.maxAttempts, this.clock.now(), JSON.stringify(recipients)],
    );
    return rows.map((r) => r.id);
  }

  /** The national picture of one evaluated week: a handful of set-based queries whatever the scale. */
  async digestPayload(tx: EntityManager, week: IsoWeek, settings: EvaluationSettings): Promise<DigestPayload> {
    const provinces = worstFirst(await weeklyProvinceFigures(tx, week));
    const flagColumns = `f.id AS "flagId", m.name AS "mppName", p.name AS "provinceName", p.timezone, f.rules, f.state,
                         f.opened_week AS "openedWeek", s.since_week AS "sinceWeek", f.escalations, f.respond_by AS "respondBy"`;
    const flagJoins = `FROM flags f JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = f.province_code ${FLAG_SINCE_WEEK}`;
    const listed = async (where: string, order: string, limit: number, args: unknown[]) => {
      const items: DigestFlag[] = await tx.query(
        `SELECT ${flagColumns} ${flagJoins} WHERE ${where} ORDER BY ${order} LIMIT ${limit}`,
        args,
      );
      const [{ total }] = await tx.query(`SELECT count(*)::int AS total ${flagJoins} WHERE ${where}`, args);
      return { total: total as number, items: items.map((i) => ({ ...i, weeksOpen: weeksBetween(i.sinceWeek, week) + 1 })) };
    };
    const newlyFlagged = await listed(`s.since_week = $1 AND f.state <> 'resolved'`, `p.code, m.name`, DIGEST_LIST_LIMIT, [week]);
    const reEscalated = await listed(
      `f.state = 'open' AND f.first_emailed_at IS NOT NULL
       AND ($1::timestamptz AT TIME ZONE p.timezone)::date - (f.first_emailed_at AT TIME ZONE p.timezone)::date >= $2`,
      `f.first_emailed_at, p.code, m.name`,
      DIGEST_LIST_LIMIT,
      [this.clock.now(), settings.reEscalateAfterDays],
    );
    const overdueAcknowledgements = await listed(
      `f.state = 'open' AND f.respond_by < $1`,
      `f.respond_by, p.code, m.name`,
      DIGEST_LIST_LIMIT,
      [this.clock.now()],
    );
    const overdueActions = await this.overdueActions(tx);
    const responseTimes = await this.responseTimes(tx, week);
    const longest = await listed(`f.state <> 'resolved' AND f.opened_week <= $1`, `f.opened_at, m.name`, LONGEST_OPEN_LIMIT, [week]);
    const longestOpen = longest.items.map((i) => ({ ...i, weeksOpen: weeksBetween(i.openedWeek, week) + 1 }));
    const withoutBureau: { name: string }[] = await tx.query(
      `SELECT p.name FROM provinces p
        WHERE EXISTS (SELECT 1 FROM flags f WHERE f.province_code = p.code AND f.state <> 'resolved')
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.role = 'bureau' AND u.active AND u.province_code = p.code)
        ORDER BY p.code`,
    );
    const [coverage] = await tx.query(
      // Toward the ministry's target (508): DKI Jakarta's administrative cities are not in it.
      `SELECT (SELECT count(DISTINCT regency_code) FROM mpps WHERE active AND province_code <> '31')::int AS "regenciesWithMpp",
              (SELECT count(*) FROM mpps WHERE active)::int AS "mppsRegistered"`,
    );
    coverage.regencies = this.config.coverageTarget;
    const before = await weeklyProvinceFigures(tx, addWeeks(week, -1));
    const inactiveTrend: { week: string; inactive: number }[] = await tx.query(
      `SELECT week, sum(inactive)::int AS inactive FROM report_weekly
        WHERE week_start BETWEEN $1::date - 77 AND $1::date GROUP BY week, week_start ORDER BY week_start`,
      [mondayOf(week)],
    );
    return {
      national: nationalFigures(provinces),
      previous: before.length ? nationalFigures(before) : null,
      inactiveTrend,
      provinces,
      newlyFlagged,
      reEscalated,
      overdueAcknowledgements,
      overdueActions,
      responseTimes,
      longestOpen,
      provincesWithoutBureau: withoutBureau.map((p) => p.name),
      coverage: { ...coverage, rate: coverage.regencies ? coverage.regenciesWithMpp / coverage.regencies : 0 },
    };
  }

  /** Follow-up actions whose target date passed with the flag unresolved and nothing recorded since. */
  private async overdueActions(tx: EntityManager): Promise<{ total: number; items: DigestAction[] }> {
    const where = `f.state <> 'resolved' AND a.target_date < ($1::timestamptz AT TIME ZONE p.timezone)::date
                   AND NOT EXISTS (SELECT 1 FROM flag_actions b WHERE b.flag_id = a.flag_id AND b.id > a.id)`;
    const from = `FROM flag_actions a JOIN flags f ON f.id = a.flag_id JOIN mpps m ON m.id = f.mpp_id JOIN provinces p ON p.code = f.province_code`;
    const items: DigestAction[] = await tx.query(
      `SELECT f.id AS "flagId", m.name AS "mppName", p.name AS "provinceName", a.kind, to_char(a.target_date, 'YYYY-MM-DD') AS "targetDate"
         ${from} WHERE ${where} ORDER BY a.target_date, m.name LIMIT ${DIGEST_LIST_LIMIT}`,
      [this.clock.now()],
    );
    const [{ total }] = await tx.query(`SELECT count(*)::int AS total ${from} WHERE ${where}`, [this.clock.now()]);
    return { total, items };
  }

  /**
   * Each province's response time: the median hours from the first bureau email about a flag to its
   * acknowledgement, over flags first emailed in the last 12 weeks; `waiting` are still unacknowledged.
   */
  private async responseTimes(tx: EntityManager, week: IsoWeek): Promise<DigestResponseTime[]> {
    const rows: DigestResponseTime[] = await tx.query(
      `WITH emailed AS (
         SELECT f.province_code, f.first_emailed_at,
                (SELECT min(e.at) FROM flag_events e WHERE e.flag_id = f.id AND e.to_state = 'acknowledged' AND e.at >= f.first_emailed_at) AS acked_at
           FROM flags f WHERE f.first_emailed_at >= $1::date - 84
       )
       SELECT p.name AS "provinceName",
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acked_at - first_emailed_at) / 3600)
                       FILTER (WHERE acked_at IS NOT NULL))::numeric, 1)::float8 AS "medianHours",
              count(acked_at)::int AS acknowledged, (count(*) - count(acked_at))::int AS waiting
         FROM emailed JOIN provinces p ON p.code = emailed.province_code
        GROUP BY p.code, p.name ORDER BY "medianHours" DESC NULLS FIRST, p.code`,
      [mondayOf(week)],
    );
    return rows;
  }
}

/** Notes in one email, per disputed week: the page has them all. */
const DISPUTE_NOTES_IN_EMAIL = 10;

/** A disputed week as the bureau's email carries it: the evidence summed up, at most ten notes. */
function escalationDispute(d: DisputedWeek): EscalationDispute & { provinceCode: string } {
  return {
    mppId: d.mppId,
    provinceCode: d.provinceCode,
    mppName: d.mppName,
    regencyName: d.regencyName,
    rules: d.rules,
    evidence: { ...d.evidence, notes: d.evidence.notes.slice(0, DISPUTE_NOTES_IN_EMAIL) },
    notesTotal: d.evidence.notes.length,
  };
}

/** A deputy reads the provinces worst first: lowest reporting rate, then most inactive MPPs. */
function worstFirst<T extends WeeklyFigures & { name: string }>(provinces: T[]): T[] {
  const rate = (p: T) => p.reportingRate ?? 2; // nothing expected: nothing to worry about, last
  return [...provinces].sort((a, b) => rate(a) - rate(b) || b.counts.inactive - a.counts.inactive || a.name.localeCompare(b.name));
}

function weeksBetween(from: IsoWeek, to: IsoWeek): number {
  return Math.round((Date.parse(mondayOf(to)) - Date.parse(mondayOf(from))) / (7 * 86400_000));
}
