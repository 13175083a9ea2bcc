import type { FastifyReply } from 'fastify';

/**
 * A public answer any cache may keep for five minutes, and `304` when the client already holds
 * this version (its `If-None-Match` names the ETag).
 */
export function sendCached(reply: FastifyReply, ifNoneMatch: string | undefined, etag: string, body: () => unknown): FastifyReply {
  reply.header('cache-control', 'public, max-age=300').header('etag', etag);
  const held = (ifNoneMatch ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (held.includes(etag) || held.includes('*')) return reply.code(304).send();
  return reply.code(200).send(body());
}
