import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, run, runChange, sql } from '../../database/sql';
import type { IssuedToken, PasswordTokenPurpose } from './password-tokens';

/** The `password_tokens` table (single-use invitation and reset links): every query on it. */
@Injectable()
export class PasswordTokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(tx: EntityManager, tokens: IssuedToken[], at: Date): Promise<void> {
    await run(
      tx,
      sql`INSERT INTO password_tokens (id, user_id, purpose, token_hash, expires_at, created_at)
          SELECT x.id, x."userId", x.purpose, x."tokenHash", x."expiresAt", ${at}
            FROM jsonb_to_recordset(${JSON.stringify(tokens)}::jsonb)
              AS x(id uuid, "userId" uuid, purpose text, "tokenHash" text, "expiresAt" timestamptz)`,
    );
  }

  /** The email and purpose of an unused, unexpired token of an active user. */
  usable(tokenHash: string, now: Date): Promise<{ email: string; purpose: PasswordTokenPurpose } | undefined> {
    return one(
      this.db,
      sql`SELECT u.email, t.purpose FROM password_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.token_hash = ${tokenHash} AND t.used_at IS NULL AND t.expires_at > ${now} AND u.active`,
    );
  }

  /** Spends the token atomically: of two concurrent uses, one finds it used already (undefined). */
  async spend(tx: EntityManager, tokenHash: string, now: Date): Promise<{ userId: string; purpose: PasswordTokenPurpose } | undefined> {
    const [spent] = await runChange<{ userId: string; purpose: PasswordTokenPurpose }>(
      tx,
      sql`UPDATE password_tokens SET used_at = ${now} WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > ${now}
          RETURNING user_id AS "userId", purpose`,
    );
    return spent;
  }

  /** Every open token of the user stops working. */
  async spendAllOf(tx: EntityManager, userId: string, now: Date): Promise<void> {
    await run(tx, sql`UPDATE password_tokens SET used_at = ${now} WHERE user_id = ${userId} AND used_at IS NULL`);
  }
}
