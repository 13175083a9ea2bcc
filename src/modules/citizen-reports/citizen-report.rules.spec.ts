import { parseReport } from './citizen-report.rules';

describe('parseReport', () => {
  const today = '2026-12-01'; // Tuesday of 2026-W49

  it('takes a visit this week or last, keeping the agency only for a missing service', () => {
    expect(parseReport({ kind: 'closed', visitedOn: '2026-11-23', agency: 'Polres', note: ' Pintu dikunci ' }, today)).toEqual({
      kind: 'closed',
      visitedOn: '2026-11-23',
      week: '2026-W48',
      agency: null,
      note: 'Pintu dikunci',
    });
    expect(parseReport({ kind: 'service_unavailable', visitedOn: today, agency: 'Polres' }, today)).toMatchObject({
      week: '2026-W49',
      agency: 'Polres',
    });
  });

  it.each([
    [{ kind: 'broken', visitedOn: '2026-12-01' }, 'kind'],
    [{ kind: 'closed', visitedOn: '2026-12-02' }, 'visitedOn'],
    [{ kind: 'closed', visitedOn: '2026-11-22' }, 'visitedOn'],
    [{ kind: 'closed', visitedOn: '2026-02-30' }, 'visitedOn'],
    [{ kind: 'other', visitedOn: '2026-12-01', note: 'x'.repeat(501) }, 'note'],
  ])('refuses %j (%s)', (input, field) => {
    expect(parseReport(input, today)).toEqual({ problems: [expect.objectContaining({ field })] });
  });
});
