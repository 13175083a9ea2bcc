import { NotificationWorker } from '../src/modules/notifications/notification.worker';
import { OutboxDispatcher } from '../src/modules/notifications/outbox.dispatcher';
import { TestApp } from './support/app';
import { createUser } from './support/factories';
import { TestSmtpServer, waitUntil } from './support/smtp';
import { BACKENDS } from './support/backends';
import { outbox, startApp, states } from './support/outbox';
import type { NotificationView } from '../src/modules/notifications/notifications.dto';
import type { NotificationDetail, Readiness } from './support/answers';

const METRICS_TOKEN = 'prometheus-scrape-token-2026';

describe.each(BACKENDS)('notification delivery survives faults (%s queue)', (_backend, queueEnv) => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeEach(async () => {
    smtp = await TestSmtpServer.start();
    t = await startApp({ SMTP_URL: smtp.url, METRICS_TOKEN, ...queueEnv });
  });
  afterEach(async () => {
    await t.close();
    await smtp.stop();
  });

  it('SMTP answering 451 then 554, then recovering: delivered once, every attempt recorded', async () => {
    smtp.script.push({ code: 451, message: 'Try again later' }, { code: 554, message: 'Transaction failed' });
    const [id] = await outbox(t, 1);
    await t.app.get(OutboxDispatcher).dispatch([id]);
    await smtp.waitFor(1);
    await waitUntil(async () => (await states(t)).sent === 1);
    expect(smtp.attempts).toBe(3);
    expect(smtp.received).toHaveLength(1);
    const [row] = await t.sql(`SELECT state, attempts, last_error, message_id FROM notifications WHERE id = $1`, [id]);
    expect(row).toMatchObject({ state: 'sent', attempts: 3, last_error: null });
    expect(smtp.received[0].messageId).toBe(row.message_id);
  });

  it('SMTP server down at send time: failed with the error, retried, delivered once it is back', async () => {
    await smtp.stop();
    const [id] = await outbox(t, 1);
    await t.app.get(OutboxDispatcher).dispatch([id]);
    await waitUntil(async () => (await t.sql(`SELECT state FROM notifications WHERE id = $1`, [id]))[0].state === 'failed');
    const [failed] = await t.sql(`SELECT attempts, last_error FROM notifications WHERE id = $1`, [id]);
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    expect(failed.last_error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    await smtp.listen();
    await smtp.waitFor(1);
    await waitUntil(async () => (await states(t)).sent === 1);
    expect(smtp.received).toHaveLength(1);
  });

  it('after the last attempt the email is dead and visible; an admin retry delivers it', async () => {
    for (let i = 0; i < 6; i++) smtp.script.push({ code: 550, message: 'Mailbox unavailable' });
    const [id] = await outbox(t, 1);
    await t.app.get(OutboxDispatcher).dispatch([id]);
    await waitUntil(
      async () => (await states(t)).dead === 1,
      20_000,
      () => 'dead',
    );
    const admin = await t.adminToken();
    const dead = await t.as(admin).get<NotificationView[]>('/api/v1/notifications?status=dead');
    expect(dead.body).toEqual([
      expect.objectContaining({ id, status: 'dead', attempts: 6, lastError: expect.stringContaining('550'), sentAt: null }),
    ]);
    expect(smtp.received).toHaveLength(0);
    // The outbox detail and the metrics are the operators' (METRICS_TOKEN); anyone else learns up or down.
    const operator = { authorization: `Bearer ${METRICS_TOKEN}` };
    const ready = await t.as().get<Readiness>('/health/ready', { headers: operator });
    expect(ready.body.checks.database.outbox).toEqual({ queued: 0, sending: 0, failed: 0, dead: 1 });
    expect((await t.as().get<Readiness>('/health/ready')).body.checks.database.outbox).toBeUndefined();
    expect((await t.as().get('/metrics', { headers: operator })).text).toContain('mpp_notifications{state="dead"} 1');
    const anonymous = await t.as().get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.error).toMatchObject({ statusCode: 401, error: 'unauthorized' });

    const ministry = await createUser(t, admin, { role: 'ministry' });
    expect((await t.as(ministry.token).post<NotificationView>(`/api/v1/notifications/${id}/retry`)).status).toBe(403);
    const retried = await t.as(admin).post<NotificationView>(`/api/v1/notifications/${id}/retry`);
    expect(retried.status).toBe(202);
    await smtp.waitFor(1);
    await waitUntil(async () => (await states(t)).sent === 1);
    const again = await t.as(admin).post<NotificationView>(`/api/v1/notifications/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.error?.error).toBe('invalid_transition');
    expect((await t.as(admin).get<NotificationDetail>(`/api/v1/notifications/${id}`)).body).toMatchObject({ status: 'sent', attempts: 7 });
    expect((await t.as(admin).post<NotificationView>(`/api/v1/notifications/00000000-0000-4000-8000-000000000000/retry`)).status).toBe(404);
  });

  it('three replicas dispatching and sweeping the same rows at once send each email exactly once', async () => {
    const replicas = [
      t,
      await startApp({ SMTP_URL: smtp.url, ...queueEnv }, t.config.databaseUrl),
      await startApp({ SMTP_URL: smtp.url, ...queueEnv }, t.config.databaseUrl),
    ];
    try {
      const ids = await outbox(t, 30);
      await t.sql(`UPDATE notifications SET updated_at = now() - interval '1 hour'`); // due for every sweep
      await Promise.all(replicas.flatMap((r) => [r.app.get(OutboxDispatcher).dispatch(ids), r.app.get(NotificationWorker).sweep()]));
      await smtp.waitFor(30);
      await waitUntil(async () => (await states(t)).sent === 30);
      await Promise.all(replicas.map((r) => r.app.get(NotificationWorker).sweep()));
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.received).toHaveLength(30);
      expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(30);
      expect(await t.sql(`SELECT DISTINCT attempts FROM notifications`)).toEqual([{ attempts: 1 }]);
    } finally {
      for (const r of replicas.slice(1)) await r.close({ keepDatabase: true });
    }
  });
});
