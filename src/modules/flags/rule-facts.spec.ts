import { fillRuleFact } from '../../common/i18n/rule-fact-text';
import { ruleFacts } from './rule-facts';

const settings = { minTenantsServingRatio: 0.5, medianWeeks: 4, notReportingWeeksForInactive: 2 };
const figures = {
  daysOpen: 5,
  expectedDays: 5,
  tenantsServing: 3,
  registeredTenants: 8,
  visitors: 100,
  transactions: 95,
  transactionsPerDayMedian: 50,
  notReportingStreak: 0,
};

describe('ruleFacts', () => {
  it('puts each rule in numbers', () => {
    const facts = ruleFacts(['few_tenants_serving', 'transactions_drop', 'not_reporting_consecutive'], figures, settings);
    expect(facts).toEqual([
      { code: 'few_tenants_serving', values: { ratio: 50, registered: 8, serving: 3 } },
      { code: 'transactions_drop', values: { drop: 62, weeks: 4, perDay: 19, median: 50 } },
      { code: 'not_reporting_consecutive', values: { weeks: 2 } },
    ]);
  });

  it('fills the labels', () => {
    const [tenants, drop] = ruleFacts(['few_tenants_serving', 'transactions_drop'], figures, settings);
    expect(
      fillRuleFact('kurang dari {share} dari {registered} instansi terdaftar yang melayani ({serving})', tenants.values, 'separuh'),
    ).toBe('kurang dari separuh dari 8 instansi terdaftar yang melayani (3)');
    expect(fillRuleFact('transaksi per hari turun {drop}% dari median {weeks} minggu', drop.values, 'separuh')).toBe(
      'transaksi per hari turun 62% dari median 4 minggu',
    );
    expect(fillRuleFact('kurang dari {share}', { ratio: 40 }, 'separuh')).toBe('kurang dari 40%');
  });
});
