import { likePattern } from './like-pattern';

describe('likePattern', () => {
  it('wraps the text and escapes what ILIKE would read as a pattern', () => {
    expect(likePattern('Dewi')).toBe('%Dewi%');
    expect(likePattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});
