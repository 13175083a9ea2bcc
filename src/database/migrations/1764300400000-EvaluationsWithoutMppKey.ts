import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evaluations lose their foreign key to MPPs, as they never had one to cycles: a whole-cycle run
 * writes one row per MPP and the key check cost 0.8 of 2.1 s writing 100,000 results (measured in
 * bench/evaluation.bench.ts). Every row's MPP id comes from the `mpps` table read in the same
 * transaction, and MPPs are retired (active = false), never deleted.
 */
export class EvaluationsWithoutMppKey1764300400000 implements MigrationInterface {
  name = 'EvaluationsWithoutMppKey1764300400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE evaluations DROP CONSTRAINT evaluations_mpp_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE evaluations ADD CONSTRAINT evaluations_mpp_id_fkey FOREIGN KEY (mpp_id) REFERENCES mpps(id) ON DELETE CASCADE`,
    );
  }
}
