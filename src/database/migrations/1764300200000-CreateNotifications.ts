import { MigrationInterface, QueryRunner } from 'typeorm';

/** The notification outbox: every email the system decides on, durable before it is queued. */
export class CreateNotifications1764300200000 implements MigrationInterface {
  name = 'CreateNotifications1764300200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        kind          text        NOT NULL CHECK (kind IN ('manager_reminder', 'bureau_escalation', 'ministry_digest')),
        week          text        NOT NULL,
        -- Who it is for: 'manager:<user id>:<zone>', 'province:<code>' or 'national'.
        scope         text        NOT NULL,
        locale        text        NOT NULL CHECK (locale IN ('id', 'en')),
        recipients    text[]      NOT NULL CHECK (cardinality(recipients) > 0),
        -- What was decided (MPPs, flags, figures), frozen when decided; rendered at send time.
        payload       jsonb       NOT NULL,
        state         text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dead')),
        attempts      integer     NOT NULL DEFAULT 0,
        max_attempts  integer     NOT NULL,
        -- A sender's claim: another worker may take the row over only after it lapses.
        lease_until   timestamptz,
        last_error    text,
        subject       text,
        message_id    text,
        smtp_response text,
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        sent_at       timestamptz,
        -- Nothing is decided twice: one email per kind, week, recipient scope and language.
        UNIQUE (kind, week, scope, locale)
      );
      CREATE INDEX notifications_week_idx ON notifications (week, kind);
      CREATE INDEX notifications_pending_idx ON notifications (updated_at) WHERE state IN ('queued', 'sending', 'failed');

      -- Claims on once-per-week decisions that have no evaluation row lock (reminders per zone).
      CREATE TABLE notification_plans (
        kind        text        NOT NULL,
        week        text        NOT NULL,
        part        text        NOT NULL,
        decided_at  timestamptz NOT NULL,
        created     integer     NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, week, part)
      );

      -- How often a flag has been escalated, so a bureau email and the digest can call out repeats.
      ALTER TABLE flags ADD COLUMN escalations integer NOT NULL DEFAULT 0, ADD COLUMN last_escalated_week text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE flags DROP COLUMN escalations, DROP COLUMN last_escalated_week;
      DROP TABLE notification_plans; DROP TABLE notifications;
    `);
  }
}
