/** The cycle feature's Prometheus metrics (registered through `Metrics`). */
export const EVALUATION_DURATION = {
  name: 'mpp_evaluation_duration_seconds',
  help: 'Time to evaluate a cycle (scope=all) or some MPPs after a late check-in (scope=mpps)',
  labelNames: ['scope'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
};

export const CYCLES_OVERDUE = {
  name: 'mpp_cycles_overdue',
  help: 'Cycles past their evaluation time and not evaluated, after the last scheduler tick (alert when > 0 for long)',
};
