import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reference regions, users and the MPP registry. */
export class CreateRegistry1764300000000 implements MigrationInterface {
  name = 'CreateRegistry1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provinces (
        code      varchar(2)  PRIMARY KEY,
        name      text        NOT NULL,
        timezone  text        NOT NULL CHECK (timezone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'))
      );
      CREATE TABLE regencies (
        code           varchar(5) PRIMARY KEY,
        province_code  varchar(2) NOT NULL REFERENCES provinces(code),
        name           text       NOT NULL
      );
      CREATE INDEX regencies_province_idx ON regencies (province_code);

      CREATE TABLE mpps (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        regency_code    varchar(5)  NOT NULL REFERENCES regencies(code),
        province_code   varchar(2)  NOT NULL REFERENCES provinces(code),
        name            text        NOT NULL,
        address         text,
        inaugurated_on  date,
        channels        text[]      NOT NULL DEFAULT '{}',
        -- ISO weekdays (1 = Monday … 7 = Sunday) on which the MPP serves the public
        opening_days    smallint[]  NOT NULL DEFAULT '{1,2,3,4,5}',
        active          boolean     NOT NULL DEFAULT true,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CHECK (channels <@ ARRAY['direct','mobile','self','electronic']::text[]),
        CHECK (opening_days <@ ARRAY[1,2,3,4,5,6,7]::smallint[])
      );
      CREATE INDEX mpps_province_idx ON mpps (province_code);
      CREATE INDEX mpps_regency_idx ON mpps (regency_code);

      CREATE TABLE mpp_tenants (
        id        uuid    PRIMARY KEY DEFAULT gen_random_uuid(),
        mpp_id    uuid    NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        position  smallint NOT NULL,
        name      text    NOT NULL,
        services  text[]  NOT NULL DEFAULT '{}'
      );
      CREATE INDEX mpp_tenants_mpp_idx ON mpp_tenants (mpp_id, position);

      CREATE TABLE users (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        email          text        NOT NULL,
        name           text        NOT NULL,
        password_hash  text        NOT NULL,
        role           text        NOT NULL CHECK (role IN ('admin', 'ministry', 'bureau', 'manager')),
        province_code  varchar(2)  REFERENCES provinces(code),
        active         boolean     NOT NULL DEFAULT true,
        locale         text        NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'bureau') = (province_code IS NOT NULL))
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));

      CREATE TABLE mpp_managers (
        user_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        mpp_id   uuid NOT NULL REFERENCES mpps(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, mpp_id)
      );
      CREATE INDEX mpp_managers_mpp_idx ON mpp_managers (mpp_id);

      -- Fixed-window counters shared by every replica (login throttling).
      CREATE TABLE rate_limits (
        key           text        NOT NULL,
        window_start  timestamptz NOT NULL,
        hits          integer     NOT NULL,
        PRIMARY KEY (key, window_start)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE rate_limits; DROP TABLE mpp_managers; DROP TABLE users; DROP TABLE mpp_tenants;
      DROP TABLE mpps; DROP TABLE regencies; DROP TABLE provinces;
    `);
  }
}
