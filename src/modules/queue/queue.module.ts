import { BullModule, InjectQueue } from '@nestjs/bullmq';
import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createPostgresBackend, Queue, withBackend } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

export const NOTIFICATIONS_QUEUE = 'notifications';

/** Connection errors (Redis down) are logged once per outage, not thrown from an event emitter. */
@Injectable()
class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('Queue');
  private failing = false;

  constructor(@InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue) {}

  onModuleInit(): void {
    this.queue.on('error', (e: Error) => {
      if (!this.failing) this.logger.warn({ event: 'queue_backend_error', err: e.message }, 'Queue backend unreachable; retrying');
      this.failing = true;
    });
  }
}

const QUEUE_REDIS = Symbol('QUEUE_REDIS');

/** BullMQ does not close a connection it was handed; without this a dead Redis is retried forever. */
@Injectable()
class QueueConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_REDIS) private readonly redis: Redis | null) {}

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}

/**
 * BullMQ on Redis when REDIS_URL is set (scale), else on BullMQ's PostgreSQL backend in the app's
 * own database (one-box default). Queues and workers are the same code on both.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    // Queues of different deployments (or test databases) sharing one Redis must not mix.
    const prefix = `mpp:${new URL(config.databaseUrl).pathname.slice(1) || 'default'}`;
    let connection: unknown;
    let redis: Redis | null = null;
    if (config.redisUrl) {
      connection = redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    } else {
      const pg = withBackend(createPostgresBackend);
      BullModule.queueClass = pg.Queue as never;
      BullModule.workerClass = pg.Worker as never;
      BullModule.flowProducerClass = pg.FlowProducer as never;
      connection = { connectionString: config.databaseUrl, schema: 'bullmq', migrate: true, max: 5 };
    }
    return {
      module: QueueModule,
      imports: [BullModule.forRoot({ connection: connection as never, prefix }), BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE })],
      providers: [QueueErrorLogger, QueueConnectionCloser, { provide: QUEUE_REDIS, useValue: redis }],
      exports: [BullModule],
    };
  }
}
