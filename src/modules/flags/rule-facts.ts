/**
 * A flag's rules in numbers ("kurang dari separuh dari 8 instansi terdaftar yang melayani (3)"), so a
 * bureau knows what happened without opening anything. Pure: the figures in, one entry per rule out;
 * the words are the labels' (`ruleFacts` group), filled in the reader's language.
 */
export interface RuleFactFigures {
  daysOpen: number | null;
  expectedDays: number | null;
  tenantsServing: number | null;
  registeredTenants: number;
  visitors: number | null;
  transactions: number | null;
  /** Median transactions per expected day over the previous weeks, null without enough history. */
  transactionsPerDayMedian: number | null;
  notReportingStreak: number;
}

export interface RuleFactSettings {
  minTenantsServingRatio: number;
  medianWeeks: number;
  notReportingWeeksForInactive: number;
}

export interface RuleFact {
  code: string;
  /** Values for the label's `{placeholders}`. */
  values: Record<string, string | number>;
}

export function ruleFacts(rules: string[], f: RuleFactFigures, s: RuleFactSettings): RuleFact[] {
  return rules.map((code) => ({ code, values: valuesOf(code, f, s) }));
}

function valuesOf(code: string, f: RuleFactFigures, s: RuleFactSettings): Record<string, string | number> {
  switch (code) {
    case 'not_reporting_consecutive':
      return { weeks: Math.max(f.notReportingStreak, s.notReportingWeeksForInactive) };
    case 'zero_days_open':
    case 'fewer_days_than_expected':
      return { daysOpen: f.daysOpen ?? 0, expected: f.expectedDays ?? 0 };
    case 'zero_activity':
      return { visitors: f.visitors ?? 0, transactions: f.transactions ?? 0 };
    case 'few_tenants_serving':
      return { ratio: Math.round(s.minTenantsServingRatio * 100), registered: f.registeredTenants, serving: f.tenantsServing ?? 0 };
    case 'transactions_drop': {
      const perDay = f.expectedDays && f.transactions !== null ? f.transactions / f.expectedDays : 0;
      const median = f.transactionsPerDayMedian ?? 0;
      const drop = median > 0 ? Math.round((1 - perDay / median) * 100) : 0;
      return { drop, weeks: s.medianWeeks, perDay: Math.round(perDay), median: Math.round(median) };
    }
    default:
      return {};
  }
}
