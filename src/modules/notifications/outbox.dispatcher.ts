import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { withTimeout } from '../../common/timeout';
import { AppConfig } from '../../config/app-config';
import { NOTIFICATIONS_QUEUE } from '../queue/queue.module';
import { jobIdOf, NOTIFICATION_JOB, NotificationJob } from './notification.types';
import { OutboxRepository } from './outbox.repository';

/** Rows re-offered to the queue per sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 1000;
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves outbox rows into BullMQ. A job's id is derived from its row and jobs are removed once
 * finished, so adding a row again is a no-op while its job lives and recreates it when the job
 * was lost (Redis restarted, a worker died past BullMQ's stall limit). That makes both the
 * immediate dispatch after a decision and the periodic sweep safe on any number of replicas.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger(OutboxDispatcher.name);

  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue<NotificationJob>,
    private readonly outbox: OutboxRepository,
    private readonly config: AppConfig,
  ) {}

  /** Never throws: rows that could not be queued stay in the outbox for the sweep. */
  async dispatch(ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const { maxAttempts, backoffMs } = this.config.notify;
    try {
      await withTimeout(
        this.queue.addBulk(
          ids.map((id) => ({
            name: NOTIFICATION_JOB,
            data: { notificationId: id },
            opts: {
              jobId: jobIdOf(id),
              attempts: maxAttempts,
              backoff: { type: 'exponential', delay: backoffMs },
              removeOnComplete: true,
              removeOnFail: true,
            },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
        'enqueue',
      );
      return ids.length;
    } catch (e) {
      this.logger.warn(
        { event: 'enqueue_failed', count: ids.length, err: (e as Error).message },
        'Queue unavailable; the outbox keeps the emails for the next sweep',
      );
      return 0;
    }
  }

  /**
   * Re-offers rows that have not moved for a lease period: queued ones whose dispatch failed,
   * and sending/failed ones whose job may have been lost.
   */
  async sweep(): Promise<number> {
    return this.dispatch(await this.outbox.stale(this.config.notify.leaseMs / 1000, SWEEP_BATCH));
  }
}
