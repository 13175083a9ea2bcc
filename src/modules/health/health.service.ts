import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { withTimeout } from '../../common/timeout';
import { AppConfig } from '../../config/app-config';
import { NOTIFICATIONS_QUEUE } from '../queue/queue.module';
import { CyclesRepository } from '../cycles/cycles.repository';
import { OutboxRepository } from '../notifications/outbox.repository';

export interface CheckResult {
  status: 'up' | 'down';
  latencyMs?: number;
  error?: string;
  [extra: string]: unknown;
}

export interface Readiness {
  status: 'ok' | 'error';
  checks: Record<string, CheckResult>;
}

/** Readiness: PostgreSQL, Redis when it is the queue backend, and BullMQ itself. Each check is bounded in time. */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private redis?: Redis;

  constructor(
    // Only to ping the database (SELECT 1): what it holds is read through the owners' repositories.
    @InjectDataSource() private readonly db: DataSource,
    private readonly cycles: CyclesRepository,
    private readonly outbox: OutboxRepository,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    if (config.redisUrl) {
      // No offline queue: a ping while Redis is down must fail now, not wait for a reconnect.
      this.redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      this.redis.on('error', () => undefined);
    }
  }

  async readiness(options: { detail: boolean } = { detail: true }): Promise<Readiness> {
    const checks: Record<string, CheckResult> = {
      database: await timed(() => this.db.query('SELECT 1'), { embedded: this.config.embeddedPostgres }),
    };
    if (this.redis) {
      const redis = this.redis;
      checks.redis = await timed(async () => {
        if (redis.status === 'wait' || redis.status === 'end') await redis.connect().catch(() => undefined);
        await redis.ping();
      });
    }
    // A real round trip through BullMQ on whichever backend it runs.
    checks.queue = { ...(await timed(() => this.queue.getJobCounts('waiting', 'active', 'failed'))), backend: this.config.queueBackend };
    const status = Object.values(checks).every((c) => c.status === 'up') ? 'ok' : 'error';
    // Informational (never makes the probe fail): what is waiting to be emailed, and what gave up.
    if (options.detail && checks.database.status === 'up') {
      const rows = await this.outbox.countUndelivered().catch(() => []);
      // Weeks past their evaluation time and not evaluated (a scheduler outage being caught up, or stuck).
      checks.database.cyclesOverdue = await this.cycles.overdueCount(this.clock.now()).catch(() => null);
      checks.database.outbox = Object.fromEntries(
        ['queued', 'sending', 'failed', 'dead'].map((s) => [s, rows.find((r) => r.state === s)?.n ?? 0]),
      );
    }
    return { status, checks };
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }
}

async function timed(fn: () => Promise<unknown>, extra: Record<string, unknown> = {}, timeoutMs = 2000): Promise<CheckResult> {
  const started = performance.now();
  try {
    await withTimeout(fn(), timeoutMs, 'check');
    return { status: 'up', latencyMs: Math.round(performance.now() - started), ...extra };
  } catch (e) {
    return { status: 'down', error: (e as Error).message, ...extra };
  }
}
