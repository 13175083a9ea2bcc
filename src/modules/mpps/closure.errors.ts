/** Closure errors (the API's `error` field), beside the common codes. */
export const ClosureErrorCode = {
  /** Editing, withdrawing or deciding a closure already withdrawn. */
  Withdrawn: 'closure_withdrawn',
} as const;
