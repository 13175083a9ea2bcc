import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors';
import { Metrics } from '../../common/observability/metrics';
import { AppConfig } from '../../config/app-config';
import { NOTIFICATION_STATES } from './notification.types';
import { NotificationQuery, NotificationView } from './notifications.dto';
import { OutboxDispatcher } from './outbox.dispatcher';
import { NotificationErrorCode } from './notification.errors';

const VIEW_COLUMNS = `id, kind, week, scope, locale, recipients, state AS status, attempts, max_attempts AS "maxAttempts", subject,
  message_id AS "messageId", last_error AS "lastError", created_at AS "createdAt", updated_at AS "updatedAt", sent_at AS "sentAt"`;

/** Delivery state of every email, for admins and the ministry; and the one manual action, retry. */
@Injectable()
export class NotificationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispatcher: OutboxDispatcher,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly audit: AuditLog,
  ) {}

  onModuleInit(): void {
    const db = this.db;
    // Read at scrape time from the outbox, so every replica reports the same truth.
    new Gauge({
      name: 'mpp_notifications',
      help: 'Emails in the outbox by state (alert on dead > 0, or queued/failed growing)',
      labelNames: ['state'] as const,
      registers: [this.metrics.registry],
      async collect() {
        const rows: { state: string; n: number }[] = await db.query(`SELECT state, count(*)::int AS n FROM notifications GROUP BY state`);
        for (const state of NOTIFICATION_STATES) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
      },
    });
  }

  list(query: NotificationQuery): Promise<NotificationView[]> {
    return this.db.query(
      `SELECT ${VIEW_COLUMNS} FROM notifications
        WHERE ($1::text IS NULL OR week = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR state = $3)
        ORDER BY created_at DESC, kind, scope LIMIT $4`,
      [query.week ?? null, query.kind ?? null, query.status ?? null, query.limit ?? 200],
    );
  }

  async get(id: string): Promise<NotificationView & { payload: unknown }> {
    const [row] = await this.db.query(`SELECT ${VIEW_COLUMNS}, payload FROM notifications WHERE id = $1`, [id]);
    if (!row) throw AppError.notFound('Notification');
    return row;
  }

  /** A dead email gets a fresh set of attempts and goes back to the queue. */
  async retry(id: string): Promise<NotificationView> {
    const retried = await this.db.transaction(async (tx) => {
      const [rows] = await tx.query(
        `UPDATE notifications SET state = 'queued', max_attempts = attempts + $2, lease_until = NULL, updated_at = now()
          WHERE id = $1 AND state = 'dead' RETURNING id, attempts, max_attempts AS "maxAttempts"`,
        [id, this.config.notify.maxAttempts],
      );
      if (rows.length)
        await this.audit.record(
          tx,
          'notification.retry',
          'notification',
          id,
          { state: 'dead' },
          { state: 'queued', maxAttempts: rows[0].maxAttempts },
        );
      return rows.length > 0;
    });
    if (!retried) {
      const current = await this.get(id);
      throw AppError.conflict(
        `Only dead notifications can be retried; this one is ${current.status}`,
        NotificationErrorCode.InvalidTransition,
      );
    }
    await this.dispatcher.dispatch([id]);
    const { payload: _payload, ...view } = await this.get(id);
    return view;
  }
}
