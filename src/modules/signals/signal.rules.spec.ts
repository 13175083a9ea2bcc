import { parsePing } from './signal.rules';

const TODAY = '2026-12-01';

describe('parsePing', () => {
  it.each([
    [{}, { date: TODAY, tickets: null, transactions: null }],
    [
      { date: '2026-11-30', tickets: '140', transactions: '162' },
      { date: '2026-11-30', tickets: 140, transactions: 162 },
    ],
    [
      { date: '2026-11-24', tickets: '0' },
      { date: '2026-11-24', tickets: 0, transactions: null },
    ],
    [{ tickets: '' }, { date: TODAY, tickets: null, transactions: null }],
  ])('accepts %j', (input, ping) => expect(parsePing(input, TODAY)).toEqual(ping));

  it.each([
    [{ date: '2026-12-02' }, 'date'],
    [{ date: '2026-11-23' }, 'date'],
    [{ date: '2026-02-30' }, 'date'],
    [{ date: 'kemarin' }, 'date'],
    [{ tickets: '-1' }, 'tickets'],
    [{ tickets: '1.5' }, 'tickets'],
    [{ transactions: '99999999' }, 'transactions'],
    [{ transactions: '1e3' }, 'transactions'],
  ])('refuses %j naming %s', (input, field) => {
    const out = parsePing(input, TODAY);
    expect('problems' in out && out.problems.map((p) => p.field)).toEqual([field]);
  });
});
