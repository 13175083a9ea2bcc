import { TestApp } from './support/app';

describe('readiness (e2e)', () => {
  it('answers 503 naming the queue when Redis cannot be reached, while liveness stays green', async () => {
    const t = await TestApp.start({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      expect((await t.request('GET', '/health/live')).status).toBe(200);
      const ready = await t.request('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        checks: { database: { status: 'up' }, redis: { status: 'down' }, queue: { status: 'down', backend: 'redis' } },
      });
    } finally {
      await t.close();
    }
  });
});
