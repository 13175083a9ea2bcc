/** Set by the global setup (test/setup/global-setup.mjs), which finds or starts a Redis. */
export const REDIS_URL = process.env.REDIS_URL!;

/** The notification suites run on both queue backends: Redis, and BullMQ's PostgreSQL backend. */
export const BACKENDS: ['redis' | 'postgres', Record<string, string>][] = [
  ['redis', { REDIS_URL }],
  ['postgres', { REDIS_URL: '' }],
];

export const APP_URL = 'https://mpp.example.go.id';
