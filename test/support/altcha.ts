import { createHash } from 'node:crypto';
import type { Challenge } from './answers';
import type { TestApp } from './app';

/**
 * What a browser does: fetch a challenge, find the number with SHA-256(salt + number) = challenge,
 * send back the solution (base64 JSON). Solved synchronously here (altcha-lib's solver awaits each
 * hash and is slow on a shared machine).
 */
export async function solvedAltcha(t: TestApp): Promise<string> {
  const c = (await t.as().get<Challenge>('/api/v1/public/challenge')).body;
  const max = c.maxnumber;
  if (max === undefined) throw new Error('altcha: the challenge names no maxnumber');
  let number = 0;
  while (createHash('sha256').update(`${c.salt}${number}`).digest('hex') !== c.challenge) {
    if (++number > max) throw new Error('altcha: no solution found');
  }
  return Buffer.from(
    JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature }),
  ).toString('base64');
}
