import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { run, runChange, sql } from '../../database/sql';
import type { ReportKind } from './citizen-report.rules';
import type { DisputedWeekRow } from './dispute-evidence';

/** Disputed weeks shown per MPP: the last this many. */
const WEEKS_PER_MPP = 8;

export interface CitizenReportRow {
  mppId: string;
  week: string;
  visitedOn: string;
  kind: ReportKind;
  agency: string | null;
  note: string | null;
  /** The client's address as a keyed hash, never the address. */
  clientHash: Buffer;
}

/**
 * `citizen_reports`, `spent_challenges`, and the dispute columns of `evaluations` (this feature's:
 * the evaluation sets `disputed`, the bureau's confirmation is recorded here): every query on them.
 */
@Injectable()
export class CitizenReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The same client, MPP, day and kind counts once: a repeat changes nothing. */
  async insertOnce(tx: EntityManager, r: CitizenReportRow, at: Date): Promise<void> {
    await run(
      tx,
      sql`INSERT INTO citizen_reports (mpp_id, week, visited_on, kind, agency, note, client_hash, created_at)
          VALUES (${r.mppId}, ${r.week}, ${r.visitedOn}, ${r.kind}, ${r.agency}, ${r.note}, ${r.clientHash}, ${at})
          ON CONFLICT (client_hash, mpp_id, visited_on, kind) DO NOTHING`,
    );
  }

  /** Records a challenge's solution as used; false when it was used already. */
  async spendChallenge(tx: EntityManager, signature: string, expiresAt: Date): Promise<boolean> {
    const rows = await run(
      tx,
      sql`INSERT INTO spent_challenges (signature, expires_at) VALUES (${signature}, ${expiresAt}) ON CONFLICT DO NOTHING RETURNING signature`,
    );
    return rows.length === 1;
  }

  /** Deletes the spent challenges expired before `now`; how many. */
  async pruneSpentChallenges(now: Date): Promise<number> {
    const q = sql`DELETE FROM spent_challenges WHERE expires_at < ${now}`;
    const [, count] = await this.db.query<[unknown[], number]>(q.text, q.values);
    return count ?? 0;
  }

  /** The bureau's confirmation of a disputed week; the first one stays. Undefined when the week is not disputed. */
  async confirmDispute(
    tx: EntityManager,
    mppId: string,
    week: string,
    at: Date,
    by: string,
  ): Promise<{ week: string; confirmedAt: string } | undefined> {
    const [row] = await runChange<{ week: string; confirmedAt: string }>(
      tx,
      sql`UPDATE evaluations SET dispute_confirmed_at = coalesce(dispute_confirmed_at, ${at}), dispute_confirmed_by = coalesce(dispute_confirmed_by, ${by})
           WHERE mpp_id = ${mppId} AND week = ${week} AND disputed RETURNING week, dispute_confirmed_at AS "confirmedAt"`,
    );
    return row;
  }
}

/**
 * Disputed weeks with their raw evidence (the check-in's claim, citizens' reports, signal days),
 * in one statement: the last weeks of one MPP, or every disputed MPP of one week. A function, not a
 * method, because the notification planner reads it inside its own transaction.
 */
export function disputedWeekRows(db: EntityManager, filter: { mppId: string } | { week: string }): Promise<DisputedWeekRow[]> {
  const byMpp = 'mppId' in filter;
  return run<DisputedWeekRow>(
    db,
    sql`SELECT e.mpp_id AS "mppId", e.province_code AS "provinceCode", m.name AS "mppName", r.name AS "regencyName",
               e.week, e.result, e.rules, e.dispute_confirmed_at AS "confirmedAt", ci.days_open AS "daysOpenClaimed",
               coalesce((SELECT json_agg(json_build_object('kind', c.kind, 'visitedOn', to_char(c.visited_on, 'YYYY-MM-DD'),
                                  'agency', c.agency, 'note', c.note, 'at', c.created_at) ORDER BY c.created_at, c.id)
                           FROM citizen_reports c WHERE c.mpp_id = e.mpp_id AND c.week = e.week), '[]') AS "citizenReports",
               coalesce((SELECT json_agg(x ORDER BY x.date) FROM (
                           SELECT to_char(d.date, 'YYYY-MM-DD') AS date, sum(d.pings)::int AS pings
                             FROM signal_days d WHERE d.mpp_id = e.mpp_id AND d.date BETWEEN e.week_start AND e.week_start + 6
                            GROUP BY d.date) x), '[]') AS "signalDays",
               EXISTS (SELECT 1 FROM signal_sources s WHERE s.mpp_id = e.mpp_id) AS "hasSignalSource"
          FROM evaluations e
          JOIN mpps m ON m.id = e.mpp_id JOIN regencies r ON r.code = m.regency_code
          LEFT JOIN check_ins ci ON ci.mpp_id = e.mpp_id AND ci.week = e.week
         WHERE e.disputed AND ${byMpp ? sql`e.mpp_id = ${filter.mppId}` : sql`e.week = ${filter.week}`}
         ORDER BY ${byMpp ? sql`e.week_start DESC LIMIT ${WEEKS_PER_MPP}` : sql`e.province_code, m.name, m.id`}`,
  );
}
