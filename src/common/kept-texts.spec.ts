import { keptTexts } from './kept-texts';

describe('keptTexts', () => {
  it('makes a text once per key, and again after the map was full and cleared', () => {
    const kept = keptTexts(2);
    let made = 0;
    const make = (k: string) => () => `${k}:${++made}`;
    expect(kept('a', make('a'))).toBe('a:1');
    expect(kept('a', make('a'))).toBe('a:1');
    expect(kept('b', make('b'))).toBe('b:2');
    expect(kept('c', make('c'))).toBe('c:3');
    expect(kept('a', make('a'))).toBe('a:4');
  });
});
