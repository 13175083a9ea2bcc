/**
 * Where to go after login: `next` resolved against the app's own URL, followed only when it stays
 * on the same origin. A browser drops tabs and newlines from URLs, so `/\t/evil.example` is
 * `//evil.example` to it; resolving the way the browser will is the only safe test.
 */
export function safeNext(next: unknown, appUrl: string): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2000) return '/';
  try {
    const base = new URL(appUrl);
    const target = new URL(next, base);
    if (target.origin !== base.origin) return '/';
    return `${target.pathname}${target.search}${target.hash}`;
  } catch {
    return '/';
  }
}
