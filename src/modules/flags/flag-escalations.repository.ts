import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { raw, run, runChange, sql } from '../../database/sql';
import type { IsoWeek } from '../../common/time/iso-week';
import { FLAG_SINCE_WEEK } from './flag-queries';
import type { FlagState } from './flag.rules';

/** An unresolved flag as the week's bureau email lists it. */
export interface EscalationCandidate {
  id: string;
  mppId: string;
  provinceCode: string;
  mppName: string;
  regencyName: string;
  state: FlagState;
  openedWeek: string;
  /** The week it was (re)opened. */
  sinceWeek: string;
  rules: string[];
  escalations: number;
  category: 'new' | 're_escalated' | 'open' | 'in_progress';
}

/** The `flags` queries of the escalation ladder: which flags go to the bureaus, and counting that they went. */
@Injectable()
export class FlagEscalationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Every unresolved flag of an active MPP opened by `week`, with its category. Re-escalated: still
   * open N local days after the bureau was FIRST EMAILED about it, never because evaluations ran, so
   * a catch-up run a minute later finds nothing due (the SQL spelling of dueForReEscalation).
   */
  escalationCandidates(tx: EntityManager, week: IsoWeek, now: Date, reEscalateAfterDays: number): Promise<EscalationCandidate[]> {
    return run(
      tx,
      sql`SELECT f.id, f.mpp_id AS "mppId", f.province_code AS "provinceCode", f.state, f.opened_week AS "openedWeek", f.rules,
                 f.escalations, m.name AS "mppName", r.name AS "regencyName", s.since_week AS "sinceWeek",
                 CASE WHEN s.since_week = ${week} THEN 'new'
                      WHEN f.state = 'open' AND f.first_emailed_at IS NOT NULL
                           AND (${now}::timestamptz AT TIME ZONE p.timezone)::date - (f.first_emailed_at AT TIME ZONE p.timezone)::date
                               >= ${reEscalateAfterDays} THEN 're_escalated'
                      WHEN f.state = 'open' THEN 'open'
                      ELSE 'in_progress' END AS category
            FROM flags f
            JOIN mpps m ON m.id = f.mpp_id AND m.active
            JOIN regencies r ON r.code = m.regency_code
            JOIN provinces p ON p.code = f.province_code
            ${raw(FLAG_SINCE_WEEK)}
           WHERE f.state <> 'resolved' AND s.since_week <= ${week}
           ORDER BY array_position(ARRAY['new', 're_escalated', 'open', 'in_progress'],
                      CASE WHEN s.since_week = ${week} THEN 'new' WHEN f.state = 'open' THEN 'open' ELSE 'in_progress' END), m.name`,
    );
  }

  /** Counts the week's escalation of these flags, once per week however often the evaluation is re-run. */
  recordWeeklyEscalation(tx: EntityManager, week: IsoWeek, flagIds: string[]): Promise<{ id: string; escalations: number }[]> {
    return runChange(
      tx,
      sql`UPDATE flags SET escalations = escalations + 1, last_escalated_week = ${week}
           WHERE id = ANY(${flagIds}::uuid[]) AND last_escalated_week IS DISTINCT FROM ${week} RETURNING id, escalations`,
    );
  }

  /** Counts an additional email about flags a late check-in opened after the week's escalation. */
  async recordAdditionalEscalation(tx: EntityManager, week: IsoWeek, flagIds: string[]): Promise<void> {
    await run(tx, sql`UPDATE flags SET escalations = escalations + 1, last_escalated_week = ${week} WHERE id = ANY(${flagIds}::uuid[])`);
  }

  /** The response deadline stored on each flag (null until the bureau is first emailed about it). */
  respondBy(flagIds: string[]): Promise<{ id: string; respondBy: Date | null }[]> {
    return run(this.db, sql`SELECT id, respond_by AS "respondBy" FROM flags WHERE id = ANY(${flagIds}::uuid[])`);
  }
}
