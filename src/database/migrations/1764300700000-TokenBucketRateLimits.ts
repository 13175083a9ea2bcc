import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits as token buckets (GCRA): one row per key holding its "theoretical arrival time".
 * Fixed windows let a burst of twice the limit through across a boundary, and made a test that
 * straddled one fail; a bucket refills continuously and has no boundary.
 */
export class TokenBucketRateLimits1764300700000 implements MigrationInterface {
  name = 'TokenBucketRateLimits1764300700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE rate_limits;
      CREATE TABLE rate_limits (
        key  text        PRIMARY KEY,
        tat  timestamptz NOT NULL
      );
      CREATE INDEX rate_limits_tat_idx ON rate_limits (tat);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE rate_limits;
      CREATE TABLE rate_limits (
        key           text        NOT NULL,
        window_start  timestamptz NOT NULL,
        hits          integer     NOT NULL,
        PRIMARY KEY (key, window_start)
      );
    `);
  }
}
