import { EvaluationResult, RESULTS } from '../cycles/evaluation.rules';
import type { WeeklyFigures } from './reports.types';

/** A row of counts as the figure statements answer it (report-weekly.repository.ts, reports.queries.ts). */
export type FigureRow = Record<string, number> & { provinceCode: string; name: string };

/** National totals: sums of the provinces, rates recomputed from the sums (never averaged). */
export function nationalFigures(parts: WeeklyFigures[]): WeeklyFigures {
  const sum = (f: (p: WeeklyFigures) => number) => parts.reduce((a, p) => a + f(p), 0);
  const counts = Object.fromEntries(RESULTS.map((r) => [r, sum((p) => p.counts[r])])) as Record<EvaluationResult, number>;
  return withRates({
    expected: sum((p) => p.expected),
    reported: sum((p) => p.reported),
    onTime: sum((p) => p.onTime),
    counts,
    openFlags: sum((p) => p.openFlags),
    flagsOlderThan2Weeks: sum((p) => p.flagsOlderThan2Weeks),
    disputed: sum((p) => p.disputed),
    citizenReports: sum((p) => p.citizenReports),
  });
}

/** The counts of a row, with the rates computed from them. */
export function toFigures(r: Record<string, number>): WeeklyFigures {
  return withRates({
    expected: r.expected,
    reported: r.reported,
    onTime: r.onTime,
    counts: Object.fromEntries(RESULTS.map((x) => [x, r[x]])) as Record<EvaluationResult, number>,
    openFlags: r.openFlags,
    flagsOlderThan2Weeks: r.flagsOlderThan2Weeks,
    disputed: r.disputed,
    citizenReports: r.citizenReports,
  });
}

function withRates(f: Omit<WeeklyFigures, 'reportingRate' | 'onTimeRate'>): WeeklyFigures {
  return {
    expected: f.expected,
    reported: f.reported,
    onTime: f.onTime,
    reportingRate: f.expected ? f.reported / f.expected : null,
    onTimeRate: f.expected ? f.onTime / f.expected : null,
    counts: f.counts,
    openFlags: f.openFlags,
    flagsOlderThan2Weeks: f.flagsOlderThan2Weeks,
    disputed: f.disputed,
    citizenReports: f.citizenReports,
  };
}
