import { createHash } from 'node:crypto';
import type { IndonesianTimezone } from '../../common/time/timezones';
import type { ProvinceFigures, WeeklyFigures } from '../reports/reports.types';
import type { FlagState } from '../flags/flag.rules';
import type { FlagManager, LatestCheckIn, RecentWeek } from '../flags/flag-context';
import type { RuleFact } from '../flags/rule-facts';
import type { DisputeSummary } from '../citizen-reports/dispute-evidence';

export const NOTIFICATION_KINDS = [
  'manager_reminder',
  'manager_friday_reminder',
  'check_in_receipt',
  'bureau_escalation',
  'ministry_digest',
  'account_invitation',
  'password_reset',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** queued → sending → sent; `failed` while retries remain, `dead` after the last attempt. */
export const NOTIFICATION_STATES = ['queued', 'sending', 'sent', 'failed', 'dead'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

/** The BullMQ job: the ids of a batch of outbox rows; the worker re-reads the rows, which are the truth. */
export interface NotificationJob {
  notificationIds: string[];
}

/** A job added before jobs carried batches (one row): it may still wait in Redis after an upgrade. */
export interface LegacyNotificationJob {
  notificationId: string;
}

export const rowsOfJob = (job: NotificationJob | LegacyNotificationJob): string[] =>
  'notificationIds' in job ? job.notificationIds : [job.notificationId];

export const NOTIFICATION_JOB = 'deliver';

/**
 * Outbox rows per job: BullMQ's scripts and the claim UPDATE are paid once per job, not per email.
 * On the fan-out bench 25 and 50 did alike (10 a little worse); the smaller keeps fewer rows
 * claimed while they wait for a sending slot (the sender gives back those still waiting late).
 */
export const ROWS_PER_JOB = 25;

/**
 * BullMQ ids cannot contain ':'. One id per set of rows (order does not matter), so offering the same
 * rows again while their job lives is a no-op; a lone row keeps the id its job had before batches.
 */
export const jobIdOf = (notificationIds: string[]): string =>
  notificationIds.length === 1
    ? `notification-${notificationIds[0]}`
    : `notifications-${createHash('sha256')
        .update([...notificationIds].sort().join(','))
        .digest('hex')
        .slice(0, 40)}`;

export interface ReminderPayload {
  managerName: string;
  zone: 'WIB' | 'WITA' | 'WIT';
  timezone: IndonesianTimezone;
  /** The check-in deadline, ISO instant. */
  deadline: string;
  mpps: { id: string; name: string }[];
}

/** What a check-in revision recorded, sent to the manager who submitted it (issue 16, item 6). */
export interface ReceiptPayload {
  mppId: string;
  mppName: string;
  managerName: string;
  timezone: IndonesianTimezone;
  /** 1 for the first submission; a higher revision is an updated receipt. */
  revision: number;
  daysOpen: number;
  visitors: number;
  transactions: number;
  tenantsServing: number;
  registeredTenants: number;
  status: string;
  late: boolean;
  /** ISO instants. */
  deadline: string;
  submittedAt: string;
}

export type EscalationCategory = 'new' | 're_escalated' | 'open' | 'in_progress' | 'addition';

export interface EscalatedFlag {
  id: string;
  mppId: string;
  mppName: string;
  regencyName: string;
  state: FlagState;
  openedWeek: string;
  /** The week it was (re)opened. */
  sinceWeek: string;
  rules: string[];
  category: EscalationCategory;
  /** How many weekly escalations listed it so far, this one included. */
  escalations: number;
  /** Context travels with the flag (issue 16): who to call, what the manager wrote, the last weeks. */
  managers?: FlagManager[];
  latestCheckIn?: LatestCheckIn | null;
  recentWeeks?: RecentWeek[];
  ruleFacts?: RuleFact[];
}

export interface EscalationPayload {
  provinceCode: string;
  provinceName: string;
  /** The bureau's own title when it is not "Biro Organisasi" (bureau_titles). */
  bureauTitle?: string | null;
  timezone?: IndonesianTimezone;
  /** A short same-day email about a flag a late check-in opened after the week's email. */
  addition?: boolean;
  flags: EscalatedFlag[];
  counts: { total: number; new: number; reEscalated: number; open: number; inProgress: number };
  /** The week's self-reports in the province that citizens or signals contradicted, with the evidence. */
  disputes?: EscalationDispute[];
}

export interface EscalationDispute {
  mppId: string;
  mppName: string;
  regencyName: string;
  rules: string[];
  evidence: DisputeSummary;
  /** Notes in all; the email carries the first ten. */
  notesTotal: number;
}

export interface DigestFlag {
  flagId: string;
  mppName: string;
  provinceName: string;
  rules: string[];
  state: FlagState;
  openedWeek: string;
  sinceWeek: string;
  weeksOpen: number;
  escalations: number;
  timezone?: IndonesianTimezone;
  respondBy?: string | null;
}

export interface DigestAction {
  flagId: string;
  mppName: string;
  provinceName: string;
  kind: string;
  targetDate: string;
}

export interface DigestResponseTime {
  provinceName: string;
  /** Median hours from the first bureau email to acknowledgement; null when none was acknowledged yet. */
  medianHours: number | null;
  acknowledged: number;
  waiting: number;
}

export interface DigestPayload {
  national: WeeklyFigures;
  /** The week before's national figures, for the change since last week (null: not evaluated). */
  previous?: WeeklyFigures | null;
  /** Inactive MPPs in each evaluated week of the 12 ending with this one, oldest first. */
  inactiveTrend?: { week: string; inactive: number }[];
  provinces: ProvinceFigures[];
  newlyFlagged: { total: number; items: DigestFlag[] };
  reEscalated: { total: number; items: DigestFlag[] };
  overdueAcknowledgements?: { total: number; items: DigestFlag[] };
  overdueActions?: { total: number; items: DigestAction[] };
  responseTimes?: DigestResponseTime[];
  longestOpen: DigestFlag[];
  provincesWithoutBureau: string[];
  coverage: { regencies: number; regenciesWithMpp: number; mppsRegistered: number; rate: number };
}
