import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/principal';

/** What the current request carries down to services that did not get it as an argument. */
export interface RequestContext {
  ip: string;
  requestId: string;
  /** Set by the API's and the pages' guards once the caller is known. */
  user?: Principal;
  /** Answers read once per request (a page asking twice for the same week's data version, say). */
  once?: Map<string, Promise<unknown>>;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs the rest of a request (Fastify's onRequest `done`) inside its own context. */
export function runInRequestContext(context: RequestContext, next: () => void): void {
  storage.run(context, next);
}

export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Records who is acting for the rest of this request (audit log). */
export function setActingUser(user: Principal): void {
  const context = storage.getStore();
  if (context) context.user = user;
}

/**
 * `read()` once per request under `key`: a second ask in the same request (even concurrent) gets
 * the first one's answer, a failure included. Outside a request, read each time. For reads of GET
 * handlers: nothing clears it, so a handler that writes and then reads must not use it.
 */
export function oncePerRequest<T>(key: string, read: () => Promise<T>): Promise<T> {
  const context = storage.getStore();
  if (!context) return read();
  const once = (context.once ??= new Map());
  let answer = once.get(key) as Promise<T> | undefined;
  if (!answer) once.set(key, (answer = read()));
  return answer;
}
