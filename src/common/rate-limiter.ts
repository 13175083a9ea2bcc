import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from './clock';
import { AppError } from './errors';

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in PostgreSQL, so every replica counts the same attempts (an in-memory
 * throttler would give each replica its own allowance).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Counts one hit against every limit; throws 429 with Retry-After when any is exceeded. */
  async hit(limits: Limit[]): Promise<void> {
    const now = this.clock.now();
    const rows: { hits: number; retry: number }[] = await this.db.query(
      `WITH l AS (
         SELECT key, max, secs, to_timestamp(floor(extract(epoch FROM $4::timestamptz) / secs) * secs) AS window_start
           FROM unnest($1::text[], $2::int[], $3::int[]) AS t(key, max, secs)
       ), up AS (
         INSERT INTO rate_limits (key, window_start, hits)
         SELECT key, window_start, 1 FROM l
         ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING key, window_start, hits
       )
       SELECT up.hits - l.max AS hits,
              ceil(extract(epoch FROM l.window_start + make_interval(secs => l.secs) - $4::timestamptz))::int AS retry
         FROM up JOIN l USING (key, window_start)`,
      [limits.map((l) => l.key), limits.map((l) => l.max), limits.map((l) => l.windowSeconds), now.toISOString()],
    );
    const over = rows.filter((r) => r.hits > 0);
    if (over.length) throw AppError.rateLimited(Math.max(1, ...over.map((r) => r.retry)));
  }

  /** Throws 429 when any limit is already used up, without counting this call. */
  async check(limits: Limit[]): Promise<void> {
    const rows: { over: boolean; retry: number }[] = await this.db.query(
      `SELECT r.hits >= l.max AS over,
              ceil(extract(epoch FROM r.window_start + make_interval(secs => l.secs) - $4::timestamptz))::int AS retry
         FROM unnest($1::text[], $2::int[], $3::int[]) AS l(key, max, secs)
         JOIN rate_limits r ON r.key = l.key
              AND r.window_start = to_timestamp(floor(extract(epoch FROM $4::timestamptz) / l.secs) * l.secs)`,
      [limits.map((l) => l.key), limits.map((l) => l.max), limits.map((l) => l.windowSeconds), this.clock.now().toISOString()],
    );
    const over = rows.filter((r) => r.over);
    if (over.length) throw AppError.rateLimited(Math.max(1, ...over.map((r) => r.retry)));
  }

  /**
   * Forgets counters whose window ended long ago. The cron runs only where the scheduler is loaded
   * (APP_MODE all or worker); API-only processes leave it to them.
   */
  @Cron(CronExpression.EVERY_HOUR, { name: 'rate-limits-prune' })
  async prune(olderThanHours = 24): Promise<number> {
    const res = await this.db.query(`DELETE FROM rate_limits WHERE window_start < $1::timestamptz - make_interval(hours => $2)`, [
      this.clock.now().toISOString(),
      olderThanHours,
    ]);
    return res[1] ?? 0;
  }
}
