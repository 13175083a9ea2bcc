import {
  addWeeks,
  isCalendarDate,
  cycleTimes,
  deadlineDate,
  deadlineSearchRange,
  isoWeekday,
  isValidIsoWeek,
  mondayOf,
  weekAt,
  weekOfDate,
  weeksInYear,
  weekTimes,
} from './iso-week';

describe('ISO weeks', () => {
  it.each([
    ['2026-11-23', '2026-W48'],
    ['2026-11-29', '2026-W48'],
    ['2026-11-30', '2026-W49'],
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    ['2027-01-01', '2026-W53'],
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
  ])('%s is in %s', (date, week) => {
    expect(weekOfDate(date)).toBe(week);
  });

  it('finds Mondays and weekdays', () => {
    expect(mondayOf('2026-W48')).toBe('2026-11-23');
    expect(mondayOf('2026-W01')).toBe('2025-12-29');
    expect(mondayOf('2026-W53')).toBe('2026-12-28');
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
  });

  it('knows 52- and 53-week years', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(isValidIsoWeek('2026-W53')).toBe(true);
    expect(isValidIsoWeek('2025-W53')).toBe(false);
    expect(isValidIsoWeek('2026-W00')).toBe(false);
    expect(isValidIsoWeek('2026-48')).toBe(false);
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(addWeeks('2026-W01', -1)).toBe('2025-W52');
  });

  it('places the week of an instant in each time zone', () => {
    // Sunday 29 Nov 2026 16:30 UTC = Sunday 23:30 WIB, Monday 00:30 WITA, Monday 01:30 WIT
    const at = new Date('2026-11-29T16:30:00Z');
    expect(weekAt(at, 'Asia/Jakarta')).toBe('2026-W48');
    expect(weekAt(at, 'Asia/Makassar')).toBe('2026-W49');
    expect(weekAt(at, 'Asia/Jayapura')).toBe('2026-W49');
  });

  it('computes window and deadline in local time', () => {
    expect(weekTimes('2026-W48', 'Asia/Jakarta')).toEqual({
      startsAt: new Date('2026-11-22T17:00:00Z'),
      windowOpensAt: new Date('2026-11-26T17:00:00Z'),
      deadline: new Date('2026-11-30T05:00:00Z'),
    });
    expect(weekTimes('2026-W48', 'Asia/Makassar').deadline).toEqual(new Date('2026-11-30T04:00:00Z'));
    expect(weekTimes('2026-W48', 'Asia/Jayapura').deadline).toEqual(new Date('2026-11-30T03:00:00Z'));
    expect(cycleTimes('2026-W48')).toEqual({ startsAt: new Date('2026-11-22T15:00:00Z'), deadlineWib: new Date('2026-11-30T05:00:00Z') });
  });

  it('tells real calendar dates', () => {
    expect(['2026-02-28', '2028-02-29'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2027-02-29', '2026-02-30', '2026-13-01', '26-01-01', 'x'].map(isCalendarDate)).toEqual([false, false, false, false, false]);
  });
});

describe('deadlines on holidays (DOMAIN.md: moved to 12:00 local on the next working day)', () => {
  // The official 2026 dates around the deadlines below (shared/data/indonesia-holidays-2025-2026.csv).
  const holidays = new Set(['2026-03-20', '2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24', '2026-08-17', '2026-05-01']);
  it.each<[string, string, string]>([
    ['an ordinary week: the Monday after', '2026-W48', '2026-11-30'],
    ['Monday 2026-08-17 (Proklamasi): Tuesday', '2026-W33', '2026-08-18'],
    ['Monday 2026-03-23 and Tuesday 24 (cuti bersama Idul Fitri): Wednesday', '2026-W12', '2026-03-25'],
    ['a holiday on another weekday does not move it', '2026-W17', '2026-04-27'],
  ])('%s', (_name, week, date) => {
    expect(deadlineDate(week, holidays)).toBe(date);
  });

  it('skips a weekend after a Friday holiday run', () => {
    expect(deadlineDate('2026-W12', new Set(['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27']))).toBe('2026-03-30');
  });

  it('moves the deadline instant in each zone, WIB last', () => {
    const h = new Set(['2026-08-17']);
    expect(weekTimes('2026-W33', 'Asia/Jayapura', h).deadline.toISOString()).toBe('2026-08-18T03:00:00.000Z');
    expect(weekTimes('2026-W33', 'Asia/Makassar', h).deadline.toISOString()).toBe('2026-08-18T04:00:00.000Z');
    expect(cycleTimes('2026-W33', h).deadlineWib.toISOString()).toBe('2026-08-18T05:00:00.000Z');
    expect(cycleTimes('2026-W33').deadlineWib.toISOString()).toBe('2026-08-17T05:00:00.000Z');
  });

  it('searches three weeks from the Monday deadline', () => {
    expect(deadlineSearchRange('2026-W12')).toEqual({ from: '2026-03-23', to: '2026-04-12' });
  });
});
