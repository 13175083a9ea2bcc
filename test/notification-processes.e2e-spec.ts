import { FixedClock } from '../src/common/clock';
import { NotificationWorker } from '../src/modules/notifications/notification.worker';
import { OutboxDispatcher } from '../src/modules/notifications/outbox.dispatcher';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { AppProcess, RedisProcess } from './support/processes';
import { TestSmtpServer, waitUntil } from './support/smtp';
import { BACKENDS } from './support/backends';
import { FAST, outbox, states } from './support/outbox';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { Readiness } from './support/answers';

describe('Redis unavailable while an evaluation decides escalations', () => {
  it('keeps the emails in the outbox and delivers them once Redis is back', async () => {
    const redis = await RedisProcess.start();
    const smtp = await TestSmtpServer.start();
    const clock = new FixedClock(new Date('2026-11-25T02:00:00Z'));
    const t = await TestApp.start({ clock, env: { APP_MODE: 'all', SMTP_URL: smtp.url, REDIS_URL: redis.url, ...FAST } });
    try {
      await stopCycleCron(t.app);
      const admin = await t.adminToken();
      const buleleng = await createMpp(t, admin, { regencyCode: '51.08', name: 'MPP Kabupaten Buleleng' });
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [buleleng.id] });
      await createUser(t, admin, { role: 'bureau', provinceCode: '51', email: 'biro.bali@mpp.test' });
      await createUser(t, admin, { role: 'ministry', email: 'deputi@menpan.test' });
      clock.set('2026-11-28T02:00:00Z');
      await t
        .as(manager.token)
        .put<CheckInView>(
          `/api/v1/mpps/${buleleng.id}/check-ins/2026-W48`,
          checkInBody({ daysOpen: 0, visitors: 0, transactions: 0, status: 'not_operating', closureReason: 'Banjir' }),
        );
      // The check-in's receipt goes out while Redis is up.
      await smtp.waitFor(1);
      await waitUntil(async () => (await states(t)).sent === 1);

      await redis.stop();
      clock.set('2026-11-30T05:10:00Z');
      const evaluated = await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate');
      expect(evaluated.status).toBe(200);
      expect(await states(t)).toEqual({ sent: 1, queued: 2 });
      expect((await t.as().get<Readiness>('/health/ready')).status).toBe(503);

      await redis.resume();
      await waitUntil(
        async () => (await t.as().get<Readiness>('/health/ready')).status === 200,
        20_000,
        () => 'ready again',
      );
      await t.sql(`UPDATE notifications SET updated_at = now() - interval '1 hour'`);
      await t.app.get(NotificationWorker).sweep();
      await smtp.waitFor(3);
      await waitUntil(async () => (await states(t)).sent === 3);
      expect(
        smtp.received
          .slice(1)
          .map((m) => m.to[0])
          .sort(),
      ).toEqual(['biro.bali@mpp.test', 'deputi@menpan.test']);
    } finally {
      await t.close();
      await smtp.stop();
      await redis.stop();
    }
  });
});

describe.each(BACKENDS)('worker process killed (%s queue)', (_backend, queueEnv) => {
  it('mid-job and right after SMTP accepted a message: every email delivered, at most that one repeated', async () => {
    const smtp = await TestSmtpServer.start();
    const t = await TestApp.start({ env: { APP_MODE: 'api', ...FAST, ...queueEnv } });
    const workerEnv = {
      APP_MODE: 'worker',
      DATABASE_URL: t.config.databaseUrl,
      SMTP_URL: smtp.url,
      NOTIFY_CONCURRENCY: '1',
      ...FAST,
      ...(queueEnv.REDIS_URL ? { REDIS_URL: queueEnv.REDIS_URL } : {}),
    };
    let worker: AppProcess | undefined;
    try {
      const ids = await outbox(t, 6);
      // Message 3 is held (no SMTP answer) while the worker is killed: it was never accepted.
      smtp.script.push('accept', 'accept', 'hold');
      worker = await AppProcess.start(workerEnv);
      await t.app.get(OutboxDispatcher).dispatch(ids);
      await waitUntil(
        () => smtp.holding === 1,
        20_000,
        () => `a held message (received ${smtp.received.length})\n${worker!.output}`,
      );
      await worker.kill();
      smtp.script.length = 0;
      await smtp.stop(); // drops the dead worker's connection
      await smtp.listen();

      // The next worker is killed the moment the server accepts message 5, before it can record it.
      // (spawned, not awaited: it may reach message 5 before it answers on HTTP)
      const second = await AppProcess.spawn(workerEnv);
      smtp.onAccept = () => {
        if (smtp.received.length === 5) second.child.kill('SIGKILL');
      };
      await waitUntil(
        () => second.child.signalCode !== null,
        30_000,
        () => `the second worker to be killed (received ${smtp.received.length})\n${second.output}`,
      );
      smtp.onAccept = undefined;

      worker = await AppProcess.start(workerEnv);
      let rows: { state: string }[] = [];
      await waitUntil(
        async () => {
          rows = await t.sql<{ state: string }>(
            `SELECT state, attempts, lease_until, updated_at, last_error FROM notifications ORDER BY recipients`,
          );
          return rows.every((r) => r.state === 'sent');
        },
        45_000,
        () => `all sent: ${JSON.stringify(rows)}\nreceived ${smtp.received.map((m) => m.to[0]).join(' ')}\n${worker!.output}`,
      );
      const perRow = new Map<string, number>();
      for (const m of smtp.received) perRow.set(m.to[0], (perRow.get(m.to[0]) ?? 0) + 1);
      expect(perRow.size).toBe(6);
      const repeated = [...perRow.values()].filter((n) => n > 1);
      expect(repeated.length).toBeLessThanOrEqual(1);
      expect(repeated.every((n) => n === 2)).toBe(true);
    } finally {
      await worker?.kill();
      await t.close();
      await smtp.stop();
    }
  }, 90_000);
});
