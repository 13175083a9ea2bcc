import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { IsoWeek } from '../../common/time/iso-week';
import { one, raw, run, sql } from '../../database/sql';
import type { StoredCheckIn } from './check-in.rules';
import { STORED_FIELDS } from './check-in.writer';

/**
 * `check_ins` and `check_in_revisions`, for reading. Submissions are written by the group commit
 * in check-in.writer.ts, whose statements stay beside its steps.
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
}
