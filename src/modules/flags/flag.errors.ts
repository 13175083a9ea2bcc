/** Flag errors (the API's `error` field), beside the common codes. */
export const FlagErrorCode = {
  InvalidTransition: 'invalid_transition',
} as const;
