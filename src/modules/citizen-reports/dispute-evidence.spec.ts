import { summarizeDispute } from './dispute-evidence';

describe('summarizeDispute', () => {
  const report = (kind: 'closed' | 'service_unavailable' | 'other', visitedOn: string, note: string | null = null) => ({
    kind,
    visitedOn,
    agency: kind === 'service_unavailable' ? 'Disdukcapil' : null,
    note,
    at: `${visitedOn}T03:00:00Z`,
  });

  it('counts reports by kind, lists distinct visit days in order and keeps only the notes written', () => {
    const summary = summarizeDispute({
      daysOpenClaimed: 5,
      citizenReports: [
        report('closed', '2026-11-25', 'Pintu terkunci'),
        report('closed', '2026-11-24'),
        report('service_unavailable', '2026-11-25', '<script>alert(1)</script>'),
      ],
      signalDays: [],
      hasSignalSource: false,
    });
    expect(summary).toEqual({
      citizenCounts: { closed: 2, service_unavailable: 1, other: 0 },
      visitDates: ['2026-11-24', '2026-11-25'],
      notes: [
        { kind: 'closed', visitedOn: '2026-11-25', agency: null, note: 'Pintu terkunci' },
        { kind: 'service_unavailable', visitedOn: '2026-11-25', agency: 'Disdukcapil', note: '<script>alert(1)</script>' },
      ],
      signals: { hasSource: false, daysClaimedOpen: 5, daysWithPings: 0, datesWithPings: [] },
    });
  });

  it('sets the days claimed open against the days with pings (a day with only counts and no ping is not one)', () => {
    const summary = summarizeDispute({
      daysOpenClaimed: 5,
      citizenReports: [],
      signalDays: [
        { date: '2026-11-25', pings: 3 },
        { date: '2026-11-24', pings: 1 },
        { date: '2026-11-26', pings: 0 },
      ],
      hasSignalSource: true,
    });
    expect(summary.signals).toEqual({
      hasSource: true,
      daysClaimedOpen: 5,
      daysWithPings: 2,
      datesWithPings: ['2026-11-24', '2026-11-25'],
    });
    expect(summary.citizenCounts).toEqual({ closed: 0, service_unavailable: 0, other: 0 });
  });
});
