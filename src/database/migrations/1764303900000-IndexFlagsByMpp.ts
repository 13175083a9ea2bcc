import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An MPP's flags, resolved ones included: its history page, its flag context and the evaluation's
 * "first fall" test read them by MPP, which only the partial unique index on unresolved flags
 * served, so each read scanned every flag ever opened (the history page once per week shown).
 */
export class IndexFlagsByMpp1764303900000 implements MigrationInterface {
  name = 'IndexFlagsByMpp1764303900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX flags_mpp_idx ON flags (mpp_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX flags_mpp_idx`);
  }
}
