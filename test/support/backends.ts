export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The notification suites run on both queue backends: Redis, and BullMQ's PostgreSQL backend. */
export const BACKENDS: ['redis' | 'postgres', Record<string, string>][] = [
  ['redis', { REDIS_URL }],
  ['postgres', { REDIS_URL: '' }],
];

export const APP_URL = 'https://mpp.example.go.id';
