import { APP_URL } from './support/backends';
import { SignedInUser } from './support/factories';
import { Scenario } from './support/scenario';
import type { ClosureView } from '../src/modules/mpps/closures.dto';

/**
 * Issue 16 item 6, the manager hears back: a receipt after each submission (durable with the
 * check-in, one per revision), and a Friday reminder beside Monday's, both skipping MPPs that are
 * excused or not expected that week. A fixed clock walks week 50 of 2026 in WITA (Nusa Tenggara Timur).
 */
describe('the manager hears back: receipts and reminders (e2e)', () => {
  let sc: Scenario;
  const mpp: Record<string, { id: string }> = {};
  const manager: Record<string, SignedInUser> = {};

  const put = (who: string, week: string, patch: Record<string, unknown> = {}) => sc.checkIn(manager[who], mpp[who].id, week, patch);
  const reminderRows = (kind: string) =>
    sc.t.sql<{ email: string; mpps: string[] }>(
      `SELECT recipients[1] AS email, array(SELECT x->>'name' FROM jsonb_array_elements(payload->'mpps') x) AS mpps
         FROM notifications WHERE kind = $1 AND week = '2026-W50' ORDER BY 1`,
      [kind],
    );

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-12-09T02:00:00Z', mail: true }); // Wednesday 9 December, 10.00 WITA (W50)
    mpp.reporter = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    mpp.silent = await sc.mpp({ regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' });
    mpp.excused = await sc.mpp({ regencyCode: '53.01', name: 'MPP Kabupaten Sumba Barat' });
    // Inaugurated on Saturday 12 December, open Monday–Friday: no opening day in W50, not expected.
    mpp.notExpected = await sc.mpp({ regencyCode: '53.02', name: 'MPP Kabupaten Sumba Timur', inauguratedOn: '2026-12-12' });
    for (const who of Object.keys(mpp)) {
      manager[who] = await sc.manager(mpp[who], { email: `pengelola.${who}@mpp.test`, name: `Pengelola ${who}` });
    }
    // Renovation over every opening day of W50, declared by an admin: approved at once, so excused.
    const closure = await sc.admin.post<ClosureView>(`/api/v1/mpps/${mpp.excused.id}/closures`, {
      from: '2026-12-07',
      to: '2026-12-11',
      category: 'renovation',
      reason: 'Renovasi gedung',
    });
    expect(closure.status).toBe(201);
  }, 60_000);

  afterAll(() => sc?.close());

  it('before Friday 08.00 WITA no reminder is due', async () => {
    await sc.scheduler.tick();
    sc.clock.set('2026-12-10T23:59:00Z'); // Friday 11 December, 07.59 WITA: the window is open, the reminder not yet due
    await sc.scheduler.tick();
    await sc.settled();
    expect(await reminderRows('manager_friday_reminder')).toEqual([]);
    expect(await reminderRows('manager_reminder')).toEqual([]);
  });

  it('a check-in is answered with a receipt recorded in the same commit, emailed in Indonesian: on time, deadline in WITA', async () => {
    sc.clock.set('2026-12-11T00:30:00Z'); // Friday 08.30 WITA
    const res = await put('reporter', '2026-W50', { visitors: 1240, transactions: 980 });
    expect(res.status).toBe(201);
    // Durable with the check-in: the row is there when the answer is.
    const rows = await sc.t.sql(
      `SELECT kind, scope, recipients, payload->>'revision' AS revision FROM notifications WHERE kind = 'check_in_receipt'`,
    );
    expect(rows).toEqual([
      { kind: 'check_in_receipt', scope: `check_in:${mpp.reporter.id}:1`, recipients: ['pengelola.reporter@mpp.test'], revision: '1' },
    ]);
    await sc.settled();
    const [mail] = sc.mailTo('pengelola.reporter@mpp.test');
    expect(mail.subject).toBe('[Pemantauan MPP] Tanda terima laporan MPP Kota Kupang — Minggu ke-50 tahun 2026 (7–13 Desember 2026)');
    expect(mail.text).toContain('Yth. Pengelola reporter,');
    expect(mail.text).toContain(
      'Laporan operasional mingguan MPP Kota Kupang untuk minggu ke-50 tahun 2026 (7–13 Desember 2026) telah kami terima.',
    );
    expect(mail.text).toContain(
      'Diterima pada Jumat, 11 Desember 2026 pukul 08.30 WITA, tepat waktu (batas waktu Senin, 14 Desember 2026 pukul 12.00 WITA).',
    );
    expect(mail.text).toContain('- Hari buka: 5');
    expect(mail.text).toContain('- Pengunjung: 1.240');
    expect(mail.text).toContain('- Transaksi layanan: 980');
    expect(mail.text).toContain('- Instansi yang melayani: 2 dari 2 instansi terdaftar');
    expect(mail.text).toContain('- Kondisi MPP: Normal');
    expect(mail.text).toContain(`${APP_URL}/check-in/${mpp.reporter.id}/2026-W50`);
  });

  it('the same body again sends nothing; a correction sends one updated receipt', async () => {
    const before = sc.smtp.received.length;
    expect((await put('reporter', '2026-W50', { visitors: 1240, transactions: 980 })).status).toBe(200);
    await sc.settled();
    expect(sc.smtp.received.length).toBe(before);
    expect((await put('reporter', '2026-W50', { visitors: 1300, transactions: 980 })).status).toBe(200);
    await sc.settled();
    const added = sc.smtp.received.slice(before);
    expect(added.map((m) => m.subject)).toEqual([
      '[Pemantauan MPP] Tanda terima laporan (perubahan ke-1) MPP Kota Kupang — Minggu ke-50 tahun 2026 (7–13 Desember 2026)',
    ]);
    expect(added[0].text).toContain('menggantikan laporan sebelumnya (perubahan ke-1)');
    expect(added[0].text).toContain('- Pengunjung: 1.300');
    expect(await sc.t.sql(`SELECT scope FROM notifications WHERE kind = 'check_in_receipt' ORDER BY scope`)).toEqual([
      { scope: `check_in:${mpp.reporter.id}:1` },
      { scope: `check_in:${mpp.reporter.id}:2` },
    ]);
  });

  it('Friday 08.00 WITA: the reminder goes to the manager who has not reported, not to the reporter, the excused or the not expected; once', async () => {
    sc.clock.set('2026-12-11T01:00:00Z'); // Friday 09.00 WITA
    await sc.scheduler.tick();
    await sc.settled();
    expect(await reminderRows('manager_friday_reminder')).toEqual([
      { email: 'pengelola.silent@mpp.test', mpps: ['MPP Kabupaten Manggarai Timur'] },
    ]);
    const [mail] = sc.mailTo('pengelola.silent@mpp.test');
    expect(mail.subject).toBe(
      '[Pemantauan MPP] Pengisian laporan mingguan MPP Kabupaten Manggarai Timur sudah dibuka — Minggu ke-50 tahun 2026 (7–13 Desember 2026)',
    );
    expect(mail.text).toContain('Batas waktu pengisian: Senin, 14 Desember 2026 pukul 12.00 WITA.');
    expect(mail.text).toContain(`${APP_URL}/c/`);
    const before = sc.smtp.received.length;
    // Re-running the scheduler, on Friday or at the weekend, decides nothing twice.
    await sc.scheduler.tick();
    sc.clock.set('2026-12-12T03:00:00Z'); // Saturday
    await sc.scheduler.tick();
    await sc.settled();
    expect(sc.smtp.received.length).toBe(before);
    // One claim per zone; only WITA's found a manager to remind.
    expect(
      await sc.t.sql(
        `SELECT part, created FROM notification_plans WHERE kind = 'manager_friday_reminder' AND week = '2026-W50' ORDER BY part`,
      ),
    ).toEqual([
      { part: 'WIB', created: 0 },
      { part: 'WIT', created: 0 },
      { part: 'WITA', created: 1 },
    ]);
  });

  it('Monday 08.00 WITA: the deadline reminder likewise, once', async () => {
    sc.clock.set('2026-12-14T00:00:00Z'); // Monday 14 December, 08.00 WITA (4 hours before the deadline)
    await sc.scheduler.tick();
    await sc.scheduler.tick();
    await sc.settled();
    expect(await reminderRows('manager_reminder')).toEqual([
      { email: 'pengelola.silent@mpp.test', mpps: ['MPP Kabupaten Manggarai Timur'] },
    ]);
    expect(sc.mailTo('pengelola.silent@mpp.test').map((m) => m.subject.replace(/ — .*/, ''))).toEqual([
      '[Pemantauan MPP] Pengisian laporan mingguan MPP Kabupaten Manggarai Timur sudah dibuka',
      '[Pemantauan MPP] Pengingat: laporan mingguan MPP Kabupaten Manggarai Timur belum masuk',
    ]);
    for (const who of ['excused', 'notExpected']) expect(sc.mailTo(`pengelola.${who}@mpp.test`)).toEqual([]);
    expect(sc.mailTo('pengelola.reporter@mpp.test').map((m) => m.subject)).toEqual([
      expect.stringContaining('Tanda terima laporan MPP Kota Kupang'),
      expect.stringContaining('Tanda terima laporan (perubahan ke-1)'),
    ]);
  });

  it('a late check-in gets a receipt that says it was late, against the deadline in WITA', async () => {
    sc.clock.set('2026-12-14T05:30:00Z'); // Monday 13.30 WITA, after the 12.00 deadline
    expect((await put('silent', '2026-W50')).status).toBe(201);
    await sc.settled();
    const receipt = sc.mailTo('pengelola.silent@mpp.test').find((m) => m.subject.includes('Tanda terima'))!;
    expect(receipt.subject).toBe(
      '[Pemantauan MPP] Tanda terima laporan MPP Kabupaten Manggarai Timur — Minggu ke-50 tahun 2026 (7–13 Desember 2026) (terlambat)',
    );
    expect(receipt.text).toContain(
      'Diterima pada Senin, 14 Desember 2026 pukul 13.30 WITA, TERLAMBAT: setelah batas waktu Senin, 14 Desember 2026 pukul 12.00 WITA.',
    );
  });
});
