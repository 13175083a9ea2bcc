import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * Fastify's `req.id` (logs and the audit log): the X-Request-Id a trusted proxy sent when it is
 * sane, else a new UUID. Without trusted proxies (TRUST_PROXY) a client's header is ignored: it
 * would otherwise choose the id stored beside its own audit records.
 */
export function requestIds(trustProxy: unknown): (req: IncomingMessage) => string {
  if (!trustProxy) return () => randomUUID();
  return (req) => {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  };
}
