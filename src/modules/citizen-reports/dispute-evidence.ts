import type { EntityManager } from 'typeorm';
import { REPORT_KINDS, type ReportKind } from './citizen-report.rules';

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

/** Disputed weeks shown per MPP: the last this many. */
const WEEKS_PER_MPP = 8;

/**
 * Disputed weeks with their evidence, in one statement: the last weeks of one MPP (its page and
 * the API), or every disputed MPP of one week (the bureau emails after an evaluation).
 */
export async function disputedWeeks(db: EntityManager, filter: { mppId: string } | { week: string }): Promise<DisputedWeek[]> {
  const byMpp = 'mppId' in filter;
  const rows: DisputedWeekRow[] = await db.query(
    `SELECT e.mpp_id AS "mppId", e.province_code AS "provinceCode", m.name AS "mppName", r.name AS "regencyName",
            e.week, e.result, e.rules, e.dispute_confirmed_at AS "confirmedAt", ci.days_open AS "daysOpenClaimed",
            coalesce((SELECT json_agg(json_build_object('kind', c.kind, 'visitedOn', to_char(c.visited_on, 'YYYY-MM-DD'),
                               'agency', c.agency, 'note', c.note, 'at', c.created_at) ORDER BY c.created_at, c.id)
                        FROM citizen_reports c WHERE c.mpp_id = e.mpp_id AND c.week = e.week), '[]') AS "citizenReports",
            coalesce((SELECT json_agg(x ORDER BY x.date) FROM (
                        SELECT to_char(d.date, 'YYYY-MM-DD') AS date, sum(d.pings)::int AS pings
                          FROM signal_days d WHERE d.mpp_id = e.mpp_id AND d.date BETWEEN e.week_start AND e.week_start + 6
                         GROUP BY d.date) x), '[]') AS "signalDays",
            EXISTS (SELECT 1 FROM signal_sources s WHERE s.mpp_id = e.mpp_id) AS "hasSignalSource"
       FROM evaluations e
       JOIN mpps m ON m.id = e.mpp_id JOIN regencies r ON r.code = m.regency_code
       LEFT JOIN check_ins ci ON ci.mpp_id = e.mpp_id AND ci.week = e.week
      WHERE e.disputed AND ${byMpp ? 'e.mpp_id = $1' : 'e.week = $1'}
      ORDER BY ${byMpp ? `e.week_start DESC LIMIT ${WEEKS_PER_MPP}` : 'e.province_code, m.name, m.id'}`,
    [byMpp ? filter.mppId : filter.week],
  );
  return rows.map((row) => ({ ...row, evidence: summarizeDispute(row) }));
}
