import type { FlagDetailView } from '../src/modules/flags/flags.dto';
import { APP_URL } from './support/backends';
import { SignedInUser } from './support/factories';
import { Scenario } from './support/scenario';

/**
 * Issue 16 and issue 15 items 6–7: re-escalation counts from the bureau's FIRST email (a catch-up run
 * labels nothing as a repeat), a late check-in's flag reaches the bureau the same day, and the flag
 * carries its context and its follow-up actions. The catch-up run every test reads is the fixture,
 * made in beforeAll; each test that writes does so to its own MPP.
 */
describe('follow-up that works (e2e)', () => {
  let sc: Scenario;
  const mpp: Record<string, { id: string }> = {};
  const manager: Record<string, SignedInUser> = {};
  let bureauNtt: SignedInUser;

  const checkIn = async (who: string, week: string, patch: Record<string, unknown> = {}) => {
    const res = await sc.checkIn(manager[who], mpp[who].id, week, patch);
    expect([200, 201]).toContain(res.status);
  };
  const notOperating = {
    daysOpen: 0,
    tenantsServing: 0,
    visitors: 0,
    transactions: 0,
    status: 'not_operating',
    closureReason: 'Gedung rusak akibat banjir',
    problems: 'Perlu gedung sementara',
  };

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-11-25T02:00:00Z', mail: true }); // Wednesday of W48
    mpp.kupang = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    mpp.ende = await sc.mpp({ regencyCode: '53.08', name: 'MPP Kabupaten Ende' });
    mpp.buleleng = await sc.mpp({ regencyCode: '51.08', name: 'MPP Kabupaten Buleleng' });
    manager.kupang = await sc.manager(mpp.kupang, { email: 'pengelola.kupang@mpp.test', name: 'Maria Kewa', phone: '+62 812 3456 7890' });
    manager.ende = await sc.manager(mpp.ende, { email: 'pengelola.ende@mpp.test' });
    manager.buleleng = await sc.manager(mpp.buleleng, { email: 'pengelola.buleleng@mpp.test' });
    bureauNtt = await sc.bureau('53', { email: 'biro.ntt@mpp.test' });
    await sc.bureau('51', { email: 'biro.bali@mpp.test' });
    await sc.user({ role: 'ministry', email: 'deputi@menpan.test' });

    // Kupang (and Ende, whose flag the field-visit test acts on) not operating in W48 and W49; Buleleng normal.
    sc.clock.set('2026-11-27T02:00:00Z'); // Friday of W48
    for (const who of ['kupang', 'ende']) await checkIn(who, '2026-W48', notOperating);
    await checkIn('buleleng', '2026-W48');
    sc.clock.set('2026-12-04T02:00:00Z'); // Friday of W49
    for (const who of ['kupang', 'ende']) await checkIn(who, '2026-W49', notOperating);
    await checkIn('buleleng', '2026-W49');
    // The scheduler was down all of Monday 30 November: it catches up W48 and W49 on 7 December.
    sc.clock.set('2026-12-07T05:10:00Z');
    await sc.scheduler.tick();
    await sc.settled();
    sc.clock.set('2026-12-07T05:11:00Z');
    await sc.scheduler.tick();
    await sc.settled();
  }, 60_000);

  afterAll(() => sc?.close());

  const flagOf = async (who: string) => (await sc.t.sql<{ id: string }>(`SELECT id FROM flags WHERE mpp_id = $1`, [mpp[who].id]))[0].id;

  it('a catch-up run of two weeks a minute apart labels nothing as a re-escalation', async () => {
    const evaluated = await sc.t.sql(`SELECT week FROM cycles WHERE evaluated_at IS NOT NULL ORDER BY week`);
    expect(evaluated.map((c: { week: string }) => c.week)).toEqual(['2026-W48', '2026-W49']);
    const bureauMails = sc.smtp.received.filter((m) => m.to.includes('biro.ntt@mpp.test'));
    expect(bureauMails.length).toBeGreaterThanOrEqual(1);
    for (const m of bureauMails) expect(m.text).not.toMatch(/eskalasi ulang/i);
    const digests = sc.smtp.received.filter((m) => m.to.includes('deputi@menpan.test'));
    for (const m of digests) expect(m.text).toMatch(/EMAIL PERTAMA \(0\)|SUREL PERTAMA \(0\)/);
    const [flag] = await sc.t.sql(`SELECT escalations, first_emailed_at, respond_by FROM flags WHERE mpp_id = $1`, [mpp.kupang.id]);
    expect(flag.escalations).toBe(1);
    expect(flag.first_emailed_at.toISOString()).toBe('2026-12-07T05:10:00.000Z');
    // Friday 11 December 23:59 WITA.
    expect(flag.respond_by.toISOString()).toBe('2026-12-11T15:59:00.000Z');
  });

  it('the flag carries its context: the MPP and its managers, the latest check-in, recent weeks, the rules in numbers, respondBy', async () => {
    const res = await sc.as(bureauNtt.token).get<FlagDetailView>(`/api/v1/flags/${await flagOf('kupang')}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      mpp: {
        name: 'MPP Kota Kupang',
        regencyName: 'KOTA KUPANG',
        managers: [{ name: 'Maria Kewa', email: 'pengelola.kupang@mpp.test', phone: '+62 812 3456 7890' }],
      },
      latestCheckIn: {
        week: '2026-W49',
        status: 'not_operating',
        closureReason: 'Gedung rusak akibat banjir',
        problems: 'Perlu gedung sementara',
      },
      recentWeeks: [
        { week: '2026-W49', result: 'inactive' },
        { week: '2026-W48', result: 'inactive' },
      ],
      respondBy: '2026-12-11T15:59:00.000Z',
      actions: [],
    });
    expect(res.body.ruleDetails).toContainEqual({ code: 'zero_days_open', text: 'buka 0 dari 5 hari yang diwajibkan' });
    const bureauMail = sc.smtp.received.find((m) => m.to.includes('biro.ntt@mpp.test'))!;
    expect(bureauMail.text).toContain('Yth. Bapak/Ibu Kepala Biro Organisasi Sekretariat Daerah Provinsi Nusa Tenggara Timur');
    expect(bureauMail.text).toContain('Pengelola: Maria Kewa, pengelola.kupang@mpp.test, telepon +62 812 3456 7890');
    expect(bureauMail.text).toContain('Alasan tutup menurut pengelola: Gedung rusak akibat banjir');
    expect(bureauMail.text).toContain('paling lambat Jumat, 11 Desember 2026 pukul 23.59 WITA');
  });

  it('a bureau records a field visit with a target date: the flag is acknowledged and in follow-up', async () => {
    sc.clock.set('2026-12-08T02:00:00Z'); // Tuesday after the catch-up
    const id = await flagOf('ende');
    const bureau = sc.as(bureauNtt.token);
    const past = await bureau.post<FlagDetailView>(`/api/v1/flags/${id}/actions`, {
      kind: 'field_visit',
      note: 'Kunjungan lapangan',
      targetDate: '2026-12-01',
    });
    expect(past.status).toBe(400);
    const res = await bureau.post<FlagDetailView>(`/api/v1/flags/${id}/actions`, {
      kind: 'field_visit',
      note: 'Kunjungan lapangan bersama BPBD',
      targetDate: '2026-12-10',
    });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('in_follow_up');
    expect(res.body.actions).toMatchObject([{ kind: 'field_visit', targetDate: '2026-12-10', byUserId: bureauNtt.id, overdue: false }]);
    expect(res.body.history.map((e) => e.to)).toEqual(['open', 'acknowledged', 'in_follow_up']);
    const byManager = await sc
      .as(manager.ende.token)
      .post<FlagDetailView>(`/api/v1/flags/${id}/actions`, { kind: 'other', note: 'Saya pengelola', targetDate: '2026-12-10' });
    expect(byManager.status).toBe(403);
  });

  it("a late check-in that opens a flag after the week's bureau email reaches the bureau the same day, once", async () => {
    sc.clock.set('2026-12-08T02:00:00Z'); // Tuesday: within W49's correction window
    const before = sc.smtp.received.length;
    await checkIn('buleleng', '2026-W49', notOperating);
    await sc.settled();
    // The bureau's emails; the manager's receipts of the check-in are tested in manager-loop.e2e-spec.ts.
    const toBureaus = () => sc.smtp.received.slice(before).filter((m) => !m.to.includes('pengelola.buleleng@mpp.test'));
    const added = toBureaus();
    expect(added.map((m) => ({ to: m.to.join(','), subject: m.subject }))).toEqual([
      {
        to: 'biro.bali@mpp.test',
        subject:
          '[Pemantauan MPP] Kasus tambahan: MPP Kabupaten Buleleng memerlukan tindak lanjut — Minggu ke-49 tahun 2026 (30 November–6 Desember 2026)',
      },
    ]);
    expect(added[0].text).toContain('Kasus ini kami sampaikan hari ini sebagai tambahan');
    expect(added[0].text).toContain(`${APP_URL}/flags/`);
    // A correction of the same check-in decides nothing new.
    await checkIn('buleleng', '2026-W49', { ...notOperating, problems: 'Perlu gedung sementara dan genset' });
    await sc.settled();
    expect(toBureaus()).toHaveLength(1);
    const rows = await sc.t.sql(`SELECT scope FROM notifications WHERE kind = 'bureau_escalation' AND scope LIKE '%addition%'`);
    expect(rows).toHaveLength(1);
  });
});
