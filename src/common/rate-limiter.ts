import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from './clock';
import { AppError } from './errors';

/** At most `max` hits in any `windowSeconds`; after a burst, one more every windowSeconds / max. */
export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * Where a bucket stands now: its tat, never before now (a full bucket). A tat more than a window
 * ahead cannot have been written by this clock (each hit is at most a window ahead): the clock went
 * back (a restored snapshot, a test), so the bucket starts afresh rather than locking for days.
 */
const BASE = `CASE WHEN r.tat > $4::timestamptz + (SELECT win FROM l WHERE l.key = r.key) THEN $4::timestamptz
                   ELSE greatest(r.tat, $4::timestamptz) END`;

const arrays = (limits: Limit[]) => [limits.map((l) => l.key), limits.map((l) => l.max), limits.map((l) => l.windowSeconds)];

/**
 * Token buckets in PostgreSQL (GCRA: one timestamp per key), so every replica counts the same
 * attempts and there is no window boundary to burst across. Each hit moves the key's theoretical
 * arrival time (tat) forward by windowSeconds / max; a hit is refused, and changes nothing, when
 * that would put tat more than a window ahead of now.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes one token from every limit, atomically per key (concurrent callers queue on the row), or
   * throws 429 with Retry-After naming the longest wait. A refused limit keeps its tokens; the
   * others were taken (an attempt that reached a limit still counts against the rest).
   */
  async hit(limits: Limit[]): Promise<void> {
    const rows: { key: string; allowed: boolean; retry: number }[] = await this.db.query(
      `WITH l AS (
         SELECT key, make_interval(secs => secs) AS win, make_interval(secs => secs::float8 / max) AS step
           FROM unnest($1::text[], $2::int[], $3::int[]) AS t(key, max, secs)
       ), up AS (
         INSERT INTO rate_limits AS r (key, tat)
         SELECT key, $4::timestamptz + step FROM l
         ON CONFLICT (key) DO UPDATE
            SET tat = ${BASE} + (EXCLUDED.tat - $4::timestamptz)
          WHERE ${BASE} + (EXCLUDED.tat - $4::timestamptz) <= $4::timestamptz + (SELECT win FROM l WHERE l.key = r.key)
         RETURNING key
       )
       SELECT l.key, up.key IS NOT NULL AS allowed,
              ceil(extract(epoch FROM r.tat + l.step - l.win - $4::timestamptz))::int AS retry
         FROM l LEFT JOIN up USING (key) LEFT JOIN rate_limits r ON r.key = l.key`,
      [...arrays(limits), this.clock.now().toISOString()],
    );
    const refused = rows.filter((r) => !r.allowed);
    if (refused.length) throw AppError.rateLimited(Math.max(1, ...refused.map((r) => r.retry ?? 1)));
  }

  /** Gives back one token to every limit (a successful login does not count against its account). */
  async refund(limits: Limit[]): Promise<void> {
    await this.db.query(
      `UPDATE rate_limits r SET tat = r.tat - make_interval(secs => l.secs::float8 / l.max)
         FROM unnest($1::text[], $2::int[], $3::int[]) AS l(key, max, secs)
        WHERE r.key = l.key`,
      arrays(limits),
    );
  }

  /** Fills the buckets of every key with one of these prefixes again (an admin's unlock). */
  async reset(prefixes: string[]): Promise<number> {
    const res: [unknown[], number] = await this.db.query(`DELETE FROM rate_limits WHERE key LIKE ANY($1::text[])`, [
      prefixes.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`),
    ]);
    return res[1] ?? 0;
  }

  /**
   * Forgets buckets that have been full again for a while. The cron runs only where the scheduler
   * is loaded (APP_MODE all or worker); API-only processes leave it to them.
   */
  @Cron(CronExpression.EVERY_HOUR, { name: 'rate-limits-prune' })
  async prune(olderThanHours = 24): Promise<number> {
    const res: [unknown[], number] = await this.db.query(
      `DELETE FROM rate_limits WHERE tat < $1::timestamptz - make_interval(hours => $2)`,
      [this.clock.now().toISOString(), olderThanHours],
    );
    return res[1] ?? 0;
  }
}
