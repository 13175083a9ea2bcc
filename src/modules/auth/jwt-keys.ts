import { createHmac, createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

/** What a signed token is for; each kind has its own key, so one can never pass for another. */
export type TokenPurpose = 'access' | 'check_in_link';

const HKDF_INFO: Record<TokenPurpose, string> = {
  access: 'mpp-monitor/access-token/v1',
  check_in_link: 'mpp-monitor/check-in-link/v1',
};

/**
 * The keys (current secret, then the previous one during rotation) for one purpose, as KeyObjects
 * made once: handed a string, jsonwebtoken first tries (and fails) to parse it as a public key on
 * every verification. Each purpose's key is derived from JWT_SECRET with HKDF, so a reminder link
 * signed with the link key fails verification as an access token, whatever its claims say.
 */
export function keysFor(config: AppConfig, purpose: TokenPurpose): KeyObject[] {
  return [config.jwt.secret, config.jwt.previousSecret]
    .filter((s): s is string => !!s)
    .map((s) => createSecretKey(Buffer.from(hkdfSync('sha256', Buffer.from(s), Buffer.alloc(0), HKDF_INFO[purpose], 32))));
}

/** base64url of `{"alg":"HS256","typ":"JWT"}`, the header jsonwebtoken writes for HS256. */
const HS256_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * A compact HS256 JWT of exactly these claims (set `iat`/`exp` yourself), for tokens signed in bulk
 * (a reminder fan-out signs one per MPP): jsonwebtoken's sign validates its options and payload on
 * every call, a third of an email's rendering time. Verification stays with jsonwebtoken.
 */
export function signHs256(claims: object, key: KeyObject): string {
  const unsigned = `${HS256_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}
