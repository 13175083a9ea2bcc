import { and, empty, join, sql, where } from './sql';

describe('sql fragments', () => {
  it('numbers the values of nested fragments in order', () => {
    const q = sql`SELECT * FROM t ${where([sql`a = ${1}`, null, sql`b = ANY(${['x', 'y']})`, false])} LIMIT ${10}`;
    expect(q.text).toBe('SELECT * FROM t WHERE a = $1 AND b = ANY($2) LIMIT $3');
    expect(q.values).toEqual([1, ['x', 'y'], 10]);
  });

  it('writes no WHERE when no condition is present', () => {
    expect(sql`SELECT 1 ${where([undefined, '', 0])}`.text).toBe('SELECT 1 ');
    expect(where([])).toBe(empty);
  });

  it('joins present conditions, TRUE when none', () => {
    expect(and([sql`x > ${2}`, sql`y < ${3}`]).text).toBe('x > $1 AND y < $2');
    expect(and([null]).text).toBe('TRUE');
  });

  it('keeps values out of the text (no injection through a value)', () => {
    const evil = "'; DROP TABLE users; --";
    const q = sql`SELECT * FROM users WHERE email = ${evil}`;
    expect(q.text).toBe('SELECT * FROM users WHERE email = $1');
    expect(q.values).toEqual([evil]);
  });

  it('joins a column list for inserts', () => {
    expect(join([sql`${1}`, sql`${'b'}`]).text).toBe('$1,$2');
  });
});
