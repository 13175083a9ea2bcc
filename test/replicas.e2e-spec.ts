import { FixedClock } from '../src/common/clock';
import { CyclesService } from '../src/modules/cycles/cycles.service';
import { TestApp } from './support/app';
import { REDIS_URL } from './support/backends';
import { checkInBody, createMpp, createUser } from './support/factories';
import { FAST } from './support/outbox';
import { AppProcess } from './support/processes';
import { TestSmtpServer, waitUntil } from './support/smtp';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';

/**
 * Three full replicas (API + worker + scheduler each, as `npm start` runs) on one PostgreSQL and
 * one Redis, their clocks fixed after a week's evaluation time: every scheduler fires at start,
 * exactly one evaluates each week, and each email goes out exactly once.
 */
describe('three replicas on one database and one Redis (e2e, OS processes)', () => {
  const clock = new FixedClock(new Date('2026-11-27T03:00:00Z')); // Friday of W48
  let t: TestApp;
  let smtp: TestSmtpServer;
  let replicas: AppProcess[] = [];

  const startReplicas = async (now: string) => {
    await stopReplicas();
    const env = { APP_MODE: 'all', DATABASE_URL: t.config.databaseUrl, REDIS_URL, SMTP_URL: smtp.url, TEST_NOW: now, ...FAST };
    replicas = await Promise.all([1, 2, 3].map(() => AppProcess.spawn(env)));
    await Promise.all(replicas.map((r) => r.ready()));
  };
  async function stopReplicas() {
    await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
    replicas = [];
  }
  /** Waits until every outbox row of the week is sent, then a little longer, in case a duplicate is on its way. */
  const deliveredOnce = async (week: string) => {
    await waitUntil(
      async () => {
        const [{ pending }] = await t.sql(`SELECT count(*)::int AS pending FROM notifications WHERE week = $1 AND state <> 'sent'`, [week]);
        return pending === 0;
      },
      30_000,
      () => `every ${week} email sent`,
    );
    await new Promise((r) => setTimeout(r, 2 * Number(FAST.NOTIFY_LEASE_MS)));
    return {
      rows: await t.sql(`SELECT kind, recipients, attempts FROM notifications WHERE week = $1 ORDER BY kind, scope, locale`, [week]),
    };
  };

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await TestApp.start({ clock, env: { APP_MODE: 'api', ...FAST } });
    const admin = await t.adminToken();
    const seed: [string, string, Record<string, unknown> | null][] = [
      ['53.71', 'MPP Kota Kupang', checkInBody()],
      [
        '36.02',
        'MPP Kabupaten Lebak',
        checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Gedung disegel' }),
      ],
      ['91.03', 'MPP Kabupaten Jayapura', null],
    ];
    for (const [regencyCode, name, body] of seed) {
      const mpp = await createMpp(t, admin, { regencyCode, name });
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] });
      if (body) expect((await t.as(manager.token).put<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, body)).status).toBe(201);
    }
    await createUser(t, admin, { role: 'bureau', provinceCode: '36', email: 'biro.banten@mpp.test' });
    await createUser(t, admin, { role: 'bureau', provinceCode: '91', email: 'biro.papua@mpp.test' });
    await createUser(t, admin, { role: 'ministry', email: 'deputi@menpan.test' });
    // The cycle row of W48, as a scheduler running during that week would have made it.
    await t.app.get(CyclesService).ensureCycles();
  }, 60_000);

  afterAll(async () => {
    await stopReplicas();
    await t.close();
    await smtp.stop();
  });

  it('evaluates W48 once and sends each email once although all three schedulers fire', async () => {
    await startReplicas('2026-11-30T05:10:00Z'); // Monday 12:10 WIB: W48 is due
    for (const r of replicas) {
      // Each replica's own scheduler ran to the end of its start-up tick.
      await waitUntil(
        async () => /mpp_cycles_overdue 0/.test(await (await fetch(`${r.url}/metrics`)).text()),
        30_000,
        () => `${r.url} tick`,
      );
    }
    const [cycle] = await t.sql(`SELECT evaluation_runs AS runs FROM cycles WHERE week = '2026-W48'`);
    expect(cycle.runs).toBe(1);
    expect(await t.sql(`SELECT count(*)::int AS n FROM evaluations WHERE week = '2026-W48'`)).toEqual([{ n: 3 }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM flags`)).toEqual([{ n: 1 }]);

    const { rows } = await deliveredOnce('2026-W48');
    // The two check-ins' receipts (decided before the replicas started) and the evaluation's emails.
    expect(rows.map((r) => r.kind)).toEqual(['bureau_escalation', 'check_in_receipt', 'check_in_receipt', 'ministry_digest']);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    const ladder = smtp.received.filter((m) => !m.subject.includes('Tanda terima laporan'));
    const sent = ladder.map((m) => `${m.to.join(',')}|${m.subject}`);
    expect(sent).toHaveLength(2);
    expect(new Set(sent).size).toBe(2);
    expect(ladder.map((m) => m.to[0]).sort()).toEqual(['biro.banten@mpp.test', 'deputi@menpan.test']);
    expect(smtp.received).toHaveLength(4);
    await stopReplicas();
  }, 120_000);

  it('does the same a week later after all three restart (W49: Jayapura silent twice is flagged)', async () => {
    const before = smtp.received.length;
    await startReplicas('2026-12-07T05:10:00Z');
    for (const r of replicas) {
      await waitUntil(
        async () => /mpp_cycles_overdue 0/.test(await (await fetch(`${r.url}/metrics`)).text()),
        30_000,
        () => `${r.url} tick`,
      );
    }
    expect(await t.sql(`SELECT week, evaluation_runs AS runs FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week`)).toEqual([
      { week: '2026-W48', runs: 1 },
      { week: '2026-W49', runs: 1 },
    ]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM flags`)).toEqual([{ n: 2 }]);
    const { rows } = await deliveredOnce('2026-W49');
    const fresh = smtp.received.slice(before).map((m) => `${m.to.join(',')}|${m.subject}`);
    expect(fresh).toHaveLength(rows.length);
    expect(new Set(fresh).size).toBe(rows.length);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // One email per (kind, week, recipient) across both weeks.
    const all = await t.sql(
      `SELECT kind, week, unnest(recipients) AS recipient, count(*)::int AS n FROM notifications GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(all).toEqual([]);
    expect(smtp.received).toHaveLength(await t.sql(`SELECT count(*)::int AS n FROM notifications`).then((r) => r[0].n));
  }, 120_000);
});
