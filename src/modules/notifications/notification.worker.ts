import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Job, Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { NOTIFICATIONS_QUEUE, QUEUE_BACKEND, QueueBackend } from '../queue/queue.module';
import { LegacyNotificationJob, NotificationJob, rowsOfJob } from './notification.types';
import { NotificationSender } from './notification.sender';
import { OutboxDispatcher } from './outbox.dispatcher';

export const SWEEP_INTERVAL = 'notifications-sweep';

/**
 * The consuming side, in worker processes only: a BullMQ worker delivering batches of outbox rows, and a
 * sweep every lease period that re-offers rows whose job went missing.
 */
@Injectable()
export class NotificationWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationWorker.name);
  private worker?: Worker<NotificationJob | LegacyNotificationJob>;
  private sweeping = false;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
    private readonly sender: NotificationSender,
    private readonly dispatcher: OutboxDispatcher,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const { concurrency, leaseMs } = this.config.notify;
    this.worker = new this.backend.Worker<NotificationJob | LegacyNotificationJob>(
      NOTIFICATIONS_QUEUE,
      (job: Job<NotificationJob | LegacyNotificationJob>) => this.sender.deliver(rowsOfJob(job.data)),
      {
        connection: this.backend.connection as never,
        prefix: this.backend.prefix,
        // As many jobs at once as sending slots: a job may hold a single row (a receipt, a retry, a
        // job from before batching), and those must not wait behind each other. The sender's
        // semaphore bounds the emails in flight; rows left waiting are given back (sendBy).
        concurrency,
        // A killed worker's job is taken up again after one lease, like the row's own lease.
        lockDuration: leaseMs,
        stalledInterval: leaseMs,
        maxStalledCount: 3,
      },
    );
    this.worker.on('error', (e) => this.logger.warn({ event: 'worker_error', err: e.message }, 'Notification worker error'));
    this.scheduler.addInterval(
      SWEEP_INTERVAL,
      setInterval(() => void this.sweep(), leaseMs),
    );
    void this.sweep();
  }

  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      return await this.dispatcher.sweep();
    } catch (e) {
      this.logger.warn({ event: 'sweep_failed', err: (e as Error).message }, 'Outbox sweep failed; retrying next period');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  /** Graceful: waits for the emails being sent to finish (and be recorded). */
  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', SWEEP_INTERVAL)) this.scheduler.deleteInterval(SWEEP_INTERVAL);
    await this.worker?.close();
  }
}
