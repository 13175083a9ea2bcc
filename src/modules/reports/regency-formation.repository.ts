import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { one, run, sql } from '../../database/sql';
import type { FormationStage } from './reports.types';

/** A regency's formation stage as a bureau recorded it. */
export interface FormationRecord {
  stage: FormationStage;
  date: string | null;
  note: string | null;
}

/** `regency_formation`, the stages bureaus record toward an MPP in each regency: every query on it (coverage reads it in reports.queries.ts). */
@Injectable()
export class RegencyFormationRepository {
  /** The regency's record, its row locked for a change in this transaction; undefined when none is recorded. */
  lockOne(tx: EntityManager, regencyCode: string): Promise<FormationRecord | undefined> {
    return one(
      tx,
      sql`SELECT stage, to_char(stage_date, 'YYYY-MM-DD') AS date, note FROM regency_formation WHERE regency_code = ${regencyCode} FOR UPDATE`,
    );
  }

  /** Records the regency's stage, replacing the one before. */
  async save(tx: EntityManager, regencyCode: string, r: FormationRecord, by: string, at: Date): Promise<void> {
    await run(
      tx,
      sql`INSERT INTO regency_formation (regency_code, stage, stage_date, note, updated_by, updated_at)
          VALUES (${regencyCode}, ${r.stage}, ${r.date}, ${r.note}, ${by}, ${at})
          ON CONFLICT (regency_code) DO UPDATE SET stage = EXCLUDED.stage, stage_date = EXCLUDED.stage_date, note = EXCLUDED.note,
                 updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
    );
  }
}
