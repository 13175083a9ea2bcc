import type { CheckInDto } from './check-ins.dto';
import { expectedDaysInWeek, Incoherence, incoherences, openingDaysInWeek, WeekFacts } from './check-in.rules';

const normal = { daysOpen: 5, tenantsServing: 10, visitors: 900, transactions: 1000, status: 'normal' as CheckInDto['status'] };
const facts: WeekFacts = { openingDays: 5, registeredTenants: 12 };

describe('incoherences (DOMAIN.md: a check-in must be coherent)', () => {
  it.each<[string, Partial<typeof normal>, Partial<WeekFacts>, Incoherence[]]>([
    ['a normal week', {}, {}, []],
    ['open every opening day', { daysOpen: 5 }, {}, []],
    ['all registered tenants serving', { tenantsServing: 12 }, {}, []],
    ['no registered tenants to compare with', { tenantsServing: 30 }, { registeredTenants: 0 }, []],
    ['closed all week with no activity', { daysOpen: 0, visitors: 0, transactions: 0, status: 'temporarily_closed' }, {}, []],
    ['not operating with no activity', { daysOpen: 0, visitors: 0, transactions: 0, status: 'not_operating' }, {}, []],
    ['a holiday week still allows opening on the holidays', { daysOpen: 5 }, { openingDays: 5 }, []],
    ['zero days open with visitors', { daysOpen: 0, transactions: 0 }, {}, [{ field: 'visitors', code: 'activity_without_open_days' }]],
    [
      'zero days open with visitors and transactions',
      { daysOpen: 0 },
      {},
      [
        { field: 'visitors', code: 'activity_without_open_days' },
        { field: 'transactions', code: 'activity_without_open_days' },
      ],
    ],
    [
      'more days open than the opening days (Saturday on a Mon–Fri MPP)',
      { daysOpen: 6 },
      {},
      [{ field: 'daysOpen', code: 'more_days_than_opening_days', limit: 5 }],
    ],
    [
      'any day open in an inauguration week with no opening day',
      { daysOpen: 1 },
      { openingDays: 0 },
      [{ field: 'daysOpen', code: 'more_days_than_opening_days', limit: 0 }],
    ],
    [
      'more tenants serving than registered',
      { tenantsServing: 13 },
      {},
      [{ field: 'tenantsServing', code: 'more_tenants_than_registered', limit: 12 }],
    ],
    [
      'not operating yet with transactions',
      { daysOpen: 0, visitors: 0, status: 'not_operating' },
      {},
      [{ field: 'transactions', code: 'activity_while_not_operating' }],
    ],
    [
      'not operating yet open some days with visitors',
      { daysOpen: 2, transactions: 0, status: 'not_operating' },
      {},
      [{ field: 'visitors', code: 'activity_while_not_operating' }],
    ],
    [
      'several contradictions at once',
      { daysOpen: 7, tenantsServing: 20, status: 'not_operating' },
      {},
      [
        { field: 'daysOpen', code: 'more_days_than_opening_days', limit: 5 },
        { field: 'visitors', code: 'activity_while_not_operating' },
        { field: 'transactions', code: 'activity_while_not_operating' },
        { field: 'tenantsServing', code: 'more_tenants_than_registered', limit: 12 },
      ],
    ],
  ])('%s', (_name, patch, factsPatch, expected) => {
    expect(incoherences({ ...normal, ...patch }, { ...facts, ...factsPatch })).toEqual(expected);
  });
});

describe('openingDaysInWeek', () => {
  const weekdays = [1, 2, 3, 4, 5];
  it.each<[string, string, number[], string | null, number]>([
    ['Mon–Fri, inaugurated long ago', '2026-W48', weekdays, '2023-10-31', 5],
    ['Mon–Sat', '2026-W48', [1, 2, 3, 4, 5, 6], null, 6],
    ['holidays still count as opening days (2026-W12)', '2026-W12', weekdays, null, 5],
    ['inaugurated on Wednesday', '2026-W48', weekdays, '2026-11-25', 3],
    ['inaugurated on Saturday, Mon–Fri', '2026-W48', weekdays, '2026-11-28', 0],
    ['inaugurated on Saturday, Mon–Sat', '2026-W48', [1, 2, 3, 4, 5, 6], '2026-11-28', 1],
    ['inaugurated after the week', '2026-W48', weekdays, '2026-12-01', 0],
  ])('%s', (_name, week, days, inauguratedOn, expected) => {
    expect(openingDaysInWeek(week, days, inauguratedOn)).toBe(expected);
  });
});

describe('expectedDaysInWeek', () => {
  it('takes holidays and closures off the opening days', () => {
    expect(expectedDaysInWeek('2026-W12', [1, 2, 3, 4, 5], null, new Set(['2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21']))).toBe(
      2,
    );
    expect(expectedDaysInWeek('2026-W48', [1, 2, 3, 4, 5, 6], '2026-11-25', new Set(['2026-11-26']))).toBe(3);
  });
});
