import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evaluation needs, per MPP, only how many days of the week its sources were active. Reading
 * that from `signal_days` meant 700,000 rows a week at 100,000 MPPs (and a distinct count per MPP);
 * the ping keeps one row per source and week instead, its active days as a bitmask (bit 0 Monday …
 * bit 6 Sunday), in the same statement that records the day. `signal_days` stays the evidence.
 */
export class KeepSignalWeeks1764303500000 implements MigrationInterface {
  name = 'KeepSignalWeeks1764303500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signal_weeks (
        source_id   uuid     NOT NULL REFERENCES signal_sources(id) ON DELETE CASCADE,
        week_start  date     NOT NULL,
        mpp_id      uuid     NOT NULL,
        days        smallint NOT NULL,
        PRIMARY KEY (source_id, week_start)
      );
      CREATE INDEX signal_weeks_week_idx ON signal_weeks (week_start);
      INSERT INTO signal_weeks (source_id, week_start, mpp_id, days)
      SELECT source_id, date_trunc('week', date)::date, mpp_id, bit_or(1 << (extract(isodow FROM date)::int - 1))::smallint
        FROM signal_days GROUP BY 1, 2, 3;
      DROP INDEX signal_days_date_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX signal_days_date_idx ON signal_days (date); DROP TABLE signal_weeks;`);
  }
}
