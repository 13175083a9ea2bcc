import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that can be revoked and check-in links that work once. Every access token carries the
 * user's `token_version`; logout, a password change, a scope change or deactivation bumps it, and
 * older tokens stop working at once. A reminder's link is spent by its first submission.
 */
export class RevocableSessionsAndSingleUseLinks1764300600000 implements MigrationInterface {
  name = 'RevocableSessionsAndSingleUseLinks1764300600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;
      CREATE TABLE spent_links (
        jti      text        PRIMARY KEY,
        spent_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE spent_links; ALTER TABLE users DROP COLUMN token_version;`);
  }
}
