import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly report counts, per province, the disputed weeks and the citizens' reports of the
 * week (issue 18, item 5), as the week's evaluation saw them; weeks already evaluated are filled in
 * from the evaluations and reports on record.
 */
export class CountDisputesInReports1764302100000 implements MigrationInterface {
  name = 'CountDisputesInReports1764302100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE report_weekly
        ADD COLUMN disputed integer NOT NULL DEFAULT 0,
        ADD COLUMN citizen_reports integer NOT NULL DEFAULT 0;
      CREATE INDEX citizen_reports_week_idx ON citizen_reports (week);
      UPDATE report_weekly rw SET disputed = x.n
        FROM (SELECT week, province_code, count(*)::int AS n FROM evaluations WHERE disputed GROUP BY week, province_code) x
       WHERE x.week = rw.week AND x.province_code = rw.province_code;
      UPDATE report_weekly rw SET citizen_reports = x.n
        FROM (SELECT e.week, e.province_code, count(*)::int AS n
                FROM citizen_reports cr JOIN evaluations e ON e.mpp_id = cr.mpp_id AND e.week = cr.week
               GROUP BY e.week, e.province_code) x
       WHERE x.week = rw.week AND x.province_code = rw.province_code;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX citizen_reports_week_idx;
      ALTER TABLE report_weekly DROP COLUMN disputed, DROP COLUMN citizen_reports;
    `);
  }
}
