import { changeText } from './change-text';

describe('changeText', () => {
  it.each([
    [5, 3, {}, 'id', '▲ 2'],
    [3, 5, {}, 'id', '▼ 2'],
    [4, 4, {}, 'id', 'tetap'],
    [4, 4, {}, 'en', 'unchanged'],
    [1234, 34, {}, 'id', '▲ 1.200'],
    [0.9, 0.775, { points: true }, 'id', '▲ 12,5 poin'],
    [0.5, 0.75, { points: true }, 'en', '▼ 25 pts'],
    [0.5, 0.5, { points: true }, 'id', 'tetap'],
    [3, null, {}, 'id', ''],
    [null, 0.5, { points: true }, 'id', ''],
    [3, undefined, {}, 'id', ''],
  ] as const)('%p against %p %p (%s) → %p', (now, before, opts, locale, expected) => {
    expect(changeText(now, before, locale, opts)).toBe(expected);
  });
});
