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
