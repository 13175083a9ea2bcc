import { FixedClock } from '../src/common/clock';
import { ADMIN, PASSWORD, TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { createTestDatabase, dropTestDatabase } from './support/database';
import { AppProcess } from './support/processes';
import type { LoginResult } from '../src/modules/auth/auth.dto';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { Holiday } from './support/answers';

describe('hardening (e2e)', () => {
  describe('account lockout backs off', () => {
    const clock = new FixedClock(new Date('2026-11-27T01:00:00Z'));
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ clock });
    });
    afterAll(() => t.close());

    const from = (email: string, password: string, ip: string) =>
      t.as().post<LoginResult>('/api/v1/auth/login', { email, password }, { ip });

    it('slows guessing from one address down (10, then one try every 90 s) and never locks the account for a day', async () => {
      const admin = await t.adminToken();
      const victim = await createUser(t, admin, { role: 'ministry' });
      for (let i = 0; i < 10; i++) expect((await from(victim.email, 'Tebakan-Salah-2026', '10.9.0.1')).status).toBe(401);
      const locked = await from(victim.email, PASSWORD, '10.9.0.1');
      expect(locked.status).toBe(429);
      expect(locked.error).toMatchObject({ statusCode: 429, error: 'rate_limited' });
      expect(locked.headers['retry-after']).toBe('90');
      // 90 s later one more try, then the wait again: the delay grows with the guessing.
      clock.advance(90_000);
      expect((await from(victim.email, 'Tebakan-Salah-2026', '10.9.0.1')).status).toBe(401);
      expect((await from(victim.email, PASSWORD, '10.9.0.1')).status).toBe(429);
      // 30 failures in all: 15 minutes later the address may try again (no day-long lock).
      for (let round = 0; round < 19; round++) {
        clock.advance(90_000);
        await from(victim.email, 'Tebakan-Salah-2026', '10.9.0.1');
      }
      clock.advance(15 * 60_000);
      expect((await from(victim.email, PASSWORD, '10.9.0.1')).status).toBe(200);
    });

    it('a clock that went back days (a restored snapshot) does not lock an address for days', async () => {
      const admin = await t.adminToken();
      const victim = await createUser(t, admin, { role: 'ministry' });
      const now = clock.now().getTime();
      for (let i = 0; i < 10; i++) await from(victim.email, 'Tebakan-Salah-2026', '10.9.4.1');
      expect((await from(victim.email, PASSWORD, '10.9.4.1')).status).toBe(429);
      clock.set(new Date(now - 3 * 86400_000).toISOString());
      expect((await from(victim.email, PASSWORD, '10.9.4.1')).status).toBe(200);
      clock.set(new Date(now).toISOString());
    });

    it('counts each attempt before checking the password: 15 concurrent guesses, only 10 reach it', async () => {
      const admin = await t.adminToken();
      const victim = await createUser(t, admin, { role: 'ministry' });
      const statuses = await Promise.all(Array.from({ length: 15 }, () => from(victim.email, 'Tebakan-Salah-2026', '10.9.1.1')));
      expect(statuses.map((r) => r.status).sort()).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
      expect(
        await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login_failed' AND after->>'email' = $1`, [victim.email]),
      ).toEqual([{ n: 10 }]);
    });

    it('an admin unlock lifts the delay at once, and is audited', async () => {
      const admin = await t.adminToken();
      const victim = await createUser(t, admin, { role: 'ministry' });
      for (let i = 0; i < 10; i++) await from(victim.email, 'Tebakan-Salah-2026', '10.9.2.1');
      expect((await from(victim.email, PASSWORD, '10.9.2.1')).status).toBe(429);
      const manager = await t.as(await t.login(victim.email)).post(`/api/v1/users/${victim.id}/unlock`);
      expect(manager.status).toBe(403);
      const unlock = await t.as(admin).post(`/api/v1/users/${victim.id}/unlock`);
      expect(unlock.status).toBe(204);
      expect((await from(victim.email, PASSWORD, '10.9.2.1')).status).toBe(200);
      expect(await t.sql(`SELECT action, after->>'email' AS email FROM audit_log WHERE action = 'user.unlock'`)).toEqual([
        { action: 'user.unlock', email: victim.email },
      ]);
    });

    it('ignores X-Forwarded-For and X-Request-Id from a client when no proxy is trusted', async () => {
      for (let i = 0; i < 60; i++) {
        const res = await t
          .as()
          .post<LoginResult>(
            '/api/v1/auth/login',
            { email: `semprot${i}@mpp-monitor.test`, password: PASSWORD },
            { headers: { 'x-forwarded-for': `172.16.0.${i}`, 'x-request-id': 'pilihan-klien' }, ip: '10.9.3.1' },
          );
        expect(res.status).toBe(401);
      }
      const blocked = await t
        .as()
        .post<LoginResult>(
          '/api/v1/auth/login',
          { email: 'semprot-lagi@mpp-monitor.test', password: PASSWORD },
          { headers: { 'x-forwarded-for': '172.16.9.9' }, ip: '10.9.3.1' },
        );
      expect(blocked.status).toBe(429);
      expect(await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE request_id = 'pilihan-klien'`)).toEqual([{ n: 0 }]);
      expect(await t.sql(`SELECT DISTINCT ip FROM audit_log WHERE after->>'email' LIKE 'semprot%'`)).toEqual([{ ip: '10.9.3.1' }]);
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
          (await t.as(manager.token).put<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, checkInBody({ visitors: 100 + i })))
            .status,
        );
      }
      expect(statuses).toEqual([201, 200, 200, 200, 200]);
      const limited = await t
        .as(manager.token)
        .put<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, checkInBody({ visitors: 999 }));
      expect(limited.status).toBe(429);
      expect(limited.error).toMatchObject({ statusCode: 429, error: 'rate_limited', message: expect.any(String) });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t.sql(`SELECT visitors FROM check_ins`))[0].visitors).toBe(104); // the refused write changed nothing
      expect((await t.as(manager.token).get<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`)).status).toBe(200);
      expect(
        (await t.as(admin).post<Holiday>('/api/v1/holidays', { date: '2027-01-02', kind: 'national', name: 'Libur uji' })).status,
      ).toBe(201);
    });

    it('allows only the configured origin', async () => {
      const allowed = await t.raw('OPTIONS', '/api/v1/mpps', {
        headers: { origin: 'https://dashboard.menpan.go.id', 'access-control-request-method': 'GET' },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.menpan.go.id');
      const other = await t.as().get('/health/live', { headers: { origin: 'https://evil.example' } });
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
      // …each line naming the process's role (APP_MODE), request lines and the app's own alike
      // (the lines before the logger starts, such as the migrations', are Nest's own: no `msg`)
      // Complete lines only: the process may still be writing its last one.
      const lines = app.output
        .slice(0, app.output.lastIndexOf('\n'))
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { mode?: string; msg?: string; context?: string })
        .filter((l) => l.msg !== undefined);
      expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({ mode: 'all' });
      expect(lines.find((l) => l.context !== undefined)).toMatchObject({ mode: 'all' });
      expect(lines.filter((l) => l.mode !== 'all')).toEqual([]);
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
