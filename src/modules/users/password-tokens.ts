import { createHash, createHmac, hkdfSync, randomUUID } from 'node:crypto';

export type PasswordTokenPurpose = 'invitation' | 'reset';

/** An invitation's link works 7 days, a reset link one hour; both once. */
export const PASSWORD_TOKEN_VALID_MS: Record<PasswordTokenPurpose, number> = {
  invitation: 7 * 86400_000,
  reset: 3600_000,
};

/**
 * The token of a set-password link is derived from its row's id with a key only the app holds
 * (HMAC, key from JWT_SECRET by HKDF): the outbox row keeps just the id, the database keeps only
 * the token's sha256, and the sender re-derives the token when it writes the email. Nothing in the
 * database is enough to use a link.
 */
export function passwordTokenOf(secret: string, tokenId: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), 'mpp-monitor/password-token/v1', 32));
  return createHmac('sha256', key).update(tokenId).digest('base64url');
}

export function hashPasswordToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IssuedToken {
  id: string;
  userId: string;
  purpose: PasswordTokenPurpose;
  tokenHash: string;
  expiresAt: string;
}

/** A new token row for a user (the caller inserts it with its outbox email, in one transaction). */
export function issuePasswordToken(secret: string, userId: string, purpose: PasswordTokenPurpose, now: Date): IssuedToken {
  const id = randomUUID();
  return {
    id,
    userId,
    purpose,
    tokenHash: hashPasswordToken(passwordTokenOf(secret, id)),
    expiresAt: new Date(now.getTime() + PASSWORD_TOKEN_VALID_MS[purpose]).toISOString(),
  };
}
