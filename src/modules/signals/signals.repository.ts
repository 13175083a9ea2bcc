import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, raw, run, runChange, sql } from '../../database/sql';
import type { SignalSourceView } from './signals.dto';

const VIEW = raw(`s.id, s.mpp_id AS "mppId", s.name, s.created_at AS "createdAt", s.rotated_at AS "rotatedAt", s.revoked_at AS "revokedAt",
  (SELECT max(d.last_ping_at) FROM signal_days d WHERE d.source_id = s.id) AS "lastPingAt"`);

export interface PingDay {
  date: string;
  pings: number;
  tickets: number | null;
  transactions: number | null;
}

/** `signal_sources` and `signal_days`: every query on them. Tokens arrive hashed. */
@Injectable()
export class SignalsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insertSource(tx: EntityManager, mppId: string, name: string, tokenHash: Buffer, by: string): Promise<string> {
    const row = await one<{ id: string }>(
      tx,
      sql`INSERT INTO signal_sources (mpp_id, name, token_hash, created_by) VALUES (${mppId}, ${name}, ${tokenHash}, ${by}) RETURNING id`,
    );
    return row!.id;
  }

  async view(tx: EntityManager, id: string): Promise<SignalSourceView> {
    return (await one<SignalSourceView>(tx, sql`SELECT ${VIEW} FROM signal_sources s WHERE s.id = ${id}`))!;
  }

  listOfMpp(mppId: string): Promise<SignalSourceView[]> {
    return run(this.db, sql`SELECT ${VIEW} FROM signal_sources s WHERE s.mpp_id = ${mppId} ORDER BY s.created_at`);
  }

  /** False when the source is unknown for this MPP or already revoked. */
  async replaceToken(tx: EntityManager, mppId: string, id: string, tokenHash: Buffer, at: Date): Promise<boolean> {
    const rows = await runChange(
      tx,
      sql`UPDATE signal_sources SET token_hash = ${tokenHash}, rotated_at = ${at}
           WHERE id = ${id} AND mpp_id = ${mppId} AND revoked_at IS NULL RETURNING id`,
    );
    return rows.length > 0;
  }

  async revoke(tx: EntityManager, mppId: string, id: string, at: Date): Promise<boolean> {
    const rows = await runChange(
      tx,
      sql`UPDATE signal_sources SET revoked_at = ${at} WHERE id = ${id} AND mpp_id = ${mppId} AND revoked_at IS NULL RETURNING id`,
    );
    return rows.length > 0;
  }

  /** The live source behind a ping's token, with its MPP's province (for the local day). */
  activeByTokenHash(tokenHash: Buffer): Promise<{ id: string; mppId: string; provinceCode: string } | undefined> {
    return one(
      this.db,
      sql`SELECT s.id, s.mpp_id AS "mppId", m.province_code AS "provinceCode"
            FROM signal_sources s JOIN mpps m ON m.id = s.mpp_id
           WHERE s.token_hash = ${tokenHash} AND s.revoked_at IS NULL`,
    );
  }

  /**
   * Counts are the day's running totals as the machine last saw them: keep the highest. The same
   * statement marks the day active in the source's week (signal_weeks, what the evaluation reads).
   */
  async recordPing(
    source: { id: string; mppId: string },
    day: { date: string; tickets: number | null; transactions: number | null },
    at: Date,
  ): Promise<PingDay> {
    return (await one<PingDay>(
      this.db,
      sql`WITH week AS (
            INSERT INTO signal_weeks AS w (source_id, week_start, mpp_id, days)
            VALUES (${source.id}, date_trunc('week', ${day.date}::date)::date, ${source.mppId},
                    1 << (extract(isodow FROM ${day.date}::date)::int - 1))
            ON CONFLICT (source_id, week_start) DO UPDATE SET days = w.days | EXCLUDED.days
          )
          INSERT INTO signal_days AS d (source_id, mpp_id, date, pings, tickets, transactions, last_ping_at)
          VALUES (${source.id}, ${source.mppId}, ${day.date}, 1, ${day.tickets}, ${day.transactions}, ${at})
          ON CONFLICT (source_id, date) DO UPDATE
             SET pings = d.pings + 1,
                 tickets = greatest(d.tickets, EXCLUDED.tickets),
                 transactions = greatest(d.transactions, EXCLUDED.transactions),
                 last_ping_at = EXCLUDED.last_ping_at
          RETURNING to_char(date, 'YYYY-MM-DD') AS date, pings, tickets, transactions`,
    ))!;
  }
}
