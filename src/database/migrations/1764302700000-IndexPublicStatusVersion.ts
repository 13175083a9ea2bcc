import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public status's data version (its ETag) reads the newest dispute confirmation and the newest
 * registry change on every request: two index lookups instead of scans of every evaluation and MPP.
 * The partial index holds only confirmed disputes, so the evaluation's bulk writes do not feed it.
 */
export class IndexPublicStatusVersion1764302700000 implements MigrationInterface {
  name = 'IndexPublicStatusVersion1764302700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX evaluations_dispute_confirmed_idx ON evaluations (dispute_confirmed_at) WHERE dispute_confirmed_at IS NOT NULL;
      CREATE INDEX mpps_updated_at_idx ON mpps (updated_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX evaluations_dispute_confirmed_idx;
      DROP INDEX mpps_updated_at_idx;
    `);
  }
}
