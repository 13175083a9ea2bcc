import { canTransition, FLAG_STATES, FlagState } from './flag.rules';

describe('flag transitions', () => {
  const allowed = new Set(['open>acknowledged', 'acknowledged>in_follow_up', 'acknowledged>resolved', 'in_follow_up>resolved']);
  const pairs = FLAG_STATES.flatMap((from) => FLAG_STATES.map((to) => [from, to] as [FlagState, FlagState]));

  it.each(pairs)('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });
});
