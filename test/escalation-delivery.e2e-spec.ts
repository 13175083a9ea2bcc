import { FixedClock } from '../src/common/clock';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { TestApp } from './support/app';
import { APP_URL } from './support/backends';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import { TestSmtpServer, waitUntil } from './support/smtp';

/**
 * Issue 16 item 4: marking a bureau escalation sent and starting its flags' clock (first_emailed_at,
 * respond_by) are one step. A fault injected into the flags' half must leave neither done: the email
 * is retried (the SMTP server sees the same Message-ID again), and once the fault is gone both land.
 */
describe('a sent escalation always starts its flags’ clock (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T02:00:00Z')); // Friday of W48
  let t: TestApp;
  let smtp: TestSmtpServer;
  let flagMpp: { id: string };

  const escalation = async () =>
    (await t.sql(`SELECT id, state, attempts, sent_at FROM notifications WHERE kind = 'bureau_escalation'`))[0] as
      { id: string; state: string; attempts: number; sent_at: Date | null } | undefined;
  const flag = async () =>
    (await t.sql(`SELECT first_emailed_at, respond_by FROM flags WHERE mpp_id = $1`, [flagMpp.id]))[0] as {
      first_emailed_at: Date | null;
      respond_by: Date | null;
    };

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await TestApp.start({
      clock,
      env: { APP_MODE: 'all', SMTP_URL: smtp.url, APP_URL, NOTIFY_BACKOFF_MS: '100', NOTIFY_LEASE_MS: '2000', NOTIFY_MAX_ATTEMPTS: '30' },
    });
    await stopCycleCron(t.app);
    const admin = await t.adminToken();
    flagMpp = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    const manager = await createUser(t, admin, { role: 'manager', mppIds: [flagMpp.id] });
    await createUser(t, admin, { role: 'bureau', provinceCode: '53', email: 'biro.ntt@mpp.test' });
    const res = await t.request('PUT', `/api/v1/mpps/${flagMpp.id}/check-ins/2026-W48`, {
      token: manager.token,
      body: checkInBody({
        daysOpen: 0,
        tenantsServing: 0,
        countersOpen: 0,
        visitors: 0,
        transactions: 0,
        status: 'not_operating',
        closureReason: 'Banjir',
      }),
    });
    expect(res.status).toBe(201);
    // The injected fault: any statement that starts a flag's clock fails.
    await t.sql(`
      CREATE FUNCTION test_refuse_first_email() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.first_emailed_at IS NOT NULL AND OLD.first_emailed_at IS NULL THEN RAISE EXCEPTION 'injected fault'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_first_email BEFORE UPDATE ON flags FOR EACH ROW EXECUTE FUNCTION test_refuse_first_email();`);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('while the flags cannot be updated the escalation is not recorded as sent either', async () => {
    clock.set('2026-11-30T05:10:00Z'); // Monday of W49, after the last deadline
    await t.app.get(CyclesScheduler).tick();
    await waitUntil(
      async () => ((await escalation())?.attempts ?? 0) >= 2 && smtp.received.filter((m) => m.to.includes('biro.ntt@mpp.test')).length >= 2,
      20_000,
      () => 'two attempts of the escalation',
    );
    const row = (await escalation())!;
    expect(row.state).not.toBe('sent');
    expect(row.sent_at).toBeNull();
    expect(await flag()).toEqual({ first_emailed_at: null, respond_by: null });
  });

  it('once the fault is gone: sent, and the flags carry first_emailed_at and respond_by; every copy had the same Message-ID', async () => {
    await t.sql(`DROP TRIGGER test_refuse_first_email ON flags; DROP FUNCTION test_refuse_first_email();`);
    await waitUntil(
      async () => (await escalation())?.state === 'sent',
      20_000,
      () => 'escalation sent',
    );
    const f = await flag();
    expect(f.first_emailed_at!.toISOString()).toBe('2026-11-30T05:10:00.000Z');
    // Friday 4 December 23.59 WITA.
    expect(f.respond_by!.toISOString()).toBe('2026-12-04T15:59:00.000Z');
    const copies = smtp.received.filter((m) => m.to.includes('biro.ntt@mpp.test'));
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
  });
});
