/** The check-in feature's Prometheus metrics (registered through `Metrics`). */
export const CHECK_INS = {
  name: 'mpp_check_ins_total',
  help: 'Check-in submissions by outcome (created, revised, unchanged) and lateness',
  labelNames: ['outcome', 'late'] as const,
};

export const CHECK_IN_BATCH_SIZE = {
  name: 'mpp_check_in_batch_size',
  help: 'Check-ins committed together in one transaction (group commit); 1 when the API is idle',
  buckets: [1, 2, 5, 10, 20, 50, 100],
};
