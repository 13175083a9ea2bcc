import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql';
import type { IsoWeek } from '../../common/time/iso-week';

/** The `cycles` table, for other features: whether a week is evaluated and until when it takes corrections. */
@Injectable()
export class CyclesRepository {
  async lockState(tx: EntityManager, week: IsoWeek): Promise<{ evaluatedAt: Date | null; locksAt: Date | null }> {
    const row = await one<{ evaluatedAt: Date | null; locksAt: Date | null }>(
      tx,
      sql`SELECT evaluated_at AS "evaluatedAt", locks_at AS "locksAt" FROM cycles WHERE week = ${week}`,
    );
    return { evaluatedAt: row?.evaluatedAt ?? null, locksAt: row?.locksAt ? new Date(row.locksAt) : null };
  }

  /** The first evaluated week, still open to corrections at `now`, that overlaps the dates from–to. */
  async firstEvaluatedOpenWeek(tx: EntityManager, from: string, to: string, now: Date): Promise<IsoWeek | undefined> {
    const row = await one<{ week: IsoWeek }>(
      tx,
      sql`SELECT week FROM cycles
           WHERE week_start <= ${to}::date AND week_start + 6 >= ${from}::date
             AND evaluated_at IS NOT NULL AND (locks_at IS NULL OR locks_at > ${now})
           ORDER BY week_start LIMIT 1`,
    );
    return row?.week;
  }
}
