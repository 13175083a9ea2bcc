/** The notification feature's Prometheus metrics (registered through `Metrics`). */
export const EMAILS = {
  name: 'mpp_emails_total',
  help: 'Delivery attempts by kind and outcome (sent, failed = will retry, dead = gave up)',
  labelNames: ['kind', 'outcome'] as const,
};
