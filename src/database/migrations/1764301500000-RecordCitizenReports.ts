import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizens' reports from the QR code at an MPP's door, the proof-of-work challenges already spent,
 * and a week's dispute: whether independent signals contradict its check-in, and whether the
 * bureau confirmed it (only then does the public page say `limited`).
 */
export class RecordCitizenReports1764301500000 implements MigrationInterface {
  name = 'RecordCitizenReports1764301500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE citizen_reports (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        mpp_id      uuid        NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        week        text        NOT NULL,
        visited_on  date        NOT NULL,
        kind        text        NOT NULL CHECK (kind IN ('closed', 'service_unavailable', 'other')),
        agency      text,
        note        text        CHECK (char_length(note) <= 500),
        -- A keyed hash of the client's address: enough to count a client once, never the address itself.
        client_hash bytea       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (client_hash, mpp_id, visited_on, kind)
      );
      CREATE INDEX citizen_reports_mpp_week_idx ON citizen_reports (mpp_id, week);
      CREATE TABLE spent_challenges (
        signature   text        PRIMARY KEY,
        expires_at  timestamptz NOT NULL
      );
      ALTER TABLE evaluations
        ADD COLUMN disputed boolean NOT NULL DEFAULT false,
        ADD COLUMN dispute_confirmed_at timestamptz,
        ADD COLUMN dispute_confirmed_by uuid;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE evaluations DROP COLUMN disputed, DROP COLUMN dispute_confirmed_at, DROP COLUMN dispute_confirmed_by;
      DROP TABLE spent_challenges;
      DROP TABLE citizen_reports;
    `);
  }
}
