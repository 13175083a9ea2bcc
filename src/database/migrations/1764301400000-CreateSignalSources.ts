import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Independent activity signals: a queue-ticket machine, kiosk or MPP Digital pings a secret URL
 * per MPP (as a heartbeat monitor is pinged). Only a hash of each URL's token is kept.
 */
export class CreateSignalSources1764301400000 implements MigrationInterface {
  name = 'CreateSignalSources1764301400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signal_sources (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        mpp_id      uuid        NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        name        text        NOT NULL,
        token_hash  bytea       NOT NULL UNIQUE,
        created_by  uuid,
        created_at  timestamptz NOT NULL DEFAULT now(),
        rotated_at  timestamptz,
        revoked_at  timestamptz
      );
      CREATE INDEX signal_sources_mpp_idx ON signal_sources (mpp_id);
      -- One row per source and local day: the day's counts as last reported, and how often it pinged.
      CREATE TABLE signal_days (
        source_id     uuid        NOT NULL REFERENCES signal_sources(id) ON DELETE CASCADE,
        mpp_id        uuid        NOT NULL,
        date          date        NOT NULL,
        pings         integer     NOT NULL,
        tickets       integer,
        transactions  integer,
        last_ping_at  timestamptz NOT NULL,
        PRIMARY KEY (source_id, date)
      );
      CREATE INDEX signal_days_mpp_date_idx ON signal_days (mpp_id, date);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE signal_days; DROP TABLE signal_sources;`);
  }
}
