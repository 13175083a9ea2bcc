/**
 * Closures: which ones excuse at once and which wait for the province's bureau. Pure, no
 * framework: the service reads the facts and applies these.
 */

export const CLOSURE_CATEGORIES = ['planned', 'disaster', 'renovation', 'relocation', 'outage', 'other'] as const;
export type ClosureCategory = (typeof CLOSURE_CATEGORIES)[number];

/** The field older clients send; each maps to a category. */
export const CLOSURE_KINDS = ['renovation', 'disaster', 'holiday', 'other'] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

export type ClosureStatus = 'approved' | 'pending_approval' | 'rejected' | 'withdrawn';

/** A manager's closure longer than this waits for the bureau (DOMAIN.md). */
export const MANAGER_MAX_DAYS_WITHOUT_APPROVAL = 14;
/** The longest closure anyone may declare at once. */
export const MAX_CLOSURE_DAYS = 366;

const KIND_TO_CATEGORY: Record<ClosureKind, ClosureCategory> = {
  renovation: 'renovation',
  disaster: 'disaster',
  holiday: 'planned',
  other: 'other',
};

/** The category given, else the older `kind` mapped, else `other`. */
export function categoryOf(input: { category?: ClosureCategory; kind?: ClosureKind }): ClosureCategory {
  return input.category ?? (input.kind ? KIND_TO_CATEGORY[input.kind] : 'other');
}

/** Days from `from` to `to`, both included (calendar dates, YYYY-MM-DD). */
export function closureDays(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
}

/**
 * The status of a closure as declared or changed by `role`: the bureau and admins approve what
 * they declare; a manager's closure that starts before today (local to the MPP) or lasts more than
 * 14 days waits for the bureau, so a closure typed after the fact, or a year long, never silences
 * monitoring on the manager's word alone.
 */
export function statusOnDeclare(role: 'manager' | 'bureau' | 'admin', closure: { from: string; to: string }, today: string): ClosureStatus {
  if (role !== 'manager') return 'approved';
  const retroactive = closure.from < today;
  const long = closureDays(closure.from, closure.to) > MANAGER_MAX_DAYS_WITHOUT_APPROVAL;
  return retroactive || long ? 'pending_approval' : 'approved';
}

/** The status a decision leaves; withdrawn closures take no decision (null). */
export function statusOnDecision(current: ClosureStatus, approve: boolean): ClosureStatus | null {
  if (current === 'withdrawn') return null;
  return approve ? 'approved' : 'rejected';
}

/** Only approved closures excuse days in the evaluation and the reminders. */
export function excuses(status: ClosureStatus): boolean {
  return status === 'approved';
}

/**
 * Whether a closure may still start on a day of this week: until the week is locked (its
 * correction window, `correctionDays` after its evaluation). A week not evaluated yet is open,
 * unless it is so old that it would have been locked had it been evaluated a day after it ended.
 */
export function weekOpenToClosures(
  week: { monday: string; evaluatedAt: Date | null; locksAt: Date | null },
  now: Date,
  correctionDays: number,
): boolean {
  if (week.evaluatedAt) return !week.locksAt || week.locksAt > now;
  const assumedLock = Date.parse(week.monday) + (8 + correctionDays) * 86_400_000;
  return now.getTime() < assumedLock;
}
