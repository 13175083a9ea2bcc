import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `not_expected` result: an MPP with no opening day in the week on or after its inauguration
 * (inaugurated on a Saturday, say) is asked nothing that week, and counts in no rate. Evaluations
 * accept it, and the weekly report counts it in a column of its own.
 */
export class NotExpectedResult1764300900000 implements MigrationInterface {
  name = 'NotExpectedResult1764300900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE evaluations DROP CONSTRAINT evaluations_result_check;
      ALTER TABLE evaluations ADD CONSTRAINT evaluations_result_check
        CHECK (result IN ('active', 'at_risk', 'inactive', 'not_reporting', 'excused', 'not_expected'));
      ALTER TABLE report_weekly ADD COLUMN not_expected integer NOT NULL DEFAULT 0;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Before this result existed such a week read as not reporting (streak 1, in the rates).
    await q.query(`
      UPDATE evaluations SET result = 'not_reporting', rules = ARRAY['not_reporting'], not_reporting_streak = 1
       WHERE result = 'not_expected';
      ALTER TABLE evaluations DROP CONSTRAINT evaluations_result_check;
      ALTER TABLE evaluations ADD CONSTRAINT evaluations_result_check
        CHECK (result IN ('active', 'at_risk', 'inactive', 'not_reporting', 'excused'));
      ALTER TABLE report_weekly DROP COLUMN not_expected;
    `);
  }
}
