import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An MPP that closes for good is retired on a date, with a reason: evaluated up to the week of
 * that date, kept in history, `closed` in coverage. MPPs deactivated before this get the Sunday
 * of their last evaluated week (else the day they were last changed), so re-running a past week
 * keeps their results.
 */
export class RetireMpps1764301110000 implements MigrationInterface {
  name = 'RetireMpps1764301110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE mpps ADD COLUMN retired_on date, ADD COLUMN retirement_reason text;
      UPDATE mpps m SET retired_on = coalesce((SELECT max(e.week_start) + 6 FROM evaluations e WHERE e.mpp_id = m.id), m.updated_at::date)
       WHERE NOT m.active;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mpps DROP COLUMN retired_on, DROP COLUMN retirement_reason;`);
  }
}
