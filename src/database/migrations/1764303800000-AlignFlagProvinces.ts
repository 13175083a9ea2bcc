import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flags carry their MPP's province (lists are read by it from flags_province_state_idx). An MPP
 * moved before its flags followed it, or while an evaluation was opening one, left a flag in
 * the old province: every flag is put back in its MPP's current province. Nothing to undo.
 */
export class AlignFlagProvinces1764303800000 implements MigrationInterface {
  name = 'AlignFlagProvinces1764303800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE flags f SET province_code = m.province_code FROM mpps m WHERE m.id = f.mpp_id AND f.province_code IS DISTINCT FROM m.province_code`,
    );
  }

  async down(): Promise<void> {
    // The misplaced provinces were wrong; there is nothing to restore.
  }
}
