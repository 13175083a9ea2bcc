import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, run, sql } from '../../database/sql';

type Stored = Record<string, unknown>;

/** A stored setting's value; for callers outside Nest's container too (other features read thresholds in their transaction). */
export async function storedSetting(tx: EntityManager, key: string): Promise<Stored | undefined> {
  return (await one<{ value: Stored }>(tx, sql`SELECT value FROM settings WHERE key = ${key}`))?.value;
}

/** The `settings` table and its history, `settings_audit`: every query on them. */
@Injectable()
export class SettingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The value, its row locked for a change in this transaction. */
  async lock(tx: EntityManager, key: string): Promise<Stored | undefined> {
    return (await one<{ value: Stored }>(tx, sql`SELECT value FROM settings WHERE key = ${key} FOR UPDATE`))?.value;
  }

  /** Stores the value and appends the change to the history. */
  async save(tx: EntityManager, key: string, before: object, after: object, by: string): Promise<void> {
    await run(
      tx,
      sql`INSERT INTO settings (key, value, updated_at, updated_by) VALUES (${key}, ${JSON.stringify(after)}, now(), ${by})
          ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    );
    await run(
      tx,
      sql`INSERT INTO settings_audit (key, before, after, by_user) VALUES (${key}, ${JSON.stringify(before)}, ${JSON.stringify(after)}, ${by})`,
    );
  }

  /** The newest changes first, at most `limit`. */
  history(key: string, limit: number): Promise<{ id: string; before: Stored; after: Stored; at: Date; byUser: string | null }[]> {
    return run(
      this.db,
      sql`SELECT id, before, after, at, by_user AS "byUser" FROM settings_audit WHERE key = ${key} ORDER BY id DESC LIMIT ${limit}`,
    );
  }
}
