import { FixedClock } from '../src/common/clock';
import { ADMIN, PASSWORD, TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { createTestDatabase, dropTestDatabase } from './support/database';
import { AppProcess } from './support/processes';

describe('hardening (e2e)', () => {
  describe('account lockout backs off', () => {
    const clock = new FixedClock(new Date('2026-11-27T01:00:00Z'));
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ clock });
    });
    afterAll(() => t.close());

    const attempt = (email: string, password: string, n: number) =>
      t.request('POST', '/api/v1/auth/login', { body: { email, password }, ip: `10.9.${Math.floor(n / 200)}.${n % 200}` });

    it('locks 15 minutes after 10 failures, then for the rest of the day after 30', async () => {
      const admin = await t.adminToken();
      const victim = await createUser(t, admin, { role: 'ministry' });
      let n = 0;
      for (let window = 0; window < 3; window++) {
        for (let i = 0; i < 10; i++) expect((await attempt(victim.email, 'Tebakan-Salah-2026', n++)).status).toBe(401);
        const locked = await attempt(victim.email, PASSWORD, n++);
        expect(locked.status).toBe(429);
        expect(locked.body).toMatchObject({ statusCode: 429, error: 'rate_limited' });
        if (window < 2) {
          expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
          clock.advance(15 * 60_000); // the next 15-minute window
        }
      }
      // 30 failures today: a new 15-minute window does not help any more…
      clock.advance(15 * 60_000);
      const stillLocked = await attempt(victim.email, PASSWORD, n++);
      expect(stillLocked.status).toBe(429);
      expect(Number(stillLocked.headers['retry-after'])).toBeGreaterThan(900);
      // …the next day does, and the right password works again.
      clock.set('2026-11-28T00:00:30Z');
      expect((await attempt(victim.email, PASSWORD, n)).status).toBe(200);
    });
  });

  describe('write rate limit and CORS', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({
        clock: new FixedClock(new Date('2026-11-27T03:00:00Z')),
        env: { WRITE_RATE_LIMIT: '5', CORS_ORIGINS: 'https://dashboard.menpan.go.id' },
      });
    });
    afterAll(() => t.close());

    it('answers 429 in the error shape once a credential made its writes for the minute; reads and others go on', async () => {
      const admin = await t.adminToken();
      const mpp = await createMpp(t, admin, {}); // 1 write by the admin
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] }); // 2
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (
            await t.request('PUT', `/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, {
              token: manager.token,
              body: checkInBody({ visitors: 100 + i }),
            })
          ).status,
        );
      }
      expect(statuses).toEqual([201, 200, 200, 200, 200]);
      const limited = await t.request('PUT', `/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, {
        token: manager.token,
        body: checkInBody({ visitors: 999 }),
      });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'rate_limited', message: expect.any(String) });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t.sql(`SELECT visitors FROM check_ins`))[0].visitors).toBe(104); // the refused write changed nothing
      expect((await t.request('GET', `/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, { token: manager.token })).status).toBe(200);
      expect(
        (await t.request('POST', '/api/v1/holidays', { token: admin, body: { date: '2027-01-02', kind: 'national', name: 'Libur uji' } }))
          .status,
      ).toBe(201);
    });

    it('allows only the configured origin', async () => {
      const allowed = await t.request('OPTIONS', '/api/v1/mpps', {
        headers: { origin: 'https://dashboard.menpan.go.id', 'access-control-request-method': 'GET' },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.menpan.go.id');
      const other = await t.request('GET', '/health/live', { headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('writes no password, token or session cookie to the logs, even at debug level', async () => {
    const databaseUrl = await createTestDatabase();
    const app = await AppProcess.start({
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'debug',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    try {
      const login = await fetch(`${app.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      await fetch(`${app.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.email, password: 'Salah-Sekali-2026' }),
      });
      await fetch(`${app.url}/api/v1/mpps`, { headers: { authorization: `Bearer ${accessToken}` } });
      await fetch(`${app.url}/check-in`, { headers: { cookie: `mpp_session=${accessToken}` } });
      // A reminder's link carries its secret in the path.
      const link = 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJjaGVja19pbl9saW5rIn0.LinkSignaturePart0123';
      await fetch(`${app.url}/c/${link}?saved=1`);
      await fetch(`${app.url}/api/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'x@y.id', name: 'X', password: 'pendek', role: 'ministry' }),
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(app.output).toContain('"url":"/api/v1/mpps"'); // the requests were logged…
      expect(app.output).toContain('"url":"/c/[redacted]?saved=1"');
      expect(app.output).toContain('[redacted]');
      for (const secret of [
        accessToken,
        accessToken.split('.')[2],
        ADMIN.password,
        'Salah-Sekali-2026',
        'pendek',
        'test-secret-0123456789',
        'LinkSignaturePart0123',
      ]) {
        expect(app.output).not.toContain(secret); // …without their secrets
      }
    } finally {
      await app.kill();
      await dropTestDatabase(databaseUrl);
    }
  }, 60_000);
});
