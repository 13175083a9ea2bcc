import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports' data version (ReportAnswers) reads the newest flag change on every request: an
 * index lookup instead of a scan of every flag ever opened.
 */
export class IndexFlagsUpdatedAt1764303600000 implements MigrationInterface {
  name = 'IndexFlagsUpdatedAt1764303600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX flags_updated_at_idx ON flags (updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX flags_updated_at_idx`);
  }
}
