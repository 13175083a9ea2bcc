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
import { DigestFlag, DigestPayload, ReminderPayload } from './notification.types';

const ZONES: { tz: IndonesianTimezone; label: ReminderPayload['zone'] }[] = [
  { tz: 'Asia/Jayapura', label: 'WIT' },
  { tz: 'Asia/Makassar', label: 'WITA' },
  { tz: 'Asia/Jakarta', label: 'WIB' },
];

/** Digest lists stay readable (and the payload small) at national scale; totals are always given. */
const DIGEST_LIST_LIMIT = 50;
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
   * Reminders to managers whose MPP has not reported, `reminderHoursBeforeDeadline` before each
   * zone's deadline (Monday 12:00, or the next working day's when that Monday is a holiday). Decided once per (week, zone): the plan row is the claim.
   */
  async planReminders(settings: EvaluationSettings): Promise<string[]> {
    const hours = settings.reminderHoursBeforeDeadline;
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
        const deadline = weekTimes(week, zone.tz, holidays).deadline;
        if (now >= deadline || now.getTime() < deadline.getTime() - hours * 3600_000) continue;
        ids.push(...(await this.db.transaction((tx) => this.remindZone(tx, week, zone, deadline))));
      }
    }
    return ids;
  }

  private async remindZone(tx: EntityManager, week: IsoWeek, zone: (typeof ZONES)[number], deadline: Date): Promise<string[]> {
    const now = this.clock.now();
    const claimed = await tx.query(
      `INSERT INTO notification_plans (kind, week, part, decided_at) VALUES ('manager_reminder', $1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING week`,
      [week, zone.label, now],
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
            -- An opening day in the week on or after inauguration (else not_expected) that no approved
            -- closure covers: a Mon–Fri closure exempts a Mon–Fri MPP, whatever it says of the weekend.
            AND EXISTS (SELECT 1 FROM generate_series($3::date, $3::date + 6, interval '1 day') AS d
                         WHERE extract(isodow FROM d)::int = ANY(m.opening_days) AND (m.inaugurated_on IS NULL OR d >= m.inaugurated_on)
                           AND NOT EXISTS (SELECT 1 FROM planned_closures c
                                            WHERE c.mpp_id = m.id AND c.status = 'approved' AND d::date BETWEEN c.from_date AND c.to_date))
            AND NOT EXISTS (SELECT 1 FROM check_ins ci WHERE ci.mpp_id = m.id AND ci.week = $1)
       )
       INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
       SELECT 'manager_reminder', $1, 'manager:' || user_id || ':' || $4, locale, ARRAY[email],
              jsonb_build_object('managerName', user_name, 'zone', $4::text, 'timezone', $2::text, 'deadline', $5::text,
                                 'mpps', jsonb_agg(jsonb_build_object('id', id, 'name', name) ORDER BY name)),
              $6, $7
         FROM missing GROUP BY user_id, email, user_name, locale
       ON CONFLICT (kind, week, scope, locale) DO NOTHING
       RETURNING id`,
      [week, zone.tz, monday, zone.label, deadline.toISOString(), this.config.notify.maxAttempts, now],
    );
    await tx.query(`UPDATE notification_plans SET created = $3 WHERE kind = 'manager_reminder' AND week = $1 AND part = $2`, [
      week,
      zone.label,
      rows.length,
    ]);
    this.logger.log(
      { event: 'reminders_planned', week, zone: zone.label, count: rows.length },
      `Planned ${rows.length} reminders for ${week} (${zone.label})`,
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
    const reEscalateBy = addWeeks(week, -settings.reEscalateAfterWeeks);
    const rows: { id: string }[] = await tx.query(
      `WITH listed AS (
         SELECT f.id, f.mpp_id AS "mppId", f.province_code, f.state, f.opened_week AS "openedWeek", f.rules, f.escalations,
                f.last_escalated_week, m.name AS "mppName", r.name AS "regencyName", s.since_week AS "sinceWeek",
                CASE WHEN s.since_week = $1 THEN 'new'
                     WHEN f.state = 'open' AND s.since_week <= $2 THEN 're_escalated'
                     WHEN f.state = 'open' THEN 'open'
                     ELSE 'in_progress' END AS category
           FROM flags f
           JOIN mpps m ON m.id = f.mpp_id AND m.active
           JOIN regencies r ON r.code = m.regency_code
           ${FLAG_SINCE_WEEK}
          WHERE f.state <> 'resolved' AND s.since_week <= $1
       ), bumped AS (
         -- Counted once per week however often the evaluation is re-run.
         UPDATE flags f SET escalations = f.escalations + 1, last_escalated_week = $1
           FROM listed l
          WHERE f.id = l.id AND l.category IN ('new', 're_escalated') AND f.last_escalated_week IS DISTINCT FROM $1
         RETURNING f.id, f.escalations
       ), by_province AS (
         SELECT l.province_code, p.name AS province_name,
                jsonb_agg(jsonb_build_object(
                  'id', l.id, 'mppId', l."mppId", 'mppName', l."mppName", 'regencyName', l."regencyName", 'state', l.state,
                  'openedWeek', l."openedWeek", 'sinceWeek', l."sinceWeek", 'rules', to_jsonb(l.rules), 'category', l.category,
                  'escalations', coalesce(b.escalations, l.escalations))
                  ORDER BY array_position(ARRAY['new', 're_escalated', 'open', 'in_progress'], l.category), l."mppName") AS flags,
                count(*)::int AS total,
                count(*) FILTER (WHERE l.category = 'new')::int AS new,
                count(*) FILTER (WHERE l.category = 're_escalated')::int AS re_escalated,
                count(*) FILTER (WHERE l.category = 'open')::int AS open,
                count(*) FILTER (WHERE l.category = 'in_progress')::int AS in_progress
           FROM listed l JOIN provinces p ON p.code = l.province_code
           LEFT JOIN bumped b ON b.id = l.id
          GROUP BY l.province_code, p.name
       ), recipients AS (
         SELECT province_code, locale, array_agg(email ORDER BY email) AS emails
           FROM users WHERE role = 'bureau' AND active GROUP BY province_code, locale
       )
       INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
       SELECT 'bureau_escalation', $1, 'province:' || b.province_code, r.locale, r.emails,
              jsonb_build_object('provinceCode', b.province_code, 'provinceName', b.province_name, 'flags', b.flags,
                'counts', jsonb_build_object('total', b.total, 'new', b.new, 'reEscalated', b.re_escalated, 'open', b.open, 'inProgress', b.in_progress)),
              $3, $4
         FROM by_province b JOIN recipients r ON r.province_code = b.province_code
       ON CONFLICT (kind, week, scope, locale) DO NOTHING
       RETURNING id`,
      [week, reEscalateBy, this.config.notify.maxAttempts, this.clock.now()],
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
    const provinces = await weeklyProvinceFigures(tx, week);
    const flagColumns = `f.id AS "flagId", m.name AS "mppName", p.name AS "provinceName", f.rules, f.state,
                         f.opened_week AS "openedWeek", s.since_week AS "sinceWeek", f.escalations`;
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
    const reEscalated = await listed(`f.state = 'open' AND s.since_week <= $1`, `s.since_week, p.code, m.name`, DIGEST_LIST_LIMIT, [
      addWeeks(week, -settings.reEscalateAfterWeeks),
    ]);
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
    return {
      national: nationalFigures(provinces),
      provinces,
      newlyFlagged,
      reEscalated,
      longestOpen,
      provincesWithoutBureau: withoutBureau.map((p) => p.name),
      coverage: { ...coverage, rate: coverage.regencies ? coverage.regenciesWithMpp / coverage.regencies : 0 },
    };
  }
}

function weeksBetween(from: IsoWeek, to: IsoWeek): number {
  return Math.round((Date.parse(mondayOf(to)) - Date.parse(mondayOf(from))) / (7 * 86400_000));
}
