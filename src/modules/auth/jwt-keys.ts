import { createSecretKey, KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

/**
 * The verification keys (current secret, then the previous one during rotation) as KeyObjects,
 * made once: handed a string, jsonwebtoken first tries (and fails) to parse it as a public key on
 * every verification, which showed up as the top cost of each authenticated request.
 */
export function verificationKeys(config: AppConfig): KeyObject[] {
  return [config.jwt.secret, config.jwt.previousSecret].filter((s): s is string => !!s).map((s) => createSecretKey(Buffer.from(s)));
}
