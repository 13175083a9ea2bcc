import { CheckInFigures, DEFAULT_SETTINGS, evaluate, EvaluationInput, median } from './evaluation.rules';

const healthy: CheckInFigures = { daysOpen: 5, tenantsServing: 10, visitors: 900, transactions: 1000, status: 'normal' };
const week: EvaluationInput = {
  checkIn: healthy,
  openingDays: 5,
  holidayDays: 0,
  closureDays: 0,
  registeredTenants: 12,
  previousNotReportingStreak: 0,
  transactionsPerDayMedian: 200, // 1,000 a week over 5 days
};
const withCheckIn = (patch: Partial<CheckInFigures>, input: Partial<EvaluationInput> = {}): EvaluationInput => ({
  ...week,
  ...input,
  checkIn: { ...healthy, ...patch },
});

describe('evaluate (DOMAIN.md rules, default thresholds)', () => {
  it.each<[string, EvaluationInput, string, string[]]>([
    // active
    ['a normal week', week, 'active', []],
    ['open on every expected day after a holiday lowered them', withCheckIn({ daysOpen: 4 }, { holidayDays: 1 }), 'active', []],
    ['exactly half the tenants serving', withCheckIn({ tenantsServing: 6 }), 'active', []],
    ['transactions down exactly 50%', withCheckIn({ transactions: 500 }), 'active', []],
    ['no history yet for the median', withCheckIn({ transactions: 1 }, { transactionsPerDayMedian: null }), 'active', []],
    // transactions per expected day: a holiday week is not a collapse
    [
      'a week with 3 holiday days and normal activity on its 2 open days (Nyepi, 2026-W12)',
      withCheckIn({ daysOpen: 2, transactions: 400 }, { holidayDays: 3 }),
      'active',
      [],
    ],
    [
      'a holiday week whose open days are down by half exactly',
      withCheckIn({ daysOpen: 2, transactions: 200 }, { holidayDays: 3 }),
      'active',
      [],
    ],
    [
      'a holiday week whose open days are down by more than half',
      withCheckIn({ daysOpen: 2, transactions: 199 }, { holidayDays: 3 }),
      'at_risk',
      ['transactions_drop'],
    ],
    [
      'a closure over part of the week with normal activity on the other days',
      withCheckIn({ daysOpen: 1, transactions: 200 }, { closureDays: 4 }),
      'active',
      [],
    ],
    [
      'a Saturday-opening MPP: 6 days at the same per-day rate',
      withCheckIn({ daysOpen: 6, transactions: 1200 }, { openingDays: 6 }),
      'active',
      [],
    ],
    ['no registered tenants to compare with', withCheckIn({ tenantsServing: 0 }, { registeredTenants: 0 }), 'active', []],
    // not_reporting / inactive by silence
    ['no check-in, first week', { ...week, checkIn: null }, 'not_reporting', ['not_reporting']],
    [
      'no check-in, second week in a row',
      { ...week, checkIn: null, previousNotReportingStreak: 1 },
      'inactive',
      ['not_reporting', 'not_reporting_consecutive'],
    ],
    [
      'no check-in, fifth week in a row',
      { ...week, checkIn: null, previousNotReportingStreak: 4 },
      'inactive',
      ['not_reporting', 'not_reporting_consecutive'],
    ],
    // inactive by figures
    ['self-reported not operating', withCheckIn({ status: 'not_operating' }), 'inactive', ['self_reported_not_operating']],
    ['zero days open without excuse', withCheckIn({ daysOpen: 0 }), 'inactive', ['zero_days_open']],
    ['zero visitors and zero transactions', withCheckIn({ visitors: 0, transactions: 0 }), 'inactive', ['zero_activity']],
    [
      'closed all week with no activity',
      withCheckIn({ daysOpen: 0, visitors: 0, transactions: 0, status: 'temporarily_closed' }),
      'inactive',
      ['zero_days_open', 'zero_activity'],
    ],
    ['zero visitors but some transactions (online)', withCheckIn({ visitors: 0, transactions: 40 }), 'at_risk', ['transactions_drop']],
    // at_risk
    ['open fewer days than expected', withCheckIn({ daysOpen: 3 }), 'at_risk', ['fewer_days_than_expected']],
    ['fewer than half the tenants serving', withCheckIn({ tenantsServing: 5 }), 'at_risk', ['few_tenants_serving']],
    ['transactions down more than 50%', withCheckIn({ transactions: 499 }), 'at_risk', ['transactions_drop']],
    [
      'several at-risk signs',
      withCheckIn({ daysOpen: 2, tenantsServing: 1, transactions: 100 }),
      'at_risk',
      ['fewer_days_than_expected', 'few_tenants_serving', 'transactions_drop'],
    ],
    // not_expected: no opening day in the week on or after inauguration
    [
      'inaugurated on a Saturday, open Mon–Fri, no check-in',
      { ...week, checkIn: null, openingDays: 0 },
      'not_expected',
      ['no_opening_day'],
    ],
    [
      'not expected even after a silent week',
      { ...week, checkIn: null, openingDays: 0, previousNotReportingStreak: 1 },
      'not_expected',
      ['no_opening_day'],
    ],
    // excused
    ['the whole week under a planned closure, no check-in', { ...week, checkIn: null, closureDays: 5 }, 'excused', ['planned_closure']],
    ['a whole week of holidays (Lebaran)', { ...week, checkIn: null, holidayDays: 5 }, 'excused', ['public_holiday']],
    [
      'holidays and a closure together cover the week',
      withCheckIn({ daysOpen: 0, visitors: 0, transactions: 0 }, { holidayDays: 2, closureDays: 3 }),
      'excused',
      ['planned_closure', 'public_holiday'],
    ],
    ['a closure over part of the week: days expected drop', withCheckIn({ daysOpen: 2 }, { closureDays: 3 }), 'active', []],
    [
      'a partial closure and fewer days open than the rest',
      withCheckIn({ daysOpen: 1 }, { closureDays: 3 }),
      'at_risk',
      ['fewer_days_than_expected'],
    ],
    [
      'not operating even during a closure',
      withCheckIn({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0 }, { closureDays: 5 }),
      'inactive',
      ['self_reported_not_operating'],
    ],
  ])('%s → %s', (_name, input, result, rules) => {
    const out = evaluate(input, DEFAULT_SETTINGS);
    expect(out.result).toBe(result);
    expect(out.rules).toEqual(rules);
  });

  it('counts the not-reporting streak, and resets it on a check-in or an excuse', () => {
    expect(evaluate({ ...week, checkIn: null, previousNotReportingStreak: 2 }).notReportingStreak).toBe(3);
    expect(evaluate({ ...week, previousNotReportingStreak: 2 }).notReportingStreak).toBe(0);
    expect(evaluate({ ...week, checkIn: null, closureDays: 5, previousNotReportingStreak: 2 }).notReportingStreak).toBe(0);
    expect(evaluate({ ...week, checkIn: null, openingDays: 0 }).notReportingStreak).toBe(0);
  });

  it('reports the days expected', () => {
    expect(evaluate({ ...week, openingDays: 6, holidayDays: 1, closureDays: 2 }).expectedDays).toBe(3);
  });

  it('follows configured thresholds', () => {
    const strict = { ...DEFAULT_SETTINGS, notReportingWeeksForInactive: 3, minTenantsServingRatio: 0.9, maxTransactionsDrop: 0.1 };
    expect(evaluate({ ...week, checkIn: null, previousNotReportingStreak: 1 }, strict).result).toBe('not_reporting');
    expect(evaluate(withCheckIn({ tenantsServing: 10 }), strict).rules).toEqual(['few_tenants_serving']);
    expect(evaluate(withCheckIn({ tenantsServing: 11, transactions: 850 }), strict).rules).toEqual(['transactions_drop']);
  });
});

describe('median', () => {
  it.each<[number[], number, number | null]>([
    [[], 1, null],
    [[4], 1, 4],
    [[4], 2, null],
    [[1, 3], 2, 2],
    [[5, 1, 3], 2, 3],
    [[10, 2, 8, 4], 2, 6],
  ])('median(%j, min %i) = %p', (values, min, expected) => {
    expect(median(values, min)).toBe(expected);
  });
});

describe('contradictions (ground truth)', () => {
  const checkIn = { daysOpen: 5, tenantsServing: 2, visitors: 1450, transactions: 1730, status: 'normal' as const };
  const base = {
    checkIn,
    openingDays: 5,
    holidayDays: 0,
    closureDays: 0,
    registeredTenants: 2,
    previousNotReportingStreak: 0,
    transactionsPerDayMedian: null,
  };
  const signals = { citizenClosedReports: 0, hasSignalSource: false, signalDays: 0 };

  it.each([
    [{ ...signals, citizenClosedReports: 3 }, 'at_risk', ['contradicted_by_citizen_reports'], true],
    [{ ...signals, citizenClosedReports: 2 }, 'active', [], false],
    [{ ...signals, hasSignalSource: true, signalDays: 2 }, 'at_risk', ['contradicted_by_signals'], true],
    [{ ...signals, hasSignalSource: true, signalDays: 5 }, 'active', [], false],
    [{ ...signals, hasSignalSource: false, signalDays: 0 }, 'active', [], false],
  ])('%j → %s %j disputed %s', (s, result, rules, disputed) => {
    expect(evaluate({ ...base, signals: s })).toMatchObject({ result, rules, disputed });
  });
});
