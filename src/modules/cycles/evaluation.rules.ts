/**
 * The weekly verdict on one MPP (DOMAIN.md, "Evaluation"). Pure: no framework, no database; the
 * evaluation service feeds it rows read in one set-based query and writes the results in one.
 */
export const RESULTS = ['active', 'at_risk', 'inactive', 'not_reporting', 'excused', 'not_expected'] as const;
export type EvaluationResult = (typeof RESULTS)[number];

export const CHECK_IN_STATUSES = ['normal', 'partial', 'temporarily_closed', 'not_operating'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

export type RuleCode =
  | 'no_opening_day'
  | 'planned_closure'
  | 'public_holiday'
  | 'not_reporting'
  | 'not_reporting_consecutive'
  | 'self_reported_not_operating'
  | 'zero_days_open'
  | 'zero_activity'
  | 'fewer_days_than_expected'
  | 'few_tenants_serving'
  | 'transactions_drop'
  | 'contradicted_by_citizen_reports'
  | 'contradicted_by_signals';

/** Thresholds: configuration stored in the database, these are DOMAIN.md's defaults. */
export interface EvaluationSettings {
  /** Consecutive weeks without a check-in that make an MPP `inactive`. */
  notReportingWeeksForInactive: number;
  /** `at_risk` below this share of registered tenants serving. */
  minTenantsServingRatio: number;
  /** `at_risk` when transactions per expected day fall by more than this share of the MPP's own median per day. */
  maxTransactionsDrop: number;
  /** Weeks of history behind that median. */
  medianWeeks: number;
  /** Fewer weeks of history than this: no median comparison yet. */
  medianMinWeeks: number;
  /** Days after evaluation during which late check-ins and corrections are accepted. */
  correctionDays: number;
  /** Escalation ladder: managers without a check-in are reminded this many hours before their deadline (0: no reminders). */
  reminderHoursBeforeDeadline: number;
  /** Escalation ladder: an open flag nobody acknowledged this many days after the bureau was first emailed about it is escalated again. */
  reEscalateAfterDays: number;
  /** The bureau responds by 23:59 local of this weekday (1 Monday … 7 Sunday) of the week it was emailed. */
  respondByWeekday: number;
  /** A check-in claiming days open is disputed when at least this many distinct citizens report the MPP closed that week. */
  disputeMinCitizenReports: number;
}

export const DEFAULT_SETTINGS: EvaluationSettings = {
  notReportingWeeksForInactive: 2,
  minTenantsServingRatio: 0.5,
  maxTransactionsDrop: 0.5,
  medianWeeks: 4,
  medianMinWeeks: 2,
  correctionDays: 7,
  reminderHoursBeforeDeadline: 4,
  reEscalateAfterDays: 7,
  respondByWeekday: 5,
  disputeMinCitizenReports: 3,
};

export interface CheckInFigures {
  daysOpen: number;
  tenantsServing: number;
  visitors: number;
  transactions: number;
  status: CheckInStatus;
}

export interface EvaluationInput {
  /** The current check-in revision, or null when none arrived. */
  checkIn: CheckInFigures | null;
  /** The MPP's opening days in this week (from its inauguration on). */
  openingDays: number;
  /** Of those, days that are national holidays or cuti bersama. */
  holidayDays: number;
  /** Of those, days covered by a declared planned closure (and not already a holiday). */
  closureDays: number;
  registeredTenants: number;
  /** Consecutive not-reporting weeks up to the previous week (0 when it reported, was excused or not expected). */
  previousNotReportingStreak: number;
  /**
   * Median over the previous weeks of transactions per expected day (each week's transactions over
   * its own expected days), or null without enough history. Per day, so a holiday week is no drop.
   */
  transactionsPerDayMedian: number | null;
  /** Independent signals for the week (DOMAIN.md, ground truth); absent means none. */
  signals?: WeekSignals;
}

export interface WeekSignals {
  /** Distinct clients who reported the MPP closed on a day of the week. */
  citizenClosedReports: number;
  /** Whether a signal source was live for the MPP during the week (no source: no verdict from signals). */
  hasSignalSource: boolean;
  /** Days of the week on which a source reported activity. */
  signalDays: number;
}

export interface Evaluation {
  result: EvaluationResult;
  rules: RuleCode[];
  expectedDays: number;
  notReportingStreak: number;
  /** The check-in is contradicted by independent signals. */
  disputed: boolean;
}

export function expectedDays(input: Pick<EvaluationInput, 'openingDays' | 'holidayDays' | 'closureDays'>): number {
  return Math.max(0, input.openingDays - input.holidayDays - input.closureDays);
}

export function evaluate(input: EvaluationInput, settings: EvaluationSettings = DEFAULT_SETTINGS): Evaluation {
  const expected = expectedDays(input);
  const c = input.checkIn;
  const verdict = (result: EvaluationResult, rules: RuleCode[], streak = 0): Evaluation => ({
    result,
    rules,
    expectedDays: expected,
    notReportingStreak: streak,
    disputed: false,
  });

  // No opening day in the week on or after inauguration: nothing was asked of it (out of every rate, no streak).
  if (input.openingDays === 0) return verdict('not_expected', ['no_opening_day']);

  // A self-declared death outranks any excuse.
  if (c?.status === 'not_operating') return verdict('inactive', ['self_reported_not_operating', ...inactiveFigures(c, expected)]);

  // Every opening day covered by a closure or a holiday: nothing was expected.
  if (input.openingDays > 0 && expected === 0) {
    const rules: RuleCode[] = [];
    if (input.closureDays > 0) rules.push('planned_closure');
    if (input.holidayDays > 0) rules.push('public_holiday');
    return verdict('excused', rules);
  }

  if (!c) {
    const streak = input.previousNotReportingStreak + 1;
    return streak >= settings.notReportingWeeksForInactive
      ? verdict('inactive', ['not_reporting', 'not_reporting_consecutive'], streak)
      : verdict('not_reporting', ['not_reporting'], streak);
  }

  const inactive = inactiveFigures(c, expected);
  if (inactive.length) return verdict('inactive', inactive);

  const atRisk: RuleCode[] = [];
  if (c.daysOpen < expected) atRisk.push('fewer_days_than_expected');
  if (input.registeredTenants > 0 && c.tenantsServing < settings.minTenantsServingRatio * input.registeredTenants)
    atRisk.push('few_tenants_serving');
  if (transactionsDropped(c.transactions, expected, input.transactionsPerDayMedian, settings)) atRisk.push('transactions_drop');
  const contradicted = contradictions(c, input.signals, settings);
  // A disputed `active` becomes `at_risk`; the bureau sees why.
  if (atRisk.length || contradicted.length)
    return { ...verdict('at_risk', [...atRisk, ...contradicted]), disputed: contradicted.length > 0 };
  return verdict('active', []);
}

/** A check-in claiming days open against citizens who found it closed and machines that saw no activity. */
export function contradictions(c: CheckInFigures, signals: WeekSignals | undefined, settings: EvaluationSettings): RuleCode[] {
  if (!signals || c.daysOpen === 0) return [];
  const rules: RuleCode[] = [];
  if (signals.citizenClosedReports >= settings.disputeMinCitizenReports) rules.push('contradicted_by_citizen_reports');
  if (signals.hasSignalSource && signals.signalDays < c.daysOpen) rules.push('contradicted_by_signals');
  return rules;
}

/** This week's transactions per expected day against the MPP's own median per day. */
function transactionsDropped(transactions: number, expected: number, medianPerDay: number | null, settings: EvaluationSettings): boolean {
  if (medianPerDay === null || medianPerDay <= 0 || expected === 0) return false;
  return transactions / expected < (1 - settings.maxTransactionsDrop) * medianPerDay;
}

function inactiveFigures(c: CheckInFigures, expected: number): RuleCode[] {
  if (expected === 0) return [];
  const rules: RuleCode[] = [];
  if (c.daysOpen === 0) rules.push('zero_days_open');
  if (c.visitors === 0 && c.transactions === 0) rules.push('zero_activity');
  return rules;
}

/** Median of the values, or null when there are fewer than `minCount`. */
export function median(values: number[], minCount = 1): number | null {
  if (values.length < Math.max(1, minCount)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
