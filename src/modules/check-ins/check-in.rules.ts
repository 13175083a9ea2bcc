import { AppError } from '../../common/errors';
import { addDays, IsoWeek, mondayOf, weekTimes, WeekTimes } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import type { CheckInDto, CheckInView } from './check-ins.dto';
import { CheckInErrorCode } from './check-in.errors';

/** What a submission is judged against, read under the (MPP, week) lock. */
export interface SubmissionContext {
  active: boolean;
  inauguratedOn: string | null;
  tenantCount: number;
  timezone: IndonesianTimezone;
  /** The week's cycle was evaluated: a new report re-evaluates the MPP. */
  evaluated: boolean;
  locksAt: Date | null;
  current: StoredCheckIn | null;
}

export type StoredCheckIn = Omit<CheckInView, 'mppId' | 'week' | 'deadline'>;

/** Why a check-in for this week is refused, or null when it may be stored. */
export function refusal(
  week: IsoWeek,
  ctx: SubmissionContext,
  dto: CheckInDto,
  now: Date,
  times: WeekTimes = weekTimes(week, ctx.timezone),
): AppError | null {
  if (now < times.windowOpensAt) {
    return AppError.conflict(`Check-ins for ${week} open on Friday, ${times.windowOpensAt.toISOString()}`, CheckInErrorCode.NotOpen);
  }
  if (ctx.inauguratedOn && ctx.inauguratedOn > addDays(mondayOf(week), 6)) {
    return AppError.conflict(`This MPP was inaugurated on ${ctx.inauguratedOn}, after ${week}`, CheckInErrorCode.NotInaugurated);
  }
  if (!ctx.active) return AppError.conflict('This MPP is retired from weekly monitoring', CheckInErrorCode.MppRetired);
  if (ctx.tenantCount > 0 && dto.tenantsServing > ctx.tenantCount) {
    return AppError.validation(`tenantsServing (${dto.tenantsServing}) exceeds the ${ctx.tenantCount} registered tenants`, [
      { field: 'tenantsServing', problem: `must not exceed the ${ctx.tenantCount} registered tenants` },
    ]);
  }
  if (ctx.locksAt && ctx.locksAt <= now)
    return AppError.conflict(`${week} is locked; ask an admin to unlock it for corrections`, CheckInErrorCode.WeekLocked);
  return null;
}

/** The same body again makes no revision. */
export function sameBody(current: StoredCheckIn, dto: CheckInDto): boolean {
  return (
    current.daysOpen === dto.daysOpen &&
    current.tenantsServing === dto.tenantsServing &&
    current.countersOpen === dto.countersOpen &&
    current.visitors === dto.visitors &&
    current.transactions === dto.transactions &&
    current.status === dto.status &&
    (current.closureReason ?? null) === (dto.closureReason ?? null) &&
    (current.problems ?? null) === (dto.problems ?? null) &&
    current.channels.direct === dto.channels.direct &&
    current.channels.mobile === dto.channels.mobile &&
    current.channels.self === dto.channels.self &&
    current.channels.electronic === dto.channels.electronic
  );
}
