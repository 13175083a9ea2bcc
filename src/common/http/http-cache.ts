import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A strong validator from the parts a response depends on (data version, scope, language, template). */
export function etagOf(...parts: (string | null | undefined)[]): string {
  return `"${createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 27)}"`;
}

/** Whether the client's `If-None-Match` names this version (weak or strong, or `*`). */
export function isFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  const held = (ifNoneMatch ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  return held.includes(etag) || held.includes('*');
}

/**
 * A public answer any cache may keep for `maxAge` seconds, and `304` when the client already
 * holds this version. `body` runs only when it is needed: a revalidation costs the version query.
 */
export async function sendCached(
  reply: FastifyReply,
  ifNoneMatch: string | undefined,
  etag: string,
  body: () => Promise<unknown>,
  maxAge = 300,
): Promise<FastifyReply> {
  reply.header('cache-control', `public, max-age=${maxAge}`).header('etag', etag);
  if (isFresh(ifNoneMatch, etag)) return reply.code(304).send();
  return reply.code(200).send(await body());
}
