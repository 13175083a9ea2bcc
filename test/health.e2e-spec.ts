import { TestApp } from './support/app';
import type { Readiness } from './support/answers';

describe('readiness (e2e)', () => {
  it('answers 503 naming the queue when Redis cannot be reached, while liveness stays green', async () => {
    const t = await TestApp.start({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      expect((await t.as().get('/health/live')).status).toBe(200);
      const ready = await t.as().get<Readiness>('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        checks: { database: { status: 'up' }, redis: { status: 'down' }, queue: { status: 'down', backend: 'redis' } },
      });
    } finally {
      await t.close();
    }
  });

  it('in production serves /metrics only to METRICS_TOKEN, and not at all without one', async () => {
    const production = { NODE_ENV: 'production', APP_URL: 'https://mpp.example.go.id' };
    const closed = await TestApp.start({ env: production });
    try {
      const res = await closed.as().get('/metrics');
      expect(res.status).toBe(404);
      expect(res.error).toMatchObject({ statusCode: 404, error: 'not_found' });
    } finally {
      await closed.close();
    }
    const guarded = await TestApp.start({ env: { ...production, METRICS_TOKEN: 'prometheus-scrape-token-2026' } });
    try {
      expect((await guarded.as().get('/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const ok = await guarded.as().get('/metrics', { headers: { authorization: 'Bearer prometheus-scrape-token-2026' } });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });
});
