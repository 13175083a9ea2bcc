import { createHash } from 'node:crypto';

/** A strong validator from the parts a response depends on (data version, scope, language, template). */
export function etagOf(...parts: (string | null | undefined)[]): string {
  return `"${createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether the client's `If-None-Match` names this version (weak or strong). `*` is not taken: it
 * would answer 304 before anything is read, for an MPP or province that does not exist too.
 */
export function isFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  const held = (ifNoneMatch ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  return held.includes(etag);
}
