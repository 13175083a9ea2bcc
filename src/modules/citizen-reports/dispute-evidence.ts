import type { EntityManager } from 'typeorm';
import { REPORT_KINDS, type ReportKind } from './citizen-report.rules';
import { disputedWeekRows } from './citizen-reports.repository';

/** One citizen's report as officials see it (the note is theirs to read, escaped wherever shown). */
export interface CitizenReportEvidence {
  kind: ReportKind;
  visitedOn: string;
  agency: string | null;
  note: string | null;
  at: string;
}

/** A disputed week as stored: the evaluation, the check-in's claim, and the raw signals. */
export interface DisputedWeekRow {
  mppId: string;
  provinceCode: string;
  mppName: string;
  regencyName: string;
  week: string;
  result: string;
  rules: string[];
  confirmedAt: string | null;
  daysOpenClaimed: number | null;
  citizenReports: CitizenReportEvidence[];
  signalDays: { date: string; pings: number }[];
  /** Whether the MPP has a signal source at all (revoked ones count): without one, no pings say nothing. */
  hasSignalSource: boolean;
}

/** What the bureau reads about a disputed week: counts by kind, the visit days, the notes, the signal days. */
export interface DisputeSummary {
  citizenCounts: Record<ReportKind, number>;
  /** Distinct days citizens visited, oldest first (YYYY-MM-DD; pages and emails put them in words). */
  visitDates: string[];
  /** The reports that carry a note, oldest first. */
  notes: { kind: ReportKind; visitedOn: string; agency: string | null; note: string }[];
  signals: { hasSource: boolean; daysClaimedOpen: number | null; daysWithPings: number; datesWithPings: string[] };
}

export type DisputedWeek = DisputedWeekRow & { evidence: DisputeSummary };

/** Pure: the raw evidence of a disputed week, summed up as officials read it. */
export function summarizeDispute(
  row: Pick<DisputedWeekRow, 'daysOpenClaimed' | 'citizenReports' | 'signalDays' | 'hasSignalSource'>,
): DisputeSummary {
  const citizenCounts = Object.fromEntries(REPORT_KINDS.map((k) => [k, 0])) as Record<ReportKind, number>;
  for (const r of row.citizenReports) citizenCounts[r.kind]++;
  const withPings = row.signalDays.filter((d) => d.pings > 0).map((d) => d.date);
  return {
    citizenCounts,
    visitDates: [...new Set(row.citizenReports.map((r) => r.visitedOn))].sort(),
    notes: row.citizenReports.filter((r) => r.note).map((r) => ({ kind: r.kind, visitedOn: r.visitedOn, agency: r.agency, note: r.note! })),
    signals: {
      hasSource: row.hasSignalSource,
      daysClaimedOpen: row.daysOpenClaimed,
      daysWithPings: withPings.length,
      datesWithPings: [...withPings].sort(),
    },
  };
}

/**
 * Disputed weeks with their evidence summed up: the last weeks of one MPP (its page and the API),
 * or every disputed MPP of one week (the bureau emails after an evaluation).
 */
export async function disputedWeeks(db: EntityManager, filter: { mppId: string } | { week: string }): Promise<DisputedWeek[]> {
  const rows = await disputedWeekRows(db, filter);
  return rows.map((row) => ({ ...row, evidence: summarizeDispute(row) }));
}
