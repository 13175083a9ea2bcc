import { addWeeks, isCalendarDate, weekOfDate } from '../../common/time/iso-week';

/** What a citizen may report, from the QR code at an MPP's door. Pure. */
export const REPORT_KINDS = ['closed', 'service_unavailable', 'other'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const NOTE_MAX = 500;

export interface ReportInput {
  kind?: unknown;
  visitedOn?: unknown;
  agency?: unknown;
  note?: unknown;
}

export interface CitizenReport {
  kind: ReportKind;
  visitedOn: string;
  week: string;
  agency: string | null;
  note: string | null;
}

export type Problem = { field: string; problem: string };

/** A visit this week or last (the MPP's local calendar), not in the future; an agency only says which service was missing. */
export function parseReport(input: ReportInput, today: string): CitizenReport | { problems: Problem[] } {
  const problems: Problem[] = [];
  const kind = input.kind as ReportKind;
  if (!REPORT_KINDS.includes(kind)) problems.push({ field: 'kind', problem: `must be one of ${REPORT_KINDS.join(', ')}` });
  const visitedOn = typeof input.visitedOn === 'string' ? input.visitedOn : '';
  const thisWeek = weekOfDate(today);
  if (!isCalendarDate(visitedOn)) problems.push({ field: 'visitedOn', problem: 'must be a date (YYYY-MM-DD)' });
  else if (visitedOn > today) problems.push({ field: 'visitedOn', problem: 'must not be in the future' });
  else if (weekOfDate(visitedOn) !== thisWeek && weekOfDate(visitedOn) !== addWeeks(thisWeek, -1))
    problems.push({ field: 'visitedOn', problem: 'must be this week or last week' });
  const text = (v: unknown, field: string, max: number): string | null => {
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') return (problems.push({ field, problem: 'must be text' }), null);
    const trimmed = v.trim();
    if (trimmed.length > max) problems.push({ field, problem: `must be at most ${max} characters` });
    return trimmed || null;
  };
  const agency = text(input.agency, 'agency', 120);
  const note = text(input.note, 'note', NOTE_MAX);
  if (problems.length) return { problems };
  return { kind, visitedOn, week: weekOfDate(visitedOn), agency: kind === 'service_unavailable' ? agency : null, note };
}
