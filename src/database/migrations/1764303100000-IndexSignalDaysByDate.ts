import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evaluation reads one week of pings for every MPP: by date, that is the week's rows only,
 * instead of every ping since the first (100,000 MPPs pinging daily add 700,000 rows a week).
 */
export class IndexSignalDaysByDate1764303100000 implements MigrationInterface {
  name = 'IndexSignalDaysByDate1764303100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX signal_days_date_idx ON signal_days (date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signal_days_date_idx`);
  }
}
