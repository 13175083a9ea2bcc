import { AppError } from '../../common/errors';
import { addDays, IsoWeek, isoWeekday, mondayOf, weekTimes, WeekTimes } from '../../common/time/iso-week';
import type { IndonesianTimezone } from '../../common/time/timezones';
import type { CheckInDto, CheckInView } from './check-ins.dto';
import { CheckInErrorCode } from './check-in.errors';

/** What a submission is judged against, read under the (MPP, week) lock. */
export interface SubmissionContext {
  active: boolean;
  inauguratedOn: string | null;
  /** ISO weekdays the MPP opens (1 = Monday). */
  openingDays: number[];
  tenantCount: number;
  /** Ids of the MPP's registered tenants (what `tenantsServingIds` may name). */
  tenantIds: string[];
  timezone: IndonesianTimezone;
  /** The week's cycle was evaluated: a new report re-evaluates the MPP. */
  evaluated: boolean;
  locksAt: Date | null;
  current: StoredCheckIn | null;
}

export type StoredCheckIn = Omit<CheckInView, 'mppId' | 'week' | 'deadline' | 'tenantsServingIds'> & {
  tenantsServingIds?: string[] | null;
};

/**
 * A check-in that names its tenants serving: the names sorted (one stored form) and the count
 * taken from them when left out. A count that disagrees with the names is refused (`refusal`).
 */
export function normaliseTenants(dto: CheckInDto): CheckInDto {
  if (!dto.tenantsServingIds) return dto;
  const ids = [...dto.tenantsServingIds].map((id) => id.toLowerCase()).sort();
  dto.tenantsServingIds = ids;
  dto.tenantsServing ??= ids.length;
  return dto;
}

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
  const tenants = tenantProblems(dto, ctx.tenantIds);
  if (tenants) return AppError.validation(`tenantsServingIds ${tenants}`, [{ field: 'tenantsServingIds', problem: tenants }]);
  const incoherent = incoherences(dto, {
    openingDays: openingDaysInWeek(week, ctx.openingDays, ctx.inauguratedOn),
    registeredTenants: ctx.tenantCount,
  });
  if (incoherent.length) {
    const details = incoherent.map((i) => ({ field: i.field, problem: PROBLEM_TEXT[i.code](i.limit) }));
    return AppError.validation(`The check-in contradicts itself: ${details.map((d) => `${d.field} ${d.problem}`).join('; ')}`, details);
  }
  if (ctx.locksAt && ctx.locksAt <= now)
    return AppError.conflict(`${week} is locked; ask an admin to unlock it for corrections`, CheckInErrorCode.WeekLocked);
  return null;
}

/** Why the named tenants serving cannot be stored, or null: each must be a registered tenant of the MPP, and the count their number. */
export function tenantProblems(dto: Pick<CheckInDto, 'tenantsServing' | 'tenantsServingIds'>, tenantIds: string[]): string | null {
  if (!dto.tenantsServingIds) return null;
  const registered = new Set(tenantIds);
  const unknown = dto.tenantsServingIds.filter((id) => !registered.has(id));
  if (unknown.length) return `must name registered tenants of this MPP; not registered here: ${unknown.join(', ')}`;
  if (dto.tenantsServing !== dto.tenantsServingIds.length)
    return `names ${dto.tenantsServingIds.length} tenants but tenantsServing is ${dto.tenantsServing}`;
  return null;
}

/** What a week's figures must agree with: the MPP's opening days that week and its registered tenants. */
export interface WeekFacts {
  /** Opening days in the week on or after inauguration (holidays included: an MPP may open on one). */
  openingDays: number;
  registeredTenants: number;
}

export type IncoherenceCode =
  'activity_without_open_days' | 'more_days_than_opening_days' | 'more_tenants_than_registered' | 'activity_while_not_operating';

export interface Incoherence {
  field: 'daysOpen' | 'tenantsServing' | 'visitors' | 'transactions';
  code: IncoherenceCode;
  /** The bound the figure broke, where there is one. */
  limit?: number;
}

type Figures = Pick<CheckInDto, 'daysOpen' | 'tenantsServing' | 'visitors' | 'transactions' | 'status'>;

/**
 * A check-in that contradicts itself or the registry (DOMAIN.md: refused, not turned into a
 * verdict): each contradiction names the field to correct.
 */
export function incoherences(dto: Figures, facts: WeekFacts): Incoherence[] {
  const found: Incoherence[] = [];
  const activity = (code: IncoherenceCode) => {
    if (dto.visitors > 0) found.push({ field: 'visitors', code });
    if (dto.transactions > 0) found.push({ field: 'transactions', code });
  };
  if (dto.daysOpen > facts.openingDays) found.push({ field: 'daysOpen', code: 'more_days_than_opening_days', limit: facts.openingDays });
  if (dto.status === 'not_operating') activity('activity_while_not_operating');
  else if (dto.daysOpen === 0) activity('activity_without_open_days');
  if (facts.registeredTenants > 0 && dto.tenantsServing > facts.registeredTenants) {
    found.push({ field: 'tenantsServing', code: 'more_tenants_than_registered', limit: facts.registeredTenants });
  }
  return found;
}

/** The API's words for each contradiction (stable English; pages say it in Bahasa Indonesia). */
const PROBLEM_TEXT: Record<IncoherenceCode, (limit?: number) => string> = {
  activity_without_open_days: () => 'must be 0 when daysOpen is 0',
  more_days_than_opening_days: (n) => `must not exceed the ${n} opening days of the MPP in this week`,
  more_tenants_than_registered: (n) => `must not exceed the ${n} registered tenants`,
  activity_while_not_operating: () => 'must be 0 when the status is not_operating',
};

/** The MPP's opening days in an ISO week, counting only days on or after its inauguration. */
export function openingDaysInWeek(week: IsoWeek, openingDays: number[], inauguratedOn: string | null): number {
  return openingDates(week, openingDays, inauguratedOn).length;
}

/** Of those, the days expected: less holidays, cuti bersama and declared closures (`offDates`). */
export function expectedDaysInWeek(week: IsoWeek, openingDays: number[], inauguratedOn: string | null, offDates: Set<string>): number {
  return openingDates(week, openingDays, inauguratedOn).filter((d) => !offDates.has(d)).length;
}

function openingDates(week: IsoWeek, openingDays: number[], inauguratedOn: string | null): string[] {
  const monday = mondayOf(week);
  const dates: string[] = [];
  for (let i = 0; i < 7; i++) {
    const date = addDays(monday, i);
    if (openingDays.includes(isoWeekday(date)) && (!inauguratedOn || date >= inauguratedOn)) dates.push(date);
  }
  return dates;
}

/** The same body again makes no revision. */
export function sameBody(current: StoredCheckIn, dto: CheckInDto): boolean {
  return (
    current.daysOpen === dto.daysOpen &&
    current.tenantsServing === dto.tenantsServing &&
    (current.tenantsServingIds ?? []).join() === (dto.tenantsServingIds ?? []).join() &&
    !current.tenantsServingIds === !dto.tenantsServingIds &&
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
