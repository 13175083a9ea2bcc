import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from './clock';
import { AppError } from './errors';
import { run, runChange, sql, Sql } from '../database/sql';

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
const base = (
  now: string,
): Sql => sql`CASE WHEN r.tat > ${now}::timestamptz + (SELECT win FROM l WHERE l.key = r.key) THEN ${now}::timestamptz
                   ELSE greatest(r.tat, ${now}::timestamptz) END`;

/** The limits as rows (key, max, secs). */
const limitRows = (limits: Limit[]): Sql =>
  sql`jsonb_to_recordset(${JSON.stringify(limits.map((l) => ({ key: l.key, max: l.max, secs: l.windowSeconds })))}::jsonb)`;

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
    const now = this.clock.now().toISOString();
    const rows = await run<{ key: string; allowed: boolean; retry: number }>(
      this.db,
      sql`WITH l AS (
            SELECT key, make_interval(secs => secs) AS win, make_interval(secs => secs::float8 / max) AS step
              FROM ${limitRows(limits)} AS t(key text, max int, secs int)
          ), up AS (
            INSERT INTO rate_limits AS r (key, tat)
            SELECT key, ${now}::timestamptz + step FROM l
            ON CONFLICT (key) DO UPDATE
               SET tat = ${base(now)} + (EXCLUDED.tat - ${now}::timestamptz)
             WHERE ${base(now)} + (EXCLUDED.tat - ${now}::timestamptz) <= ${now}::timestamptz + (SELECT win FROM l WHERE l.key = r.key)
            RETURNING key
          )
          SELECT l.key, up.key IS NOT NULL AS allowed,
                 ceil(extract(epoch FROM r.tat + l.step - l.win - ${now}::timestamptz))::int AS retry
            FROM l LEFT JOIN up USING (key) LEFT JOIN rate_limits r ON r.key = l.key`,
    );
    const refused = rows.filter((r) => !r.allowed);
    if (refused.length) throw AppError.rateLimited(Math.max(1, ...refused.map((r) => r.retry ?? 1)));
  }

  /** Gives back one token to every limit (a successful login does not count against its account). */
  async refund(limits: Limit[]): Promise<void> {
    await run(
      this.db,
      sql`UPDATE rate_limits r SET tat = r.tat - make_interval(secs => l.secs::float8 / l.max)
            FROM ${limitRows(limits)} AS l(key text, max int, secs int)
           WHERE r.key = l.key`,
    );
  }

  /** Fills the buckets of every key with one of these prefixes again (an admin's unlock). */
  async reset(prefixes: string[]): Promise<number> {
    const patterns = prefixes.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`);
    return (await runChange(this.db, sql`DELETE FROM rate_limits WHERE key LIKE ANY(${patterns}::text[]) RETURNING key`)).length;
  }

  /**
   * Forgets buckets that have been full again for a while. The cron runs only where the scheduler
   * is loaded (APP_MODE all or worker); API-only processes leave it to them.
   */
  @Cron(CronExpression.EVERY_HOUR, { name: 'rate-limits-prune' })
  async prune(olderThanHours = 24): Promise<number> {
    const pruned = await runChange(
      this.db,
      sql`DELETE FROM rate_limits WHERE tat < ${this.clock.now().toISOString()}::timestamptz - make_interval(hours => ${olderThanHours}) RETURNING key`,
    );
    return pruned.length;
  }
}
