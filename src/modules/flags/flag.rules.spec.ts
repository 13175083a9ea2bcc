import { canTransition, dueForReEscalation, FLAG_STATES, FlagState, respondBy } from './flag.rules';

describe('flag transitions', () => {
  const allowed = new Set(['open>acknowledged', 'acknowledged>in_follow_up', 'acknowledged>resolved', 'in_follow_up>resolved']);
  const pairs = FLAG_STATES.flatMap((from) => FLAG_STATES.map((to) => [from, to] as [FlagState, FlagState]));

  it.each(pairs)('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });
});

describe('respondBy', () => {
  const WITA = 8 * 60;
  it('is Friday 23:59 local of the week the bureau was emailed', () => {
    // Monday 30 November 2026, 12:05 WIB = 13:05 WITA.
    expect(respondBy(new Date('2026-11-30T05:05:00Z'), WITA, 5).toISOString()).toBe('2026-12-04T15:59:00.000Z');
  });
  it('moves to next week when that Friday has passed', () => {
    expect(respondBy(new Date('2026-12-05T02:00:00Z'), WITA, 5).toISOString()).toBe('2026-12-11T15:59:00.000Z');
  });
});

describe('dueForReEscalation', () => {
  const WIB = 7 * 60;
  const first = new Date('2026-11-30T05:05:00Z');
  it.each([
    ['a minute later (a catch-up run)', '2026-11-30T05:06:00Z', false],
    ['six days later', '2026-12-06T05:05:00Z', false],
    ['the next weekly run, seven days on', '2026-12-07T05:00:00Z', true],
  ])('%s', (_, now, due) => {
    expect(dueForReEscalation(first, new Date(now), WIB, 7)).toBe(due);
  });
  it('never for a flag the bureau was not emailed about yet', () => {
    expect(dueForReEscalation(null, new Date('2027-01-01T00:00:00Z'), WIB, 7)).toBe(false);
  });
});
