import { weekText } from '../src/common/time/week-text';
import { FixedClock } from '../src/common/clock';
import { CheckInLinks } from '../src/modules/auth/check-in-links';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { TestSmtpServer, waitUntil } from './support/smtp';
import { APP_URL, BACKENDS } from './support/backends';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { NotificationView } from '../src/modules/notifications/notifications.dto';

describe.each(BACKENDS)('escalation ladder over two weeks with a real SMTP server (%s queue)', (backend, queueEnv) => {
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z')); // Wednesday of W48
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: string;
  let scheduler: CyclesScheduler;
  const mpp: Record<string, { id: string }> = {};
  const manager: Record<string, { id: string; email: string; token: string }> = {};
  const people: Record<string, { id: string; email: string; token: string }> = {};

  const settled = () =>
    waitUntil(
      async () => (await t.sql(`SELECT count(*)::int AS n FROM notifications WHERE state NOT IN ('sent', 'dead')`))[0].n === 0,
      20_000,
      () => 'outbox to drain',
    );
  // Subjects name the week as people read it (issue 16): "minggu ke-48 tahun 2026 (…)", "week 48 of 2026 (…)".
  const inWeek = (subject: string, week: string) =>
    subject.toLowerCase().includes(weekText(week, 'id').toLowerCase()) ||
    subject.toLowerCase().includes(weekText(week, 'en').toLowerCase());
  // The ladder's emails; each check-in's receipt to its manager is tested in manager-loop.e2e-spec.ts.
  const ladder = () => smtp.received.filter((m) => !/Tanda terima laporan|Receipt for the weekly report/.test(m.subject));
  const mailsOf = (week: string) =>
    ladder()
      .filter((m) => inWeek(m.subject, week))
      .map((m) => ({ to: m.to.join(','), subject: m.subject }))
      .sort((a, b) => a.to.localeCompare(b.to));

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await TestApp.start({
      clock,
      env: { APP_MODE: 'all', SMTP_URL: smtp.url, APP_URL, NOTIFY_BACKOFF_MS: '100', NOTIFY_LEASE_MS: '2000', ...queueEnv },
    });
    await stopCycleCron(t.app); // the test drives tick() itself
    expect(t.config.queueBackend).toBe(backend);
    scheduler = t.app.get(CyclesScheduler);
    admin = await t.adminToken();
    const mpps: Record<string, [string, string]> = {
      kupang: ['53.71', 'MPP Kota Kupang'],
      manggarai: ['53.19', 'MPP Kabupaten Manggarai Timur'],
      buleleng: ['51.08', 'MPP Kabupaten Buleleng'],
      lebak: ['36.02', 'MPP Kabupaten Lebak'],
    };
    for (const [key, [regencyCode, name]] of Object.entries(mpps)) {
      mpp[key] = await createMpp(t, admin, { regencyCode, name });
      manager[key] = await createUser(t, admin, { role: 'manager', mppIds: [mpp[key].id], email: `pengelola.${key}@mpp.test` });
    }
    people.bureauNtt = await createUser(t, admin, { role: 'bureau', provinceCode: '53', email: 'biro.ntt@mpp.test' });
    people.bureauNttEn = await createUser(t, admin, {
      role: 'bureau',
      provinceCode: '53',
      email: 'advisor.ntt@mpp.test',
      locale: 'en',
    });
    people.bureauBali = await createUser(t, admin, { role: 'bureau', provinceCode: '51', email: 'biro.bali@mpp.test' });
    people.ministry = await createUser(t, admin, { role: 'ministry', email: 'deputi@menpan.test' });
    people.ministryEn = await createUser(t, admin, { role: 'ministry', email: 'analyst@menpan.test', locale: 'en' });
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const checkIn = async (who: string, week: string, patch: Record<string, unknown> = {}) => {
    const res = await t.as(manager[who].token).put<CheckInView>(`/api/v1/mpps/${mpp[who].id}/check-ins/${week}`, checkInBody(patch));
    expect(res.status).toBe(201);
  };
  const notOperating = {
    daysOpen: 0,
    tenantsServing: 0,
    visitors: 0,
    transactions: 0,
    status: 'not_operating',
    closureReason: 'Gedung rusak akibat banjir',
  };

  it('week 48: one reminder to the WITA manager who has not reported, at 08:00 local, none in WIB', async () => {
    clock.set('2026-11-28T02:00:00Z'); // Saturday: the window is open
    await checkIn('kupang', '2026-W48');
    await checkIn('lebak', '2026-W48');
    await checkIn('buleleng', '2026-W48', notOperating);

    clock.set('2026-11-29T23:30:00Z'); // Monday 07:30 WITA: not yet
    await scheduler.tick();
    expect(await t.sql(`SELECT count(*)::int AS n FROM notifications WHERE kind <> 'check_in_receipt'`)).toEqual([{ n: 0 }]);

    clock.set('2026-11-30T00:30:00Z'); // Monday 08:30 WITA, 07:30 WIB
    await scheduler.tick();
    clock.set('2026-11-30T01:30:00Z'); // Monday 08:30 WIB: Lebak reported, no reminder
    await scheduler.tick();
    await settled();
    expect(mailsOf('2026-W48')).toEqual([
      {
        to: 'pengelola.manggarai@mpp.test',
        subject:
          '[Pemantauan MPP] Pengingat: laporan mingguan MPP Kabupaten Manggarai Timur belum masuk — Minggu ke-48 tahun 2026 (23–29 November 2026)',
      },
    ]);
    const [reminder] = ladder();
    expect(reminder.text).toContain('Senin, 30 November 2026 pukul 12.00 WITA');
    // The one-click link: signed for this manager, this MPP and this week.
    const token = /\/c\/([\w.-]+)/.exec(reminder.text)![1];
    expect(reminder.text).toContain(`${APP_URL}/c/${token}`);
    expect(t.app.get(CheckInLinks).verify(token, clock.now())).toEqual({
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userId: manager.manggarai.id,
      mppId: mpp.manggarai.id,
      week: '2026-W48',
    });
  });

  it("week 48 evaluated: Bali's bureau gets one escalation naming Buleleng; the ministry gets the digest in each language", async () => {
    clock.set('2026-11-30T05:10:00Z'); // after the WIB deadline
    expect(await scheduler.tick()).toBe(1);
    await settled();
    expect(mailsOf('2026-W48')).toEqual([
      {
        to: 'analyst@menpan.test',
        subject: '[MPP Monitor] National digest, week 48 of 2026 (23–29 November 2026): 1 inactive, 1 newly flagged, reporting 75%',
      },
      {
        to: 'biro.bali@mpp.test',
        subject: '[Pemantauan MPP] 1 MPP di Provinsi Bali memerlukan tindak lanjut — Minggu ke-48 tahun 2026 (23–29 November 2026)',
      },
      {
        to: 'deputi@menpan.test',
        subject:
          '[Pemantauan MPP] Ringkasan nasional minggu ke-48 tahun 2026 (23–29 November 2026): 1 MPP tidak aktif, 1 kasus baru, pelaporan 75%',
      },
      {
        to: 'pengelola.manggarai@mpp.test',
        subject:
          '[Pemantauan MPP] Pengingat: laporan mingguan MPP Kabupaten Manggarai Timur belum masuk — Minggu ke-48 tahun 2026 (23–29 November 2026)',
      },
    ]);
    const bali = smtp.received.find((m) => m.to.includes('biro.bali@mpp.test'))!;
    expect(bali.text).toContain('- MPP Kabupaten Buleleng (Kabupaten Buleleng)');
    expect(bali.text).toContain('Alasan: pengelola melaporkan MPP tidak beroperasi');
    const [flag] = await t.sql(`SELECT id FROM flags WHERE mpp_id = $1`, [mpp.buleleng.id]);
    expect(bali.text).toContain(`${APP_URL}/flags/${flag.id}`);
    const digest = smtp.received.find((m) => m.to.includes('deputi@menpan.test'))!;
    expect(digest.text).toContain('- Bali: 100% / 100% / 1 dari 1 MPP');
    expect(digest.text).toContain('- Nusa Tenggara Timur: 50% / 50% / 0 dari 2 MPP');
    expect(digest.text).toContain('- MPP Kabupaten Buleleng, Bali: pengelola melaporkan MPP tidak beroperasi');
    expect(digest.text).toContain('4 dari 508 kabupaten/kota sudah memiliki MPP terdaftar');
  });

  it('week 49: a second missed week flags Manggarai (both NTT languages); Buleleng, unacknowledged, is escalated again', async () => {
    clock.set('2026-12-05T02:00:00Z');
    await checkIn('kupang', '2026-W49');
    await checkIn('lebak', '2026-W49');
    await checkIn('buleleng', '2026-W49', notOperating);
    clock.set('2026-12-07T00:30:00Z');
    await scheduler.tick();
    clock.set('2026-12-07T05:10:00Z');
    expect(await scheduler.tick()).toBe(1);
    await settled();
    expect(mailsOf('2026-W49')).toEqual([
      {
        to: 'advisor.ntt@mpp.test',
        subject: '[MPP Monitor] 1 MPP in Nusa Tenggara Timur needs follow-up — Week 49 of 2026 (30 November–6 December 2026)',
      },
      {
        to: 'analyst@menpan.test',
        subject: '[MPP Monitor] National digest, week 49 of 2026 (30 November–6 December 2026): 2 inactive, 1 newly flagged, reporting 75%',
      },
      {
        to: 'biro.bali@mpp.test',
        subject:
          '[Pemantauan MPP] 1 MPP di Provinsi Bali memerlukan tindak lanjut (1 eskalasi ulang) — Minggu ke-49 tahun 2026 (30 November–6 Desember 2026)',
      },
      {
        to: 'biro.ntt@mpp.test',
        subject:
          '[Pemantauan MPP] 1 MPP di Provinsi Nusa Tenggara Timur memerlukan tindak lanjut — Minggu ke-49 tahun 2026 (30 November–6 Desember 2026)',
      },
      {
        to: 'deputi@menpan.test',
        subject:
          '[Pemantauan MPP] Ringkasan nasional minggu ke-49 tahun 2026 (30 November–6 Desember 2026): 2 MPP tidak aktif, 1 kasus baru, pelaporan 75%',
      },
      {
        to: 'pengelola.manggarai@mpp.test',
        subject:
          '[Pemantauan MPP] Pengingat: laporan mingguan MPP Kabupaten Manggarai Timur belum masuk — Minggu ke-49 tahun 2026 (30 November–6 Desember 2026)',
      },
    ]);
    const ntt = smtp.received.find((m) => m.to.includes('biro.ntt@mpp.test') && inWeek(m.subject, '2026-W49'))!;
    expect(ntt.text).toContain('- MPP Kabupaten Manggarai Timur (Kabupaten Manggarai Timur)');
    expect(ntt.text).toContain('tidak melapor 2 minggu berturut-turut');
    expect(ntt.text).not.toContain('Kupang');
    const bali = smtp.received.find((m) => m.to.includes('biro.bali@mpp.test') && inWeek(m.subject, '2026-W49'))!;
    expect(bali.text).toContain('Eskalasi ulang — belum ditanggapi — eskalasi ke-2');
    expect(bali.text).toContain('Dalam pemantauan sejak: minggu ke-48 tahun 2026 (23–29 November 2026)');
    const digest = smtp.received.find((m) => m.to.includes('deputi@menpan.test') && inWeek(m.subject, '2026-W49'))!;
    expect(digest.text).toMatch(
      /ESKALASI ULANG: BELUM DITANGGAPI BIRO ORGANISASI 7 HARI SETELAH SUREL PERTAMA \(1\)\n- MPP Kabupaten Buleleng, Bali: dalam pemantauan sejak minggu ke-48 tahun 2026 \(23–29 November 2026\) \(2 minggu\), eskalasi ke-2/,
    );
    expect(await t.sql(`SELECT escalations, last_escalated_week FROM flags WHERE mpp_id = $1`, [mpp.buleleng.id])).toEqual([
      { escalations: 2, last_escalated_week: '2026-W49' },
    ]);
  });

  it('re-running the evaluation and the schedule sends nothing twice; delivery state is visible to the ministry only', async () => {
    const before = smtp.received.length;
    expect(ladder()).toHaveLength(10);
    expect(before).toBe(16); // and 3 receipts a week
    const rerun = await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W49/evaluate');
    expect(rerun.status).toBe(200);
    await scheduler.tick();
    await new Promise((r) => setTimeout(r, 500));
    await settled();
    expect(smtp.received.length).toBe(before);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(before);
    expect(await t.sql(`SELECT escalations FROM flags WHERE mpp_id = $1`, [mpp.buleleng.id])).toEqual([{ escalations: 2 }]);

    const list = await t.as(people.ministry.token).get<NotificationView[]>('/api/v1/notifications?week=2026-W49');
    expect(list.status).toBe(200);
    expect(list.body.filter((n) => n.kind !== 'check_in_receipt')).toHaveLength(6);
    expect(list.body.filter((n) => n.kind === 'check_in_receipt')).toHaveLength(3);
    for (const n of list.body) expect(n).toMatchObject({ status: 'sent', attempts: 1, lastError: null, week: '2026-W49' });
    expect(
      list.body
        .filter((n) => n.kind === 'bureau_escalation')
        .map((n) => n.recipients)
        .sort(),
    ).toEqual([['advisor.ntt@mpp.test'], ['biro.bali@mpp.test'], ['biro.ntt@mpp.test']]);
    const digests = await t.as(admin).get<NotificationView[]>('/api/v1/notifications?kind=ministry_digest&status=sent');
    expect(digests.body).toHaveLength(4);
    expect((await t.as(people.bureauBali.token).get<NotificationView[]>('/api/v1/notifications')).status).toBe(403);
    expect((await t.as(admin).get<NotificationView[]>('/api/v1/notifications?status=lost')).status).toBe(400);
    const metrics = await t.as().get('/metrics');
    expect(metrics.text).toContain('mpp_notifications{state="sent"} 16');
    expect(metrics.text).toMatch(/mpp_emails_total\{kind="bureau_escalation",outcome="sent"\} 4/);
  });
});
