import { BullModule, InjectQueue } from '@nestjs/bullmq';
import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createPostgresBackend, FlowProducer, Queue, Worker, withBackend } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

export const NOTIFICATIONS_QUEUE = 'notifications';

const QUEUE_REDIS = Symbol('QUEUE_REDIS');

/** Connection errors (Redis down) are logged once per outage, and the recovery too; never thrown from an event emitter. */
@Injectable()
class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('Queue');
  private failing = false;

  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue,
    @Inject(QUEUE_REDIS) private readonly redis: Redis | null,
  ) {}

  onModuleInit(): void {
    const failed = (e: Error) => {
      if (!this.failing) this.logger.warn({ event: 'queue_backend_error', err: e.message }, 'Queue backend unreachable; retrying');
      this.failing = true;
    };
    this.queue.on('error', failed);
    this.redis?.on('error', failed);
    this.redis?.on('ready', () => {
      if (this.failing) this.logger.log({ event: 'queue_backend_ready' }, 'Queue backend reachable again');
      this.failing = false;
    });
  }
}

/** What a worker needs to consume the queues on whichever backend this process uses. */
export interface QueueBackend {
  connection: unknown;
  prefix: string;
  Worker: typeof Worker;
}
export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

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
    // The classes are static on BullModule and captured by registerQueue below: set them on both
    // paths, so processes (or tests) building apps for both backends get the right ones.
    const classes = config.redisUrl ? { Queue, Worker, FlowProducer } : withBackend(createPostgresBackend);
    BullModule.queueClass = classes.Queue as never;
    BullModule.workerClass = classes.Worker as never;
    BullModule.flowProducerClass = classes.FlowProducer as never;
    const WorkerClass = classes.Worker as typeof Worker;
    if (config.redisUrl) {
      // Not lazy: a lazy client whose first connect fails (Redis down at start) ends for good and
      // never reconnects; this one retries until Redis is back.
      connection = redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    } else {
      connection = { connectionString: config.databaseUrl, schema: 'bullmq', migrate: true, max: 5 };
    }
    const backend: QueueBackend = { connection, prefix, Worker: WorkerClass };
    return {
      module: QueueModule,
      imports: [BullModule.forRoot({ connection: connection as never, prefix }), BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE })],
      providers: [
        QueueErrorLogger,
        QueueConnectionCloser,
        { provide: QUEUE_REDIS, useValue: redis },
        { provide: QUEUE_BACKEND, useValue: backend },
      ],
      exports: [BullModule, QUEUE_BACKEND],
    };
  }
}
