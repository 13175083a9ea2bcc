import { categoryOf, closureDays, excuses, statusOnDecision, statusOnDeclare, weekOpenToClosures } from './closure.rules';

describe('closure rules', () => {
  const today = '2026-11-25'; // Wednesday of W48

  describe('statusOnDeclare', () => {
    it.each<[string, 'manager' | 'bureau' | 'admin', string, string, string]>([
      ['a manager, ahead, 3 days', 'manager', '2026-11-30', '2026-12-02', 'approved'],
      ['a manager, from today', 'manager', '2026-11-25', '2026-11-25', 'approved'],
      ['a manager, exactly 14 days ahead', 'manager', '2026-12-01', '2026-12-14', 'approved'],
      ['a manager, 15 days ahead', 'manager', '2026-12-01', '2026-12-15', 'pending_approval'],
      ['a manager, a year', 'manager', '2026-12-01', '2027-11-30', 'pending_approval'],
      ['a manager, yesterday (a flood on Tuesday)', 'manager', '2026-11-24', '2026-11-24', 'pending_approval'],
      ['a manager, past and long', 'manager', '2026-11-01', '2026-12-31', 'pending_approval'],
      ['the bureau, past', 'bureau', '2026-11-24', '2026-11-24', 'approved'],
      ['the bureau, a year', 'bureau', '2026-12-01', '2027-11-30', 'approved'],
      ['an admin, past and long', 'admin', '2026-11-01', '2026-12-31', 'approved'],
    ])('%s → %s', (_name, role, from, to, expected) => {
      expect(statusOnDeclare(role, { from, to }, today)).toBe(expected);
    });
  });

  it.each<[Parameters<typeof statusOnDecision>[0], boolean, string | null]>([
    ['pending_approval', true, 'approved'],
    ['pending_approval', false, 'rejected'],
    ['approved', false, 'rejected'],
    ['rejected', true, 'approved'],
    ['withdrawn', true, null],
  ])('a decision on a %s closure (approve %s) leaves %s', (current, approve, expected) => {
    expect(statusOnDecision(current, approve)).toBe(expected);
  });

  it.each<[Parameters<typeof excuses>[0], boolean]>([
    ['approved', true],
    ['pending_approval', false],
    ['rejected', false],
    ['withdrawn', false],
  ])('a %s closure excuses: %s', (status, expected) => expect(excuses(status)).toBe(expected));

  it.each<[{ category?: any; kind?: any }, string]>([
    [{ category: 'outage' }, 'outage'],
    [{ category: 'relocation', kind: 'disaster' }, 'relocation'],
    [{ kind: 'holiday' }, 'planned'],
    [{ kind: 'renovation' }, 'renovation'],
    [{ kind: 'disaster' }, 'disaster'],
    [{}, 'other'],
  ])('the category of %j is %s', (input, expected) => expect(categoryOf(input)).toBe(expected));

  it('counts both ends of a closure', () => {
    expect(closureDays('2026-11-24', '2026-11-24')).toBe(1);
    expect(closureDays('2026-12-01', '2026-12-14')).toBe(14);
  });

  describe('weekOpenToClosures', () => {
    const now = new Date('2026-11-25T03:00:00Z');
    it.each<[string, { monday: string; evaluatedAt: Date | null; locksAt: Date | null }, boolean]>([
      [
        'an evaluated week before it locks',
        { monday: '2026-11-16', evaluatedAt: new Date('2026-11-23T05:00:00Z'), locksAt: new Date('2026-11-30T05:00:00Z') },
        true,
      ],
      [
        'an evaluated week after it locked',
        { monday: '2026-11-09', evaluatedAt: new Date('2026-11-16T05:00:00Z'), locksAt: new Date('2026-11-23T05:00:00Z') },
        false,
      ],
      [
        'an unlocked week (admin) whose lock moved',
        { monday: '2026-11-02', evaluatedAt: new Date('2026-11-09T05:00:00Z'), locksAt: new Date('2026-12-01T05:00:00Z') },
        true,
      ],
      ['this week, not evaluated', { monday: '2026-11-23', evaluatedAt: null, locksAt: null }, true],
      ['a week of last month never evaluated', { monday: '2026-10-19', evaluatedAt: null, locksAt: null }, false],
    ])('%s → %s', (_name, week, expected) => expect(weekOpenToClosures(week, now, 7)).toBe(expected));
  });
});
