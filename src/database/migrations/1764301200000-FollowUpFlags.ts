import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16, "Follow-up that works": who to call (a manager's phone), how to address each province's
 * bureau, when the bureau was first emailed about a flag and by when it must respond, and the
 * follow-up actions it records.
 */
export class FollowUpFlags1764301200000 implements MigrationInterface {
  name = 'FollowUpFlags1764301200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN phone text;

      -- The bureau's name where it is not "Biro Organisasi" (the default rule, in code).
      CREATE TABLE bureau_titles (
        province_code varchar(2) PRIMARY KEY,
        title         text       NOT NULL
      );
      INSERT INTO bureau_titles (province_code, title) VALUES ('31', 'Biro Organisasi dan Reformasi Birokrasi');

      -- Set when the first bureau email listing the flag was sent (reset when it reopens): the clock
      -- of re-escalation and of the response deadline, never the evaluation's.
      ALTER TABLE flags ADD COLUMN first_emailed_at timestamptz, ADD COLUMN respond_by timestamptz;

      CREATE TABLE flag_actions (
        id          bigserial   PRIMARY KEY,
        flag_id     uuid        NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
        kind        text        NOT NULL CHECK (kind IN ('phone_clarification', 'field_visit', 'technical_assistance',
                                                         'letter_to_regional_secretary', 'other')),
        note        text        NOT NULL,
        target_date date        NOT NULL,
        by_user     uuid        REFERENCES users(id),
        by_name     text        NOT NULL,
        at          timestamptz NOT NULL
      );
      CREATE INDEX flag_actions_flag_idx ON flag_actions (flag_id, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE flag_actions;
      ALTER TABLE flags DROP COLUMN first_emailed_at, DROP COLUMN respond_by;
      DROP TABLE bureau_titles;
      ALTER TABLE users DROP COLUMN phone;
    `);
  }
}
