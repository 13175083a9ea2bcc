import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry lists MPPs by province, regency and name, a page at a time: in that order an index
 * hands over the page's ids directly (13 ms of scanning and sorting a 4,300-MPP province at 100k
 * before). It also serves every lookup by province, so the province-only index goes.
 */
export class IndexMppsRegistryOrder1764303700000 implements MigrationInterface {
  name = 'IndexMppsRegistryOrder1764303700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX mpps_registry_order_idx ON mpps (province_code, regency_code, name, id);
      DROP INDEX mpps_province_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX mpps_province_idx ON mpps (province_code);
      DROP INDEX mpps_registry_order_idx;
    `);
  }
}
