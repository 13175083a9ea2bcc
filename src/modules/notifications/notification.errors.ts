/** Notification errors (the API's `error` field), beside the common codes. */
export const NotificationErrorCode = {
  /** Retrying an email that is not dead. */
  InvalidTransition: 'invalid_transition',
} as const;
