import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { runPrepared } from '../../database/prepared';
import { one, raw, run, runChange, sql, where } from '../../database/sql';
import type { Locale } from '../../common/i18n/locale';
import type { NotificationKind, NotificationState } from './notification.types';
import type { NotificationQuery, NotificationView } from './notifications.dto';

const VIEW = raw(`id, kind, week, scope, locale, recipients, state AS status, attempts, max_attempts AS "maxAttempts", subject,
  message_id AS "messageId", last_error AS "lastError", created_at AS "createdAt", updated_at AS "updatedAt", sent_at AS "sentAt"`);

/** A row leased for delivery. */
export interface ClaimedRow {
  id: string;
  kind: NotificationKind;
  scope: string;
  week: string;
  locale: Locale;
  recipients: string[];
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/** What the SMTP server answered for one sent row. */
export interface SentRecord {
  id: string;
  messageId: string;
  smtpResponse: string;
  subject: string;
}

/** One decided email, before it is an outbox row. */
export interface NewNotification {
  kind: NotificationKind;
  week: string;
  scope: string;
  locale: string;
  recipients: string[];
  payload: unknown;
}

/** `notifications` (the outbox) and `notification_plans` (which scheduled decisions were taken): every query on them. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Leases the rows still deliverable; rows already sent, dead, or leased by another worker are left out. */
  claim(ids: string[], leaseSeconds: number): Promise<ClaimedRow[]> {
    // Prepared, as the sent records are: a worker runs it once per job of 25 emails.
    return runPrepared(
      this.db,
      'outbox-claim',
      sql`UPDATE notifications SET state = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => ${leaseSeconds}),
                 updated_at = now()
           WHERE id = ANY(${ids}::uuid[])
             AND (state IN ('queued', 'failed') OR (state = 'sending' AND (lease_until IS NULL OR lease_until < now())))
          RETURNING id, kind, scope, week, locale, recipients, payload, attempts, max_attempts AS "maxAttempts"`,
    );
  }

  /**
   * Many sends recorded in one UPDATE (the sender's group commit). The id list lets the planner
   * find the rows by primary key: joined to the record set alone (which it guesses at 100 rows),
   * it scanned the whole table, every email ever sent, for each batch.
   */
  async markSent(records: SentRecord[]): Promise<void> {
    const rows = JSON.stringify(
      records.map((r) => ({ id: r.id, message_id: r.messageId, smtp_response: r.smtpResponse, subject: r.subject })),
    );
    // Prepared: the worker's most frequent statement (one per few emails), its plan never changes.
    await runPrepared(
      this.db,
      'outbox-mark-sent',
      sql`UPDATE notifications n SET state = 'sent', sent_at = now(), updated_at = now(), lease_until = NULL,
                 message_id = s.message_id, smtp_response = s.smtp_response, subject = s.subject, last_error = NULL
            FROM jsonb_to_recordset(${rows}::jsonb) AS s(id uuid, message_id text, smtp_response text, subject text)
           WHERE n.id = ANY(${records.map((r) => r.id)}::uuid[]) AND n.id = s.id`,
    );
  }

  /**
   * Records an escalation's send and starts the re-escalation and response clocks of the flags it
   * is the first email about, in ONE statement: a crash between two writes would leave a sent
   * escalation whose flags never learn they were emailed. That is why this writes `flags` here.
   */
  async markEscalationSent(sent: SentRecord, flagIds: string[], at: Date, respondBy: Date): Promise<void> {
    await run(
      this.db,
      sql`WITH sent AS (
            UPDATE notifications SET state = 'sent', sent_at = now(), updated_at = now(), lease_until = NULL,
                   message_id = ${sent.messageId}, smtp_response = ${sent.smtpResponse}, subject = ${sent.subject}, last_error = NULL
             WHERE id = ${sent.id} RETURNING id
          )
          UPDATE flags SET first_emailed_at = ${at}, respond_by = ${respondBy}, updated_at = ${at} -- its response deadline is set
           WHERE id = ANY(${flagIds}::uuid[]) AND first_emailed_at IS NULL AND state <> 'resolved' AND EXISTS (SELECT 1 FROM sent)`,
    );
  }

  /** A failed attempt: `failed` while retries remain, `dead` after the last; the lease is released. */
  async recordFailure(
    id: string,
    state: Extract<NotificationState, 'failed' | 'dead'>,
    error: string,
    subject: string | null,
  ): Promise<void> {
    await run(
      this.db,
      sql`UPDATE notifications SET state = ${state}, last_error = ${error}, subject = coalesce(${subject}, subject), lease_until = NULL,
                 updated_at = now()
           WHERE id = ${id}`,
    );
  }

  /**
   * Claims given back unsent: the row is as it was before the claim, minus the lease, and the
   * attempt is not counted. A row claimed again since (its lease lapsed; a claim counts an attempt)
   * is someone else's and left alone.
   */
  async release(claims: Pick<ClaimedRow, 'id' | 'attempts'>[]): Promise<void> {
    await run(
      this.db,
      sql`UPDATE notifications n SET state = CASE WHEN n.attempts > 1 THEN 'failed' ELSE 'queued' END, attempts = n.attempts - 1,
                 lease_until = NULL, updated_at = now()
            FROM jsonb_to_recordset(${JSON.stringify(claims.map(({ id, attempts }) => ({ id, attempts })))}::jsonb) AS c(id uuid, attempts int)
           WHERE n.id = ANY(${claims.map((c) => c.id)}::uuid[]) AND n.id = c.id AND n.state = 'sending' AND n.attempts = c.attempts`,
    );
  }

  /**
   * Rows that have not moved for a lease period and hold no live lease, oldest first. A failed row
   * also waits out the retry delay its job would wait (BullMQ's exponential backoff: `backoff`
   * doubled per attempt, for at most `jobAttempts` attempts): that job has a different id from the
   * jobs a sweep makes, so offering the row sooner would retry it early and spend its attempts at
   * the sweep's pace.
   */
  async stale(leaseSeconds: number, retry: { backoffSeconds: number; jobAttempts: number }, limit: number): Promise<string[]> {
    const rows = await run<{ id: string }>(
      this.db,
      sql`SELECT id FROM notifications
           WHERE state IN ('queued', 'sending', 'failed') AND updated_at < now() - make_interval(secs => ${leaseSeconds})
             AND (lease_until IS NULL OR lease_until < now())
             AND (state <> 'failed'
                  OR updated_at < now() - make_interval(secs => ${retry.backoffSeconds}::float8 * power(2, least(attempts, ${retry.jobAttempts}::int) - 1)))
           ORDER BY updated_at LIMIT ${limit}`,
    );
    return rows.map((r) => r.id);
  }

  countByState(): Promise<{ state: string; n: number }[]> {
    return run(this.db, sql`SELECT state, count(*)::int AS n FROM notifications GROUP BY state`);
  }

  /** How many rows wait to be emailed, are being sent, failed (to be retried) or gave up: the sent ones are not counted. */
  countUndelivered(): Promise<{ state: 'queued' | 'sending' | 'failed' | 'dead'; n: number }[]> {
    return run(
      this.db,
      sql`SELECT state, count(*)::int AS n FROM notifications WHERE state IN ('queued', 'sending', 'failed', 'dead') GROUP BY state`,
    );
  }

  list(q: NotificationQuery, limit: number): Promise<NotificationView[]> {
    return run(
      this.db,
      sql`SELECT ${VIEW} FROM notifications
          ${where([q.week && sql`week = ${q.week}`, q.kind && sql`kind = ${q.kind}`, q.status && sql`state = ${q.status}`])}
          ORDER BY created_at DESC, kind, scope LIMIT ${limit}`,
    );
  }

  view(id: string): Promise<(NotificationView & { payload: unknown }) | undefined> {
    return one(this.db, sql`SELECT ${VIEW}, payload FROM notifications WHERE id = ${id}`);
  }

  /** A dead row back to `queued` with `extraAttempts` more; undefined when the row is not dead. */
  async requeueDead(tx: EntityManager, id: string, extraAttempts: number): Promise<{ maxAttempts: number } | undefined> {
    const [row] = await runChange<{ maxAttempts: number }>(
      tx,
      sql`UPDATE notifications SET state = 'queued', max_attempts = attempts + ${extraAttempts}, lease_until = NULL, updated_at = now()
           WHERE id = ${id} AND state = 'dead' RETURNING max_attempts AS "maxAttempts"`,
    );
    return row;
  }

  /**
   * New outbox rows, each at most once: the unique key (kind, week, scope, locale) makes a re-run
   * or a racing replica insert nothing. Answers the ids of the rows this call inserted.
   */
  async insertMany(tx: EntityManager, rows: NewNotification[], maxAttempts: number, at: Date): Promise<string[]> {
    if (!rows.length) return [];
    const inserted = await run<{ id: string }>(
      tx,
      sql`INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
          SELECT x.kind, x.week, x.scope, x.locale, x.recipients, x.payload, ${maxAttempts}, ${at}
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(kind text, week text, scope text, locale text, recipients text[], payload jsonb)
          ON CONFLICT (kind, week, scope, locale) DO NOTHING
          RETURNING id`,
    );
    return inserted.map((r) => r.id);
  }

  /** The languages in which an email of this kind, week and scope was already decided. */
  async decidedLocales(tx: EntityManager, kind: NotificationKind, week: string, scope: string): Promise<Set<string>> {
    const rows = await run<{ locale: string }>(
      tx,
      sql`SELECT locale FROM notifications WHERE kind = ${kind} AND week = ${week} AND scope = ${scope}`,
    );
    return new Set(rows.map((r) => r.locale));
  }

  /** Claims a scheduled decision (kind, week, part) for this run; false when another run already took it. */
  async claimPlan(tx: EntityManager, kind: NotificationKind, week: string, part: string, at: Date): Promise<boolean> {
    const rows = await run(
      tx,
      sql`INSERT INTO notification_plans (kind, week, part, decided_at) VALUES (${kind}, ${week}, ${part}, ${at})
          ON CONFLICT DO NOTHING RETURNING week`,
    );
    return rows.length > 0;
  }

  async recordPlanned(tx: EntityManager, kind: NotificationKind, week: string, part: string, created: number): Promise<void> {
    await run(tx, sql`UPDATE notification_plans SET created = ${created} WHERE kind = ${kind} AND week = ${week} AND part = ${part}`);
  }
}
