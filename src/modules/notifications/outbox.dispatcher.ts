import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { withTimeout } from '../../common/timeout';
import { AppConfig } from '../../config/app-config';
import { NOTIFICATIONS_QUEUE } from '../queue/queue.module';
import { jobIdOf, NOTIFICATION_JOB, NotificationJob, ROWS_PER_JOB } from './notification.types';
import { OutboxRepository } from './outbox.repository';

/**
 * Rows re-offered to the queue per sweep (one per lease period); the next sweep takes the rest.
 * 5,000 is 200 jobs, delivered by one worker in 7-17 s on the fan-out bench, well within the 60 s
 * lease, so a sweep does not re-offer rows still waiting in the queue from the one before
 * (18,000 lost dispatches: 4 sweeps, where 1,000 a sweep took 18).
 */
const SWEEP_BATCH = 5000;
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves outbox rows into BullMQ, up to ROWS_PER_JOB rows per job. A job's id is derived from its
 * rows (sorted first, so the same rows make the same jobs whoever offers them) and jobs are removed
 * once finished, so adding rows again is a no-op while their job lives and recreates it when the job
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
          chunks([...ids].sort(), ROWS_PER_JOB).map((notificationIds) => ({
            name: NOTIFICATION_JOB,
            data: { notificationIds },
            opts: {
              jobId: jobIdOf(notificationIds),
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
    const { leaseMs, backoffMs, maxAttempts } = this.config.notify;
    return this.dispatch(
      await this.outbox.stale(leaseMs / 1000, { backoffSeconds: backoffMs / 1000, jobAttempts: maxAttempts }, SWEEP_BATCH),
    );
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
