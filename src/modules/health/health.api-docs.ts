import type { OperationDoc } from '../../common/http/api-doc';

/** The OpenAPI text of health.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const HEALTH_API = {
  live: {
    summary: 'Liveness',
    description: 'Anyone, no token. 200 while the process runs. Read only.',
    response: {
      status: 'ok',
    },
    public: true,
    errors: [],
  },
  ready: {
    summary: 'Readiness',
    description:
      'Anyone, no token. 200 when PostgreSQL (and Redis when used) answer and the queue does a round trip, 503 otherwise, with each check. Read only.',
    response: {
      status: 'ok',
      checks: {
        database: {
          status: 'up',
          latencyMs: 3,
          embedded: false,
          outbox: {
            queued: 1,
            sending: 0,
            failed: 0,
            dead: 0,
          },
        },
        redis: {
          status: 'up',
          latencyMs: 16,
        },
        queue: {
          status: 'up',
          latencyMs: 1,
          backend: 'redis',
        },
      },
    },
    public: true,
    errors: [],
  },
} satisfies Record<string, OperationDoc>;
