import { nestsDeeperThan } from './json-depth';

describe('nestsDeeperThan', () => {
  it.each([
    ['{"a":[1,{"b":2}]}', 3, false],
    ['{"a":[1,{"b":2}]}', 2, true],
    ['"[[[[[[["', 1, false], // brackets inside a string do not count
    ['{"a":"\\"[[[[["}', 1, false], // nor after an escaped quote
    [`${'['.repeat(30_000)}${']'.repeat(30_000)}`, 32, true],
    ['[]', 0, true],
    ['1', 0, false],
  ])('%s deeper than %i: %p', (text, max, expected) => {
    expect(nestsDeeperThan(text, max)).toBe(expected);
  });
});
