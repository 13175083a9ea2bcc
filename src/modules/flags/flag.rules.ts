/** Flag lifecycle (DOMAIN.md): open → acknowledged → in_follow_up → resolved; the system reopens. */
export const FLAG_STATES = ['open', 'acknowledged', 'in_follow_up', 'resolved'] as const;
export type FlagState = (typeof FLAG_STATES)[number];

/** Moves a person may make. A bureau may resolve straight from acknowledged (e.g. a data error). */
const ALLOWED: Record<FlagState, FlagState[]> = {
  open: ['acknowledged'],
  acknowledged: ['in_follow_up', 'resolved'],
  in_follow_up: ['resolved'],
  resolved: [],
};

export function canTransition(from: FlagState, to: FlagState): boolean {
  return ALLOWED[from].includes(to);
}

export function allowedTransitions(from: FlagState): FlagState[] {
  return ALLOWED[from];
}

/** What a bureau can record as follow-up (DOMAIN.md): klarifikasi telepon, kunjungan lapangan, … */
export const ACTION_KINDS = [
  'phone_clarification',
  'field_visit',
  'technical_assistance',
  'letter_to_regional_secretary',
  'other',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * The bureau's response deadline for a flag: 23:59 local on `weekday` (5 = Friday) of the week it was
 * first emailed, or of the next week when that moment has already passed (an email sent on Saturday).
 * `offsetMinutes` is the province's UTC offset (Indonesia keeps no daylight saving).
 */
export function respondBy(emailedAt: Date, offsetMinutes: number, weekday: number): Date {
  const local = new Date(emailedAt.getTime() + offsetMinutes * 60_000);
  const isoDow = ((local.getUTCDay() + 6) % 7) + 1;
  const day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) + (weekday - isoDow) * 86400_000;
  let due = day + (23 * 60 + 59) * 60_000 - offsetMinutes * 60_000;
  if (due < emailedAt.getTime()) due += 7 * 86400_000;
  return new Date(due);
}

/**
 * Re-escalate only when the bureau was first emailed at least `days` calendar days ago (local dates):
 * never because an evaluation ran again or caught up. A flag never emailed is not re-escalated.
 */
export function dueForReEscalation(firstEmailedAt: Date | null, now: Date, offsetMinutes: number, days: number): boolean {
  if (!firstEmailedAt) return false;
  const localDay = (d: Date) => Math.floor((d.getTime() + offsetMinutes * 60_000) / 86400_000);
  return localDay(now) - localDay(firstEmailedAt) >= days;
}
