import { NamedUnnest } from './named-unnest';

describe('NamedUnnest', () => {
  const sut = new NamedUnnest<{ id: string; n: number }>(
    [
      { name: 'mpp_id', type: 'uuid', value: (r) => r.id },
      { name: 'visitors', type: 'int', value: (r) => r.n * 2 },
    ],
    'u',
    { firstParam: 3 },
  );

  it('names every array after its column, numbering parameters from the first one given', () => {
    expect(sut.sql).toBe('unnest($3::uuid[], $4::int[]) AS u(mpp_id, visitors)');
  });

  it('numbers the rows in a last column when asked', () => {
    const numbered = new NamedUnnest<string>([{ name: 'week', type: 'text', value: (w) => w }], 'i', { ordinality: 'n' });
    expect(numbered.sql).toBe('unnest($1::text[]) WITH ORDINALITY AS i(week, n)');
  });

  it('answers one array per column, in the same order, each holding every row', () => {
    expect(
      sut.values([
        { id: 'a', n: 1 },
        { id: 'b', n: 5 },
      ]),
    ).toEqual([
      ['a', 'b'],
      [2, 10],
    ]);
  });
});
