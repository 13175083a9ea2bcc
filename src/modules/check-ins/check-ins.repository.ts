import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { IsoWeek } from '../../common/time/iso-week';
import { runPrepared } from '../../database/prepared';
import { one, raw, run, sql } from '../../database/sql';
import type { StoredCheckIn } from './check-in.rules';
import { STORED_FIELDS } from './check-in.writer';

/** What a week's check-in is judged against, as stored. */
export interface WeekFactsRow {
  openingDays: number[];
  inauguratedOn: string | null;
  registeredTenants: number;
  /** Holidays and approved closure days in the week. */
  offDates: string[];
}

/**
 * `check_ins` and `check_in_revisions`, for reading, and what a check-in is judged against.
 * Submissions are written by the group commit in check-in.writer.ts, whose statements stay beside
 * its steps.
 */
@Injectable()
export class CheckInsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The week's check-in as it stands (its latest revision). */
  current(mppId: string, week: IsoWeek): Promise<StoredCheckIn | undefined> {
    return one(
      this.db,
      sql`SELECT ${raw(STORED_FIELDS)}, first_submitted_at AS "firstSubmittedAt" FROM check_ins WHERE mpp_id = ${mppId} AND week = ${week}`,
    );
  }

  /** Every revision of the week's check-in, oldest first. */
  revisions(mppId: string, week: IsoWeek): Promise<StoredCheckIn[]> {
    return run(
      this.db,
      sql`SELECT ${raw(STORED_FIELDS)} FROM check_in_revisions WHERE mpp_id = ${mppId} AND week = ${week} ORDER BY revision`,
    );
  }

  /** Which of these MPPs have a check-in for which of these weeks, and whether it came late. */
  submittedIn(mppIds: string[], weeks: IsoWeek[]): Promise<{ mppId: string; week: string; late: boolean }[]> {
    // Prepared: a manager's check-in list reads it on every visit.
    return runPrepared(
      this.db,
      'check-ins-submitted-in',
      sql`SELECT mpp_id AS "mppId", week, late FROM check_ins WHERE mpp_id = ANY(${mppIds}::uuid[]) AND week = ANY(${weeks}::text[])`,
    );
  }

  /**
   * Reads mpps, holidays and planned_closures: the MPP's opening days, inauguration and registered
   * tenants, and the days of the week starting `monday` it is off (holidays, approved closures).
   */
  weekFacts(mppId: string, monday: string): Promise<WeekFactsRow | undefined> {
    return one(
      this.db,
      sql`SELECT m.opening_days AS "openingDays", to_char(m.inaugurated_on, 'YYYY-MM-DD') AS "inauguratedOn",
                 m.tenant_count AS "registeredTenants",
                 ARRAY(SELECT to_char(h.date, 'YYYY-MM-DD') FROM holidays h WHERE h.date BETWEEN ${monday}::date AND ${monday}::date + 6
                       UNION
                       SELECT to_char(d, 'YYYY-MM-DD') FROM planned_closures c,
                              generate_series(greatest(c.from_date, ${monday}::date), least(c.to_date, ${monday}::date + 6), interval '1 day') AS d
                        WHERE c.mpp_id = m.id AND c.status = 'approved' AND c.from_date <= ${monday}::date + 6 AND c.to_date >= ${monday}::date) AS "offDates"
            FROM mpps m WHERE m.id = ${mppId}`,
    );
  }
}
