import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id at OWASP's recommended cost (19 MiB, t=2, p=1). @node-rs/argon2 rather than `argon2`:
 * the latter's native module crashes Jest workers (segfault) on Node 20 here.
 */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, OPTIONS);
}

// Verified against when the account does not exist, so both paths cost the same time.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(stored: string | undefined, plain: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword('not-a-real-account-password');
    await verify(await dummyHash, plain).catch(() => false);
    return false;
  }
  return verify(stored, plain).catch(() => false);
}

/** Password policy: length over composition rules (NIST SP 800-63B), plus obvious refusals. */
export function passwordProblems(plain: string, email?: string): string[] {
  const problems: string[] = [];
  if (plain.length < 12) problems.push('password must be at least 12 characters');
  if (plain.length > 256) problems.push('password must be at most 256 characters');
  if (new Set(plain).size < 5) problems.push('password must not repeat a few characters');
  const local = email?.split('@')[0].toLowerCase();
  if (local && local.length >= 4 && plain.toLowerCase().includes(local)) problems.push('password must not contain the email name');
  return problems;
}
