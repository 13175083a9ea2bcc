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
import { OutboxRepository } from './outbox.repository';

const DEFAULT_LIMIT = 200;

/** Delivery state of every email, for admins and the ministry; and the one manual action, retry. */
@Injectable()
export class NotificationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly dispatcher: OutboxDispatcher,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly audit: AuditLog,
  ) {}

  onModuleInit(): void {
    const outbox = this.outbox;
    // Read at scrape time from the outbox, so every replica reports the same truth.
    new Gauge({
      name: 'mpp_notifications',
      help: 'Emails in the outbox by state (alert on dead > 0, or queued/failed growing)',
      labelNames: ['state'] as const,
      registers: [this.metrics.registry],
      async collect() {
        const rows = await outbox.countByState();
        for (const state of NOTIFICATION_STATES) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
      },
    });
  }

  list(query: NotificationQuery): Promise<NotificationView[]> {
    return this.outbox.list(query, query.limit ?? DEFAULT_LIMIT);
  }

  async get(id: string): Promise<NotificationView & { payload: unknown }> {
    const row = await this.outbox.view(id);
    if (!row) throw AppError.notFound('Notification');
    return row;
  }

  /** A dead email gets a fresh set of attempts and goes back to the queue. */
  async retry(id: string): Promise<NotificationView> {
    const retried = await this.db.transaction(async (tx) => {
      const requeued = await this.outbox.requeueDead(tx, id, this.config.notify.maxAttempts);
      if (requeued)
        await this.audit.record(
          tx,
          'notification.retry',
          'notification',
          id,
          { state: 'dead' },
          { state: 'queued', maxAttempts: requeued.maxAttempts },
        );
      return requeued !== undefined;
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
