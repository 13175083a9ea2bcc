import { Client } from 'pg';
import type { ErrorBody } from '../src/common/error.filter';
import type { LoginResult } from '../src/modules/auth/auth.dto';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import { ADMIN, PASSWORD } from './support/app';
import { createTestDatabase, dropTestDatabase } from './support/database';
import { checkInBody } from './support/factories';
import { FAST } from './support/outbox';
import { AppProcess, PostgresProcess, RedisProcess } from './support/processes';
import { TestSmtpServer, waitUntil } from './support/smtp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An answer over real HTTP: `body` is null for a refused connection (status 0) or an empty body; `error` the contract's error body. */
interface Answer<T> {
  status: number;
  body: T | null;
  error?: ErrorBody;
}

/** JSON over real HTTP to an app process; a refused connection is status 0. */
async function call<T>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<Answer<T>> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    return { status: res.status, body: parsed as T | null, ...(res.status >= 400 && parsed ? { error: parsed as ErrorBody } : {}) };
  } catch {
    return { status: 0, body: null };
  }
}

/** Seeds `n` MPPs across zones with a manager each, through the API; answers their ids and tokens. */
async function seed(base: string, n: number): Promise<{ admin: string; managers: { mppId: string; token: string }[] }> {
  const admin = (await call<LoginResult>(base, 'POST', '/api/v1/auth/login', undefined, ADMIN)).body!.accessToken;
  const regencies = ['53.71', '36.02', '91.03', '51.08', '11.04', '72.06'];
  const managers = [];
  for (let i = 0; i < n; i++) {
    const mpp = await call<MppView>(base, 'POST', '/api/v1/mpps', admin, {
      regencyCode: regencies[i % regencies.length],
      name: `MPP Gangguan ${i}`,
      inauguratedOn: '2023-01-01',
      channels: ['direct'],
      tenants: [
        { name: 'Polres', services: ['SKCK'] },
        { name: 'Disdukcapil', services: ['KTP-el'] },
      ],
    });
    const email = `pengelola${i}@gangguan.test`;
    expect(
      (
        await call(base, 'POST', '/api/v1/users', admin, {
          email,
          name: `Pengelola ${i}`,
          password: PASSWORD,
          role: 'manager',
          mppIds: [mpp.body!.id],
        })
      ).status,
    ).toBe(201);
    managers.push({
      mppId: mpp.body!.id,
      token: (await call<LoginResult>(base, 'POST', '/api/v1/auth/login', undefined, { email, password: PASSWORD })).body!.accessToken,
    });
  }
  return { admin, managers };
}

describe('PostgreSQL restarted while check-ins are being submitted (e2e, OS processes)', () => {
  it('keeps every acknowledged check-in exactly once; readiness goes red, then green', async () => {
    const pg = await PostgresProcess.start();
    const app = await AppProcess.start({
      APP_MODE: 'api',
      DATABASE_URL: pg.url,
      REDIS_URL: '',
      TEST_NOW: '2026-11-27T03:00:00Z',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    try {
      const { managers } = await seed(app.url, 8);
      const acknowledged = new Map<string, { revision: number; visitors: number }[]>();
      let stop = false;
      let failures = 0;
      const outageAnswers = new Set<string>();
      const clients = managers.map(async (m) => {
        acknowledged.set(m.mppId, []);
        for (let i = 0; !stop; i++) {
          const body = checkInBody({ visitors: 10_000 + i });
          // A client retries the same report until it is acknowledged (its retry is not a second revision).
          for (;;) {
            const res = await call<CheckInView>(app.url, 'PUT', `/api/v1/mpps/${m.mppId}/check-ins/2026-W48`, m.token, body);
            if (res.status === 200 || res.status === 201) {
              acknowledged.get(m.mppId)!.push({ revision: res.body!.revision, visitors: res.body!.visitors });
              break;
            }
            expect(res.status === 0 || res.status >= 500).toBe(true);
            if (res.error?.error) outageAnswers.add(`${res.status} ${res.error.error}`);
            failures++;
            await sleep(100);
          }
        }
      });

      await sleep(1500);
      await pg.stop();
      await waitUntil(
        async () => (await call(app.url, 'GET', '/health/ready')).status === 503,
        15_000,
        () => 'readiness red',
      );
      await sleep(1500);
      await pg.resume();
      await waitUntil(
        async () => (await call(app.url, 'GET', '/health/ready')).status === 200,
        30_000,
        () => 'readiness green again',
      );
      await sleep(1500);
      stop = true;
      await Promise.all(clients);

      expect(failures).toBeGreaterThan(0); // the outage was felt…
      expect([...outageAnswers]).toEqual(['503 service_unavailable']); // …as "try again shortly", never a 500
      const db = new Client({ connectionString: pg.url });
      await db.connect();
      try {
        let total = 0;
        for (const [mppId, acks] of acknowledged) {
          const { rows } = await db.query(`SELECT revision, visitors FROM check_in_revisions WHERE mpp_id = $1 ORDER BY revision`, [mppId]);
          // Every acknowledged revision is stored as acknowledged; no report is stored twice.
          for (const ack of acks) expect(rows.find((r) => r.revision === ack.revision)).toEqual(ack);
          expect(new Set(rows.map((r) => r.visitors)).size).toBe(rows.length);
          expect(rows.map((r) => r.revision)).toEqual(rows.map((_, i) => i + 1));
          expect(acks.length).toBeGreaterThan(1);
          total += acks.length;
        }
        expect(total).toBeGreaterThan(16);
      } finally {
        await db.end();
      }
    } finally {
      await app.kill();
      await pg.stop();
    }
  }, 180_000);
});

describe('graceful shutdown (e2e, OS processes)', () => {
  it('SIGTERM lets in-flight requests and the email being sent finish; SIGKILL loses nothing acknowledged', async () => {
    const smtp = await TestSmtpServer.start();
    const pg = { url: await createTestDatabase() };
    const env = {
      APP_MODE: 'all',
      DATABASE_URL: pg.url,
      REDIS_URL: '',
      SMTP_URL: smtp.url,
      TEST_NOW: '2026-11-27T03:00:00Z',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      NOTIFY_CONCURRENCY: '1',
      ...FAST,
    };
    let app = await AppProcess.start(env);
    try {
      const { managers } = await seed(app.url, 20);
      const db = new Client({ connectionString: pg.url });
      await db.connect();
      try {
        // An email the worker is sending when SIGTERM arrives: the SMTP server takes 1.5 s to accept it.
        smtp.script.push({ delayMs: 1500 });
        await db.query(`INSERT INTO notifications (kind, week, scope, locale, recipients, payload, max_attempts, created_at)
                        VALUES ('manager_reminder', '2026-W48', 'manager:drain', 'id', ARRAY['pengelola@mpp.test'],
                                jsonb_build_object('managerName', 'Pengelola', 'zone', 'WITA', 'timezone', 'Asia/Makassar', 'deadline', '2026-11-30T04:00:00.000Z',
                                                   'mpps', jsonb_build_array(jsonb_build_object('id', 'm1', 'name', 'MPP Uji'))), 6, now())`);
        await waitUntil(
          async () =>
            smtp.attempts > 0 ||
            smtp.received.length > 0 ||
            (await db.query(`SELECT 1 FROM notifications WHERE state = 'sending'`)).rowCount! > 0,
          20_000,
          () => 'email being sent',
        );

        // 20 check-ins in flight, then SIGTERM: every one is answered and stored.
        const inFlight = managers.map((m, i) =>
          call<CheckInView>(app.url, 'PUT', `/api/v1/mpps/${m.mppId}/check-ins/2026-W48`, m.token, checkInBody({ visitors: 500 + i })),
        );
        await sleep(30);
        // Nest runs its shutdown hooks, then ends the process with the signal it received.
        const exited = new Promise<string | number | null>((resolve) => app.child.once('exit', (code, signal) => resolve(code ?? signal)));
        const termAt = Date.now();
        app.child.kill('SIGTERM');
        const answers = await Promise.all(inFlight);
        const code = await exited;
        const shutdownMs = Date.now() - termAt;
        const answered = answers.filter((a) => a.status === 201).length;
        const {
          rows: [{ n }],
        } = await db.query(`SELECT count(*)::int AS n FROM check_ins`);
        // Each request is answered 201 and stored, or (connecting after the listener closed) refused
        // outright; none is cut off half-way or fails. The process ends as soon as the work is done.
        expect(answers.filter((a) => a.status !== 201 && a.status !== 0)).toEqual([]);
        expect({ code, stored: n }).toEqual({ code: 'SIGTERM', stored: answered });
        expect(shutdownMs).toBeLessThan(10_000);
        expect(answered).toBeGreaterThan(0);
        // The email being sent was finished, not abandoned half-way.
        expect((await db.query(`SELECT state FROM notifications WHERE scope = 'manager:drain'`)).rows).toEqual([{ state: 'sent' }]);
        expect(smtp.received.filter((m) => m.to.includes('pengelola@mpp.test'))).toHaveLength(1);
        // Every stored check-in has its receipt, durable in the same commit (sent later, or by the next start).
        const {
          rows: [{ receipts }],
        } = await db.query(`SELECT count(*)::int AS receipts FROM notifications WHERE kind = 'check_in_receipt'`);
        expect(receipts).toBe(answered);

        // SIGKILL right after acknowledgements: all of them are there after a restart.
        app = await AppProcess.start(env);
        const acks = await Promise.all(
          managers.map((m, i) =>
            call<CheckInView>(app.url, 'PUT', `/api/v1/mpps/${m.mppId}/check-ins/2026-W48`, m.token, checkInBody({ visitors: 900 + i })),
          ),
        );
        await app.kill('SIGKILL');
        const ok = acks
          .filter((a) => a.status === 200 || a.status === 201)
          .map((a) => `${a.body!.mppId}:${a.body!.revision}:${a.body!.visitors}`);
        expect(ok).toHaveLength(20);
        const { rows } = await db.query(
          `SELECT mpp_id || ':' || revision || ':' || visitors AS k FROM check_in_revisions WHERE visitors >= 900`,
        );
        expect(rows.map((r) => r.k).sort()).toEqual(ok.sort());
      } finally {
        await db.end();
      }
    } finally {
      await app.kill();
      await dropTestDatabase(pg.url);
      await smtp.stop();
    }
  }, 180_000);
});

const notReceipt = (m: { subject: string }) => !m.subject.includes('Tanda terima laporan');

describe('Redis down for 60 s during a cycle (e2e)', () => {
  it('holds the escalations in the outbox and delivers them once Redis is back', async () => {
    const redis = await RedisProcess.start();
    const smtp = await TestSmtpServer.start();
    const pg = { url: await createTestDatabase() };
    const base = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...FAST,
    };
    // The whole app during W48 (its scheduler makes the week's cycle), then again on Monday.
    let app = await AppProcess.start({ ...base, APP_MODE: 'all', TEST_NOW: '2026-11-27T03:00:00Z' });
    try {
      const { admin, managers } = await seed(app.url, 3);
      await call(app.url, 'POST', '/api/v1/users', admin, {
        email: 'deputi@menpan.test',
        name: 'Deputi',
        password: PASSWORD,
        role: 'ministry',
      });
      await call(
        app.url,
        'PUT',
        `/api/v1/mpps/${managers[0].mppId}/check-ins/2026-W48`,
        managers[0].token,
        checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Disegel' }),
      );
      await app.kill('SIGTERM');

      await redis.stop();
      const downAt = Date.now();
      // The weekly schedule fires (the whole app, Monday 12:10 WIB) while Redis is down.
      app = await AppProcess.start({ ...base, APP_MODE: 'all', TEST_NOW: '2026-11-30T05:10:00Z' });
      const db = new Client({ connectionString: pg.url });
      await db.connect();
      try {
        await waitUntil(
          async () => (await db.query(`SELECT 1 FROM cycles WHERE week = '2026-W48' AND evaluated_at IS NOT NULL`)).rowCount === 1,
          30_000,
          () => 'W48 evaluated',
        );
        // The evaluation's emails (the check-in's receipt went out before, while Redis was up).
        const held = (await db.query(`SELECT state FROM notifications WHERE kind <> 'check_in_receipt'`)).rows.map((r) => r.state);
        expect(held.length).toBeGreaterThan(0);
        expect(held.every((s) => s === 'queued' || s === 'failed')).toBe(true);
        expect((await call(app.url, 'GET', '/health/ready')).status).toBe(503);
        // 60 s as the issue asks (REDIS_DOWN_MS shortens it when working on this test).
        await sleep(Math.max(0, Number(process.env.REDIS_DOWN_MS ?? 60_000) - (Date.now() - downAt)));
        expect(smtp.received.filter(notReceipt)).toHaveLength(0);

        await redis.resume();
        let rows: unknown[] = [];
        await waitUntil(
          async () => {
            rows = (await db.query(`SELECT state, attempts, last_error, updated_at FROM notifications`)).rows;
            return (await db.query(`SELECT 1 FROM notifications WHERE state <> 'sent'`)).rowCount === 0;
          },
          60_000,
          () => `every email sent: ${JSON.stringify(rows)}\n${app.output.slice(-3000)}`,
        );
        expect(smtp.received.filter(notReceipt)).toHaveLength(held.length);
        // The readiness check's own Redis client reconnects on its own schedule.
        await waitUntil(
          async () => (await call(app.url, 'GET', '/health/ready')).status === 200,
          30_000,
          () => 'readiness green again',
        );
      } finally {
        await db.end();
      }
    } finally {
      await app.kill();
      await dropTestDatabase(pg.url);
      await smtp.stop();
      await redis.stop();
    }
  }, 180_000);
});
