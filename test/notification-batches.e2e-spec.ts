import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { NOTIFICATIONS_QUEUE } from '../src/modules/queue/queue.module';
import { NotificationWorker } from '../src/modules/notifications/notification.worker';
import { jobIdOf, NOTIFICATION_JOB, ROWS_PER_JOB } from '../src/modules/notifications/notification.types';
import { OutboxDispatcher } from '../src/modules/notifications/outbox.dispatcher';
import { TestApp } from './support/app';
import { BACKENDS } from './support/backends';
import { FAST, outbox, startApp, states } from './support/outbox';
import { TestSmtpServer, waitUntil } from './support/smtp';

const queueOf = (t: TestApp) => t.app.get<Queue>(getQueueToken(NOTIFICATIONS_QUEUE));

/** The rows of each job waiting in the queue, largest job first. */
async function waitingJobs(t: TestApp): Promise<{ id: string; rows: string[] }[]> {
  const jobs = await queueOf(t).getJobs(['waiting']);
  return jobs
    .map((j) => ({ id: j.id!, rows: (j.data as { notificationIds: string[] }).notificationIds }))
    .sort((a, b) => b.rows.length - a.rows.length);
}

describe.each(BACKENDS)('outbox rows travel in batches (%s queue)', (_backend, queueEnv) => {
  describe('offering rows (an API process: nothing consumes the queue)', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await TestApp.start({ env: { ...FAST, NOTIFY_BACKOFF_MS: '2000', ...queueEnv } });
    });
    afterEach(() => t.close());

    it(`adds one job per ${ROWS_PER_JOB} rows; offering the same rows again, in any order, adds none`, async () => {
      const ids = await outbox(t, 2 * ROWS_PER_JOB + 10);
      await t.app.get(OutboxDispatcher).dispatch(ids);
      const jobs = await waitingJobs(t);
      expect(jobs.map((j) => j.rows.length)).toEqual([ROWS_PER_JOB, ROWS_PER_JOB, 10]);
      expect(jobs.flatMap((j) => j.rows).sort()).toEqual([...ids].sort());
      for (const job of jobs) expect(job.id).toBe(jobIdOf(job.rows));

      await t.app.get(OutboxDispatcher).dispatch([...ids].reverse());
      expect(await waitingJobs(t)).toEqual(jobs);
    });

    it('the sweep re-offers a failed row only once the retry delay of its attempts has passed', async () => {
      const [due, backingOff, queued] = await outbox(t, 3);
      // Backoff 2 s: one attempt waits 2 s before its retry, three wait 8 s. All untouched for 5 s.
      await t.sql(`UPDATE notifications SET state = 'failed', attempts = 1, updated_at = now() - interval '5 seconds' WHERE id = $1`, [
        due,
      ]);
      await t.sql(`UPDATE notifications SET state = 'failed', attempts = 3, updated_at = now() - interval '5 seconds' WHERE id = $1`, [
        backingOff,
      ]);
      await t.sql(`UPDATE notifications SET updated_at = now() - interval '5 seconds' WHERE id = $1`, [queued]);
      await t.app.get(OutboxDispatcher).sweep();
      expect((await waitingJobs(t)).map((j) => j.rows.sort())).toEqual([[due, queued].sort()]);
    });
  });

  describe('delivering them', () => {
    let smtp: TestSmtpServer;
    let t: TestApp;
    beforeEach(async () => {
      smtp = await TestSmtpServer.start();
      t = await startApp({ SMTP_URL: smtp.url, ...queueEnv });
    });
    afterEach(async () => {
      await t.close();
      await smtp.stop();
    });

    it('one job of five rows with one recipient refused: the four others are sent once; only the refused one is retried, until dead', async () => {
      smtp.refused.add('pengelola3@mpp.test');
      const ids = await outbox(t, 5);
      await t.app.get(OutboxDispatcher).dispatch(ids);
      // One job holds the five rows, and stays while the refused row is retried.
      expect((await queueOf(t).getJob(jobIdOf(ids)))?.data).toEqual({ notificationIds: [...ids].sort() });
      await waitUntil(
        async () => (await states(t)).dead === 1,
        20_000,
        () => 'the refused email dead',
      );
      expect(await states(t)).toEqual({ sent: 4, dead: 1 });
      expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
        'pengelola1@mpp.test',
        'pengelola2@mpp.test',
        'pengelola4@mpp.test',
        'pengelola5@mpp.test',
      ]);
      const maxAttempts = Number(FAST.NOTIFY_MAX_ATTEMPTS);
      expect(smtp.rcptAttempts.get('pengelola3@mpp.test')).toBe(maxAttempts);
      const rows = await t.sql(`SELECT recipients[1] AS "to", state, attempts, last_error FROM notifications ORDER BY recipients`);
      for (const row of rows) {
        if (row.to === 'pengelola3@mpp.test')
          expect(row).toMatchObject({ state: 'dead', attempts: maxAttempts, last_error: expect.stringContaining('550') });
        else expect(row).toMatchObject({ state: 'sent', attempts: 1, last_error: null });
      }
      // The dead row ends its job: nothing is left to retry. The row is recorded dead before the
      // job throws, so BullMQ removes the job a moment after the row's state shows.
      await waitUntil(
        async () => (await queueOf(t).getJob(jobIdOf(ids))) === undefined,
        5_000,
        () => 'the job removed once its last row is dead',
      );
    });

    it('a job queued before batches ({notificationId}, still in the queue after an upgrade) is delivered', async () => {
      const [id] = await outbox(t, 1);
      await queueOf(t).add(NOTIFICATION_JOB, { notificationId: id }, { jobId: `notification-${id}`, removeOnComplete: true });
      await smtp.waitFor(1);
      await waitUntil(async () => (await states(t)).sent === 1);
      expect(smtp.received.map((m) => m.to[0])).toEqual(['pengelola1@mpp.test']);
    });
  });

  it('a row still waiting for a sending slot after a quarter of its lease is given back, so another worker never sends it too', async () => {
    const smtp = await TestSmtpServer.start();
    // One email at a time, each taking 1 s to be accepted: a job of three holds its last row past the 1.5 s lease.
    for (let i = 0; i < 20; i++) smtp.script.push({ delayMs: 1000 });
    const env = { SMTP_URL: smtp.url, NOTIFY_CONCURRENCY: '1', ...queueEnv };
    const a = await startApp(env);
    const b = await startApp(env, a.config.databaseUrl);
    let sweeping = true;
    try {
      const ids = await outbox(a, 3);
      await a.app.get(OutboxDispatcher).dispatch(ids);
      // The other replica sweeps all along: a row whose lease lapsed is offered to it at once.
      const sweeps = (async () => {
        while (sweeping) {
          await b.app.get(NotificationWorker).sweep();
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await waitUntil(
        async () => (await states(a)).sent === 3,
        30_000,
        () => `all sent (received ${smtp.received.map((m) => m.to[0]).join(' ')})`,
      );
      sweeping = false;
      await sweeps;
      expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['pengelola1@mpp.test', 'pengelola2@mpp.test', 'pengelola3@mpp.test']);
      expect(smtp.attempts).toBe(3);
      // A row given back did not spend an attempt.
      expect(await a.sql(`SELECT DISTINCT attempts FROM notifications`)).toEqual([{ attempts: 1 }]);
    } finally {
      sweeping = false;
      await b.close({ keepDatabase: true });
      await a.close();
      await smtp.stop();
    }
  }, 60_000);
});
