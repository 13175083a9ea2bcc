import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { addWeeks, deadlineSearchRange, IsoWeek, mondayOf, weekAt, weekTimes } from '../../common/time/iso-week';
import { holidayDates } from '../calendar/holiday-dates';
import type { EvaluationSettings } from '../cycles/evaluation.rules';
import { IndonesianTimezone } from '../../common/time/timezones';
import { weeklyProvinceFigures } from '../reports/report-weekly.repository';
import { nationalFigures } from '../reports/weekly-figures';
import type { WeeklyFigures } from '../reports/reports.types';
import { DigestPayload, EscalatedFlag, EscalationDispute, EscalationPayload, ReminderPayload } from './notification.types';
import { flagContexts } from '../flags/flag-context';
import { disputedWeeks, type DisputedWeek } from '../citizen-reports/dispute-evidence';
import { readEvaluationSettings } from '../cycles/evaluation-settings.service';
import { CyclesRepository } from '../cycles/cycles.repository';
import { FlagEscalationsRepository } from '../flags/flag-escalations.repository';
import { RegionsService } from '../regions/regions.service';
import { RecipientsRepository } from '../users/recipients.repository';
import { NewNotification, OutboxRepository } from './outbox.repository';
import {
  DigestFlagList,
  digestFlagLists,
  digestFlags,
  inactiveTrend,
  insertMissingCheckInReminders,
  flagsForAdditionalEmail,
  mppCoverage,
  overdueActions,
  provincesWithoutBureau,
  responseTimes,
} from './notification.queries';

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
    private readonly outbox: OutboxRepository,
    private readonly flags: FlagEscalationsRepository,
    private readonly cycles: CyclesRepository,
    private readonly regions: RegionsService,
    private readonly recipients: RecipientsRepository,
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
    if (!(await this.outbox.claimPlan(tx, kind, week, zone.label, now))) return [];
    const ids = await insertMissingCheckInReminders(tx, {
      kind,
      week,
      monday: mondayOf(week),
      timezone: zone.tz,
      zone: zone.label,
      deadline,
      maxAttempts: this.config.notify.maxAttempts,
      at: now,
    });
    await this.outbox.recordPlanned(tx, kind, week, zone.label, ids.length);
    this.logger.log(
      { event: 'reminders_planned', kind, week, zone: zone.label, count: ids.length },
      `Planned ${ids.length} ${kind} for ${week} (${zone.label})`,
    );
    return ids;
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
    const listed = await this.flags.escalationCandidates(tx, week, this.clock.now(), settings.reEscalateAfterDays);
    const bumped = await this.flags.recordWeeklyEscalation(
      tx,
      week,
      listed.filter((f) => f.category === 'new' || f.category === 're_escalated').map((f) => f.id),
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
    if (!(await this.cycles.lockState(tx, week)).evaluatedAt) return [];
    const flags = await flagsForAdditionalEmail(tx, week, mppIds);
    if (!flags.length) return [];
    await this.flags.recordAdditionalEscalation(
      tx,
      week,
      flags.map((f) => f.id),
    );
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
    const provinceCodes = [...new Set([...flags, ...disputes].map((f) => f.provinceCode))];
    const provinces = await this.regions.bureauAddresses(tx, provinceCodes);
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
    // One row per province and language its bureau users read; a province without one gets none.
    const recipients = await this.recipients.bureausOf(tx, provinceCodes);
    const rows: NewNotification[] = payloads.flatMap((x) =>
      recipients
        .filter((r) => r.provinceCode === x.provinceCode)
        .map((r) => ({
          kind: 'bureau_escalation' as const,
          week,
          scope: x.scope,
          locale: r.locale,
          recipients: r.emails,
          payload: x.payload,
        })),
    );
    return this.outbox.insertMany(tx, rows, this.config.notify.maxAttempts, this.clock.now());
  }

  private async planDigest(tx: EntityManager, week: IsoWeek, settings: EvaluationSettings): Promise<string[]> {
    // Only the languages still without the week's digest: a re-run builds no payload.
    const decided = await this.outbox.decidedLocales(tx, 'ministry_digest', week, 'national');
    const recipients = (await this.recipients.ministry(tx)).filter((r) => !decided.has(r.locale));
    if (!recipients.length) return [];
    const payload = await this.digestPayload(tx, week, settings);
    return this.outbox.insertMany(
      tx,
      recipients.map((r) => ({ kind: 'ministry_digest', week, scope: 'national', locale: r.locale, recipients: r.emails, payload })),
      this.config.notify.maxAttempts,
      this.clock.now(),
    );
  }

  /** The national picture of one evaluated week: a handful of set-based queries whatever the scale. */
  async digestPayload(tx: EntityManager, week: IsoWeek, settings: EvaluationSettings): Promise<DigestPayload> {
    const provinces = worstFirst(await weeklyProvinceFigures(tx, week));
    const now = this.clock.now();
    const listed = async (list: DigestFlagList, limit: number) => {
      const { total, items } = await digestFlags(tx, list, limit);
      return { total, items: items.map((i) => ({ ...i, weeksOpen: weeksBetween(i.sinceWeek, week) + 1 })) };
    };
    const newlyFlagged = await listed(digestFlagLists.newlyFlagged(week), DIGEST_LIST_LIMIT);
    const reEscalated = await listed(digestFlagLists.reEscalated(now, settings.reEscalateAfterDays), DIGEST_LIST_LIMIT);
    const overdueAcknowledgements = await listed(digestFlagLists.overdueAcknowledgements(now), DIGEST_LIST_LIMIT);
    const actions = await overdueActions(tx, now, DIGEST_LIST_LIMIT);
    const responses = await responseTimes(tx, mondayOf(week));
    const longest = await listed(digestFlagLists.longestOpen(week), LONGEST_OPEN_LIMIT);
    const longestOpen = longest.items.map((i) => ({ ...i, weeksOpen: weeksBetween(i.openedWeek, week) + 1 }));
    const withoutBureau = await provincesWithoutBureau(tx);
    const coverage = { ...(await mppCoverage(tx)), regencies: this.config.coverageTarget };
    const before = await weeklyProvinceFigures(tx, addWeeks(week, -1));
    const trend = await inactiveTrend(tx, mondayOf(week));
    return {
      national: nationalFigures(provinces),
      previous: before.length ? nationalFigures(before) : null,
      inactiveTrend: trend,
      provinces,
      newlyFlagged,
      reEscalated,
      overdueAcknowledgements,
      overdueActions: actions,
      responseTimes: responses,
      longestOpen,
      provincesWithoutBureau: withoutBureau,
      coverage: { ...coverage, rate: coverage.regencies ? coverage.regenciesWithMpp / coverage.regencies : 0 },
    };
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
