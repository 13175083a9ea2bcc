import { Scenario } from './support/scenario';
import { waitUntil } from './support/smtp';

/**
 * Issue 16 item 4: marking a bureau escalation sent and starting its flags' clock (first_emailed_at,
 * respond_by) are one step. A fault injected into the flags' half must leave neither done: the email
 * is retried (the SMTP server sees the same Message-ID again), and once the fault is gone both land.
 */
describe('a sent escalation always starts its flags’ clock (e2e)', () => {
  let sc: Scenario;
  let flagMpp: { id: string };

  const escalation = async () =>
    (await sc.t.sql(`SELECT id, state, attempts, sent_at FROM notifications WHERE kind = 'bureau_escalation'`))[0] as
      { id: string; state: string; attempts: number; sent_at: Date | null } | undefined;
  const flag = async () =>
    (await sc.t.sql(`SELECT first_emailed_at, respond_by FROM flags WHERE mpp_id = $1`, [flagMpp.id]))[0] as {
      first_emailed_at: Date | null;
      respond_by: Date | null;
    };

  beforeAll(async () => {
    // Friday of W48; the escalation is retried until the fault is gone.
    sc = await Scenario.start({ at: '2026-11-27T02:00:00Z', mail: true, env: { NOTIFY_MAX_ATTEMPTS: '30' } });
    flagMpp = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    const manager = await sc.manager(flagMpp);
    await sc.bureau('53', { email: 'biro.ntt@mpp.test' });
    const res = await sc.checkIn(manager, flagMpp.id, '2026-W48', {
      daysOpen: 0,
      tenantsServing: 0,
      countersOpen: 0,
      visitors: 0,
      transactions: 0,
      status: 'not_operating',
      closureReason: 'Banjir',
    });
    expect(res.status).toBe(201);
    // The injected fault: any statement that starts a flag's clock fails.
    await sc.t.sql(`
      CREATE FUNCTION test_refuse_first_email() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.first_emailed_at IS NOT NULL AND OLD.first_emailed_at IS NULL THEN RAISE EXCEPTION 'injected fault'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_first_email BEFORE UPDATE ON flags FOR EACH ROW EXECUTE FUNCTION test_refuse_first_email();`);
  }, 60_000);

  afterAll(() => sc?.close());

  it('while the flags cannot be updated the escalation is not recorded as sent either', async () => {
    sc.clock.set('2026-11-30T05:10:00Z'); // Monday of W49, after the last deadline
    await sc.scheduler.tick();
    await waitUntil(
      async () =>
        ((await escalation())?.attempts ?? 0) >= 2 && sc.smtp.received.filter((m) => m.to.includes('biro.ntt@mpp.test')).length >= 2,
      20_000,
      () => 'two attempts of the escalation',
    );
    const row = (await escalation())!;
    expect(row.state).not.toBe('sent');
    expect(row.sent_at).toBeNull();
    expect(await flag()).toEqual({ first_emailed_at: null, respond_by: null });
  });

  it('once the fault is gone: sent, and the flags carry first_emailed_at and respond_by; every copy had the same Message-ID', async () => {
    await sc.t.sql(`DROP TRIGGER test_refuse_first_email ON flags; DROP FUNCTION test_refuse_first_email();`);
    await waitUntil(
      async () => (await escalation())?.state === 'sent',
      20_000,
      () => 'escalation sent',
    );
    const f = await flag();
    expect(f.first_emailed_at!.toISOString()).toBe('2026-11-30T05:10:00.000Z');
    // Friday 4 December 23.59 WITA.
    expect(f.respond_by!.toISOString()).toBe('2026-12-04T15:59:00.000Z');
    const copies = sc.smtp.received.filter((m) => m.to.includes('biro.ntt@mpp.test'));
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
  });
});
