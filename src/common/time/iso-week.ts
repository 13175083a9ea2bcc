import { IndonesianTimezone, TIMEZONE_OFFSET_MINUTES } from './timezones';

/**
 * ISO weeks (`2026-W48`) and the instants that bound them in an Indonesian time zone. Indonesia
 * keeps fixed UTC offsets (no daylight saving), so plain offset arithmetic is exact.
 */
export type IsoWeek = string;

const DAY_MS = 24 * 3600 * 1000;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** Monday of ISO week 1: the week holding 4 January. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY_MS;
}

export function weeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / (7 * DAY_MS);
}

export function isValidIsoWeek(week: string): boolean {
  const m = WEEK_RE.exec(week);
  if (!m) return false;
  const [year, w] = [Number(m[1]), Number(m[2])];
  return year >= 2000 && year <= 2100 && w >= 1 && w <= weeksInYear(year);
}

/** The Monday of the week as a calendar date `YYYY-MM-DD`. */
export function mondayOf(week: IsoWeek): string {
  const m = WEEK_RE.exec(week);
  if (!m || !isValidIsoWeek(week)) throw new Error(`Not an ISO week: ${week}`);
  return toDate(week1Monday(Number(m[1])) + (Number(m[2]) - 1) * 7 * DAY_MS);
}

/** The ISO week holding a calendar date `YYYY-MM-DD`. */
export function weekOfDate(date: string): IsoWeek {
  const t = Date.parse(`${date}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t + (3 - dow) * DAY_MS; // the week belongs to the year of its Thursday
  const year = new Date(thursday).getUTCFullYear();
  const n = Math.floor((thursday - week1Monday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}

/** The local calendar date of an instant in a time zone. */
export function localDate(at: Date, tz: IndonesianTimezone): string {
  return toDate(at.getTime() + TIMEZONE_OFFSET_MINUTES[tz] * 60_000);
}

/** The ISO week an instant falls in, in a time zone. */
export function weekAt(at: Date, tz: IndonesianTimezone): IsoWeek {
  return weekOfDate(localDate(at, tz));
}

export function addWeeks(week: IsoWeek, n: number): IsoWeek {
  return weekOfDate(addDays(mondayOf(week), 7 * n));
}

/** `YYYY-MM-DD` naming a day that exists (not 2027-02-30). */
export function isCalendarDate(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    toDate(Date.parse(`${value}T00:00:00Z`)) === value
  );
}

export function addDays(date: string, n: number): string {
  return toDate(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The instant of a local wall-clock time (date + hour) in a time zone. */
export function localInstant(date: string, hour: number, tz: IndonesianTimezone): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + hour * 3600_000 - TIMEZONE_OFFSET_MINUTES[tz] * 60_000);
}

/** When a week's check-ins open, close and are late, for an MPP in a time zone (DOMAIN.md). */
export interface WeekTimes {
  /** Monday 00:00 local. */
  startsAt: Date;
  /** Friday 00:00 local: the check-in window opens. */
  windowOpensAt: Date;
  /** Monday 12:00 local of the following week, or of the next working day when that Monday is a holiday: later check-ins are late. */
  deadline: Date;
}

/** Calendar dates (`YYYY-MM-DD`) that are national holidays or cuti bersama. */
export type HolidaySet = ReadonlySet<string>;

/**
 * The local date of a week's deadline: the Monday after it, or, when that Monday is a national
 * holiday or cuti bersama, the next working day (not a weekend, not a holiday).
 */
export function deadlineDate(week: IsoWeek, holidays: HolidaySet = NO_HOLIDAYS): string {
  let date = addDays(mondayOf(week), 7);
  while (holidays.has(date) || isoWeekday(date) > 5) date = addDays(date, 1);
  return date;
}

/** The dates a week's deadline can move over: from its Monday deadline, three weeks ahead (Lebaran). */
export function deadlineSearchRange(week: IsoWeek): { from: string; to: string } {
  const monday = addDays(mondayOf(week), 7);
  return { from: monday, to: addDays(monday, 20) };
}

const NO_HOLIDAYS: HolidaySet = new Set();

export function weekTimes(week: IsoWeek, tz: IndonesianTimezone, holidays: HolidaySet = NO_HOLIDAYS): WeekTimes {
  const monday = mondayOf(week);
  return {
    startsAt: localInstant(monday, 0, tz),
    windowOpensAt: localInstant(addDays(monday, 4), 0, tz),
    deadline: localInstant(deadlineDate(week, holidays), 12, tz),
  };
}

/** The national cycle: it starts with the first zone (WIT) and is evaluated after the last deadline (WIB). */
export function cycleTimes(week: IsoWeek, holidays: HolidaySet = NO_HOLIDAYS): { startsAt: Date; deadlineWib: Date } {
  return { startsAt: weekTimes(week, 'Asia/Jayapura').startsAt, deadlineWib: weekTimes(week, 'Asia/Jakarta', holidays).deadline };
}

function toDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
