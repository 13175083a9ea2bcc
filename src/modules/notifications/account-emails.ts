import type { EntityManager } from 'typeorm';
import { weekAt } from '../../common/time/iso-week';

export interface AccountEmail {
  /** The password token's row id: the sender derives the link's token from it. */
  tokenId: string;
  purpose: 'invitation' | 'reset';
  email: string;
  name: string;
  role: string;
  locale: 'id' | 'en';
  expiresAt: string;
}

/**
 * Outbox rows for invitation and reset emails, written in the caller's transaction with the token
 * rows they carry (durable before anything is sent). One row per token: `scope` is the token's id.
 * Set-based, so an import inviting 350 managers is one statement.
 */
export async function planAccountEmails(tx: EntityManager, emails: AccountEmail[], now: Date, maxAttempts: number): Promise<string[]> {
  if (!emails.length) return [];
  const rows: { id: string }[] = await tx.query(
    `INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
     SELECT CASE x.purpose WHEN 'invitation' THEN 'account_invitation' ELSE 'password_reset' END, $2, 'token:' || x."tokenId",
            x.locale, ARRAY[x.email],
            jsonb_build_object('tokenId', x."tokenId", 'name', x.name, 'role', x.role, 'email', x.email,
                               'expiresAt', x."expiresAt", 'timezone', 'Asia/Jakarta'),
            $3, $4
       FROM jsonb_to_recordset($1::jsonb) AS x("tokenId" text, purpose text, email text, name text, role text, locale text, "expiresAt" text)
     ON CONFLICT (kind, week, scope, locale) DO NOTHING
     RETURNING id`,
    [JSON.stringify(emails), weekAt(now, 'Asia/Jakarta'), maxAttempts, now],
  );
  return rows.map((r) => r.id);
}
