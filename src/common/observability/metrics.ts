import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus registry of this process: Node defaults plus HTTP timings; features add their own. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly evaluationDuration = new Histogram({
    name: 'mpp_evaluation_duration_seconds',
    help: 'Time to evaluate a cycle (scope=all) or some MPPs after a late check-in (scope=mpps)',
    labelNames: ['scope'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly checkIns = new Counter({
    name: 'mpp_check_ins_total',
    help: 'Check-in submissions by outcome (created, revised, unchanged) and lateness',
    labelNames: ['outcome', 'late'] as const,
    registers: [this.registry],
  });
  readonly checkInBatchSize = new Histogram({
    name: 'mpp_check_in_batch_size',
    help: 'Check-ins committed together in one transaction (group commit); 1 when the API is idle',
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [this.registry],
  });
  readonly cyclesOverdue = new Gauge({
    name: 'mpp_cycles_overdue',
    help: 'Cycles past their evaluation time and not evaluated, after the last scheduler tick (alert when > 0 for long)',
    registers: [this.registry],
  });

  readonly emails = new Counter({
    name: 'mpp_emails_total',
    help: 'Delivery attempts by kind and outcome (sent, failed = will retry, dead = gave up)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
