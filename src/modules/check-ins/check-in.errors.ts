/** Why a check-in is refused (the API's `error` field), beside the common codes. */
export const CheckInErrorCode = {
  NotOpen: 'check_in_not_open',
  NotInaugurated: 'mpp_not_inaugurated',
  MppRetired: 'mpp_inactive',
  WeekLocked: 'week_locked',
} as const;
