import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, raw, run, runChange, sql } from '../../database/sql';
import type { ClosureCategory, ClosureStatus } from './closure.rules';
import type { ClosureView } from './closures.dto';

const VIEW = raw(`id, mpp_id AS "mppId", to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to",
  category, reason, status, created_by AS "createdBy", created_at AS "createdAt",
  decided_by AS "decidedBy", decided_at AS "decidedAt", decision_note AS "decisionNote"`);

export interface ClosureFields {
  from: string;
  to: string;
  category: ClosureCategory;
  reason: string;
}

/** The `planned_closures` table: every query on it. */
@Injectable()
export class ClosuresRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(tx: EntityManager, mppId: string, c: ClosureFields, status: ClosureStatus, by: string, at: Date): Promise<ClosureView> {
    return (await one<ClosureView>(
      tx,
      sql`INSERT INTO planned_closures (mpp_id, from_date, to_date, category, reason, status, created_by, created_at, updated_by, updated_at)
          VALUES (${mppId}, ${c.from}, ${c.to}, ${c.category}, ${c.reason}, ${status}, ${by}, ${at}, ${by}, ${at})
          RETURNING ${VIEW}`,
    ))!;
  }

  /** A change keeps the earlier decision only when the status stays what it was. */
  async update(tx: EntityManager, id: string, c: ClosureFields, status: ClosureStatus, by: string, at: Date): Promise<ClosureView> {
    const [row] = await runChange<ClosureView>(
      tx,
      sql`UPDATE planned_closures
         SET from_date = ${c.from}, to_date = ${c.to}, category = ${c.category}, reason = ${c.reason}, status = ${status},
             updated_by = ${by}, updated_at = ${at},
             decided_by = CASE WHEN ${status} = status THEN decided_by END,
             decided_at = CASE WHEN ${status} = status THEN decided_at END,
             decision_note = CASE WHEN ${status} = status THEN decision_note END
       WHERE id = ${id} RETURNING ${VIEW}`,
    );
    return row;
  }

  async withdraw(tx: EntityManager, id: string, by: string, at: Date): Promise<void> {
    await run(tx, sql`UPDATE planned_closures SET status = 'withdrawn', updated_by = ${by}, updated_at = ${at} WHERE id = ${id}`);
  }

  async decide(tx: EntityManager, id: string, status: ClosureStatus, by: string, at: Date, note: string | null): Promise<ClosureView> {
    const [row] = await runChange<ClosureView>(
      tx,
      sql`UPDATE planned_closures SET status = ${status}, decided_by = ${by}, decided_at = ${at}, decision_note = ${note}
                  WHERE id = ${id} RETURNING ${VIEW}`,
    );
    return row;
  }

  listOfMpp(mppId: string): Promise<ClosureView[]> {
    return run(this.db, sql`SELECT ${VIEW} FROM planned_closures WHERE mpp_id = ${mppId} ORDER BY from_date DESC, created_at DESC`);
  }

  /** The closure, locked for a change in this transaction. */
  lockOne(tx: EntityManager, mppId: string, id: string): Promise<ClosureView | undefined> {
    return one(tx, sql`SELECT ${VIEW} FROM planned_closures WHERE id = ${id} AND mpp_id = ${mppId} FOR UPDATE`);
  }
}
