import { safeNext } from './safe-next';

const APP = 'https://mpp.example.go.id';

describe('safeNext', () => {
  it.each([
    ['/bureau', '/bureau'],
    ['/flags/1?x=1#h', '/flags/1?x=1#h'],
    ['/check-in/a/2026-W48', '/check-in/a/2026-W48'],
  ])('follows a local path %s', (next, to) => expect(safeNext(next, APP)).toBe(to));

  it.each([
    '//evil.example/path',
    '/\\evil.example/path',
    '/\t/evil.example/path',
    '/\n/evil.example',
    '/\r\n/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '',
    undefined,
    42,
  ])('refuses %p', (next) => expect(safeNext(next, APP)).toBe('/'));
});
