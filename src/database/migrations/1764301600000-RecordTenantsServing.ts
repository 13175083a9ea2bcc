import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which tenants served (issue 17 item 2): a check-in may name the MPP's registered tenants that
 * served the week; `tenants_serving` stays the count. Null: the check-in gave only the count (older
 * clients). Kept on the current row and on every revision.
 */
export class RecordTenantsServing1764301600000 implements MigrationInterface {
  name = 'RecordTenantsServing1764301600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE check_ins ADD COLUMN tenants_serving_ids uuid[];
      ALTER TABLE check_in_revisions ADD COLUMN tenants_serving_ids uuid[];
      ALTER TABLE check_ins ADD CONSTRAINT check_ins_tenants_serving_ids_count
        CHECK (tenants_serving_ids IS NULL OR cardinality(tenants_serving_ids) = tenants_serving);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE check_ins DROP CONSTRAINT check_ins_tenants_serving_ids_count;
      ALTER TABLE check_in_revisions DROP COLUMN tenants_serving_ids;
      ALTER TABLE check_ins DROP COLUMN tenants_serving_ids;
    `);
  }
}
