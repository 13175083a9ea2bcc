import { FixedClock } from '../src/common/clock';
import { CheckInLinks } from '../src/modules/auth/check-in-links';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { TestApp } from './support/app';
import { createMpp, createUser } from './support/factories';
import { TestSmtpServer, waitUntil } from './support/smtp';
import { APP_URL } from './support/backends';
import { stopCycleCron } from './support/scheduler';

/**
 * Week 12 of 2026 ends in Idul Fitri: Monday 23 and Tuesday 24 March are cuti bersama, so the
 * deadline moves to Wednesday 25 March 12:00 (issue 15, item 5). The reminder says so, and its
 * one-click link lives a week after that deadline, not after the Monday one.
 */
describe('a reminder in a week whose deadline moved for a holiday (e2e)', () => {
  const clock = new FixedClock(new Date('2026-03-18T02:00:00Z'));
  let t: TestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await TestApp.start({ clock, env: { APP_MODE: 'all', SMTP_URL: smtp.url, APP_URL, NOTIFY_BACKOFF_MS: '100' } });
    await stopCycleCron(t.app);
    const admin = await t.adminToken();
    const mpp = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Kabupaten Lebak' }); // WIB
    await createUser(t, admin, { role: 'manager', mppIds: [mpp.id], email: 'pengelola.lebak@mpp.test' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('reminds on the moved deadline, and the link works until a week after it', async () => {
    const scheduler = t.app.get(CyclesScheduler);
    clock.set('2026-03-23T01:30:00Z'); // Monday 08:30 WIB, a cuti bersama: the deadline is not today
    await scheduler.tick();
    expect(await t.sql(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'manager_reminder'`)).toEqual([{ n: 0 }]);

    clock.set('2026-03-25T01:30:00Z'); // Wednesday 08:30 WIB, the moved deadline's morning
    await scheduler.tick();
    await waitUntil(
      async () => smtp.received.length === 1,
      20_000,
      () => 'the reminder',
    );
    const [reminder] = smtp.received;
    expect(reminder.text).toContain('Rabu, 25 Maret 2026 pukul 12.00 WIB');
    const token = /\/c\/([\w.-]+)/.exec(reminder.text)![1];

    const links = t.app.get(CheckInLinks);
    // A week after the Monday deadline (30 March 12:00 WIB) has passed; a week after the moved one has not.
    expect(links.verify(token, new Date('2026-03-31T06:00:00Z'))).toMatchObject({ week: '2026-W12' });
    expect(links.verify(token, new Date('2026-04-01T04:59:00Z'))).toMatchObject({ week: '2026-W12' });
    expect(links.verify(token, new Date('2026-04-01T05:01:00Z'))).toBeNull();
  });
});
