/** Cycle errors (the API's `error` field), beside the common codes. */
export const CycleErrorCode = {
  /** Evaluating a week whose check-ins are still being accepted. */
  StillOpen: 'cycle_open',
} as const;
