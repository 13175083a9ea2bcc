import { APP_URL } from './support/backends';
import { MppInput, SignedInUser } from './support/factories';
import { Scenario } from './support/scenario';

/**
 * Issue 16 item 6, the manager hears back: a receipt after each submission (durable with the
 * check-in, one per revision), and a Friday reminder beside Monday's, both skipping MPPs that are
 * excused or not expected that week. A fixed clock walks week 50 of 2026 in WITA (Nusa Tenggara Timur).
 * Each test makes its own MPPs and managers; the week's reminders are one story, told in one test.
 */
describe('the manager hears back: receipts and reminders (e2e)', () => {
  let sc: Scenario;

  /** An MPP in NTT with its manager `pengelola.<who>@mpp.test`, named "Pengelola <who>". */
  const mppWithManager = async (who: string, input: MppInput): Promise<{ mpp: { id: string }; manager: SignedInUser }> => {
    const mpp = await sc.mpp(input);
    return { mpp, manager: await sc.manager(mpp, { email: `pengelola.${who}@mpp.test`, name: `Pengelola ${who}` }) };
  };
  const reminderRows = (kind: string, emails: string[]) =>
    sc.t.sql<{ email: string; mpps: string[] }>(
      `SELECT recipients[1] AS email, array(SELECT x->>'name' FROM jsonb_array_elements(payload->'mpps') x) AS mpps
         FROM notifications WHERE kind = $1 AND week = '2026-W50' AND recipients[1] = ANY($2) ORDER BY 1`,
      [kind, emails],
    );
  const receiptScopes = (mppId: string) =>
    sc.t.sql<{ scope: string }>(`SELECT scope FROM notifications WHERE kind = 'check_in_receipt' AND scope LIKE $1 ORDER BY scope`, [
      `check_in:${mppId}:%`,
    ]);

  beforeAll(async () => {
    sc = await Scenario.start({ at: '2026-12-09T02:00:00Z', mail: true }); // Wednesday 9 December, 10.00 WITA (W50)
  }, 60_000);

  afterAll(() => sc?.close());

  it('a check-in is answered with a receipt recorded in the same commit, emailed in Indonesian: on time, deadline in WITA', async () => {
    const { mpp, manager } = await mppWithManager('kupang', { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    sc.clock.set('2026-12-11T00:30:00Z'); // Friday 08.30 WITA
    const res = await sc.checkIn(manager, mpp.id, '2026-W50', { visitors: 1240, transactions: 980 });
    expect(res.status).toBe(201);
    // Durable with the check-in: the row is there when the answer is.
    const rows = await sc.t.sql(
      `SELECT kind, scope, recipients, payload->>'revision' AS revision FROM notifications WHERE kind = 'check_in_receipt' AND scope LIKE $1`,
      [`check_in:${mpp.id}:%`],
    );
    expect(rows).toEqual([
      { kind: 'check_in_receipt', scope: `check_in:${mpp.id}:1`, recipients: ['pengelola.kupang@mpp.test'], revision: '1' },
    ]);
    await sc.settled();
    const [mail] = sc.mailTo('pengelola.kupang@mpp.test');
    expect(mail.subject).toBe('[Pemantauan MPP] Tanda terima laporan MPP Kota Kupang — Minggu ke-50 tahun 2026 (7–13 Desember 2026)');
    expect(mail.text).toContain('Yth. Pengelola kupang,');
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
    expect(mail.text).toContain(`${APP_URL}/check-in/${mpp.id}/2026-W50`);
  });

  it('the same body again sends nothing; a correction sends one updated receipt', async () => {
    const { mpp, manager } = await mppWithManager('ende', { regencyCode: '53.08', name: 'MPP Kabupaten Ende' });
    const put = (visitors: number) => sc.checkIn(manager, mpp.id, '2026-W50', { visitors, transactions: 980 });
    sc.clock.set('2026-12-11T00:30:00Z'); // Friday 08.30 WITA
    expect((await put(1240)).status).toBe(201);
    await sc.settled();
    const mails = () => sc.mailTo('pengelola.ende@mpp.test');
    expect(mails()).toHaveLength(1); // the first receipt

    expect((await put(1240)).status).toBe(200);
    await sc.settled();
    expect(mails()).toHaveLength(1);
    expect((await put(1300)).status).toBe(200);
    await sc.settled();
    const added = mails().slice(1);
    expect(added.map((m) => m.subject)).toEqual([
      '[Pemantauan MPP] Tanda terima laporan (perubahan ke-1) MPP Kabupaten Ende — Minggu ke-50 tahun 2026 (7–13 Desember 2026)',
    ]);
    expect(added[0].text).toContain('menggantikan laporan sebelumnya (perubahan ke-1)');
    expect(added[0].text).toContain('- Pengunjung: 1.300');
    expect(await receiptScopes(mpp.id)).toEqual([{ scope: `check_in:${mpp.id}:1` }, { scope: `check_in:${mpp.id}:2` }]);
  });

  it('the week’s reminders: none before Friday 08.00 WITA; on Friday and on Monday one to the manager who has not reported, none to the reporter, the excused or the not expected; each once', async () => {
    // Step 1, the MPPs of the story: one that reports, one silent, one closed all week, one not yet open.
    const reporter = await mppWithManager('reporter', { regencyCode: '53.71', name: 'MPP Kota Kupang (melapor)' });
    await mppWithManager('silent', { regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' });
    const excused = await mppWithManager('excused', { regencyCode: '53.01', name: 'MPP Kabupaten Sumba Barat' });
    // Inaugurated on Saturday 12 December, open Monday–Friday: no opening day in W50, not expected.
    await mppWithManager('notExpected', {
      regencyCode: '53.02',
      name: 'MPP Kabupaten Sumba Timur',
      inauguratedOn: '2026-12-12',
    });
    const emails = ['reporter', 'silent', 'excused', 'notExpected'].map((who) => `pengelola.${who}@mpp.test`);
    // Renovation over every opening day of W50, declared by an admin: approved at once, so excused.
    sc.clock.set('2026-12-09T02:00:00Z'); // Wednesday 10.00 WITA
    const closure = await sc.admin.post(`/api/v1/mpps/${excused.mpp.id}/closures`, {
      from: '2026-12-07',
      to: '2026-12-11',
      category: 'renovation',
      reason: 'Renovasi gedung',
    });
    expect(closure.status).toBe(201);

    // Step 2, before Friday 08.00 WITA: the window is open, no reminder is due.
    await sc.scheduler.tick();
    sc.clock.set('2026-12-10T23:59:00Z'); // Friday 11 December, 07.59 WITA
    await sc.scheduler.tick();
    await sc.settled();
    expect(await reminderRows('manager_friday_reminder', emails)).toEqual([]);
    expect(await reminderRows('manager_reminder', emails)).toEqual([]);

    // Step 3, the reporter reports on Friday at 08.30 WITA.
    sc.clock.set('2026-12-11T00:30:00Z');
    expect((await sc.checkIn(reporter.manager, reporter.mpp.id, '2026-W50')).status).toBe(201);

    // Step 4, Friday 09.00 WITA: the Friday reminder goes to the silent manager only.
    sc.clock.set('2026-12-11T01:00:00Z');
    await sc.scheduler.tick();
    await sc.settled();
    expect(await reminderRows('manager_friday_reminder', emails)).toEqual([
      { email: 'pengelola.silent@mpp.test', mpps: ['MPP Kabupaten Manggarai Timur'] },
    ]);
    const [friday] = sc.mailTo('pengelola.silent@mpp.test');
    expect(friday.subject).toBe(
      '[Pemantauan MPP] Pengisian laporan mingguan MPP Kabupaten Manggarai Timur sudah dibuka — Minggu ke-50 tahun 2026 (7–13 Desember 2026)',
    );
    expect(friday.text).toContain('Batas waktu pengisian: Senin, 14 Desember 2026 pukul 12.00 WITA.');
    expect(friday.text).toContain(`${APP_URL}/c/`);
    // Re-running the scheduler, on Friday or at the weekend, decides nothing twice.
    await sc.scheduler.tick();
    sc.clock.set('2026-12-12T03:00:00Z'); // Saturday
    await sc.scheduler.tick();
    await sc.settled();
    expect(sc.mailTo('pengelola.silent@mpp.test')).toHaveLength(1);
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

    // Step 5, Monday 08.00 WITA (4 hours before the deadline): the deadline reminder likewise, once.
    sc.clock.set('2026-12-14T00:00:00Z');
    await sc.scheduler.tick();
    await sc.scheduler.tick();
    await sc.settled();
    expect(await reminderRows('manager_reminder', emails)).toEqual([
      { email: 'pengelola.silent@mpp.test', mpps: ['MPP Kabupaten Manggarai Timur'] },
    ]);
    expect(sc.mailTo('pengelola.silent@mpp.test').map((m) => m.subject.replace(/ — .*/, ''))).toEqual([
      '[Pemantauan MPP] Pengisian laporan mingguan MPP Kabupaten Manggarai Timur sudah dibuka',
      '[Pemantauan MPP] Pengingat: laporan mingguan MPP Kabupaten Manggarai Timur belum masuk',
    ]);
    for (const who of ['excused', 'notExpected']) expect(sc.mailTo(`pengelola.${who}@mpp.test`)).toEqual([]);
    expect(sc.mailTo('pengelola.reporter@mpp.test').map((m) => m.subject)).toEqual([
      expect.stringContaining('Tanda terima laporan MPP Kota Kupang (melapor)'),
    ]);
  });

  it('a late check-in gets a receipt that says it was late, against the deadline in WITA', async () => {
    const { mpp, manager } = await mppWithManager('late', { regencyCode: '53.10', name: 'MPP Kabupaten Sumba Timur (terlambat)' });
    sc.clock.set('2026-12-14T05:30:00Z'); // Monday 13.30 WITA, after the 12.00 deadline
    expect((await sc.checkIn(manager, mpp.id, '2026-W50')).status).toBe(201);
    await sc.settled();
    const receipt = sc.mailTo('pengelola.late@mpp.test').find((m) => m.subject.includes('Tanda terima'))!;
    expect(receipt.subject).toBe(
      '[Pemantauan MPP] Tanda terima laporan MPP Kabupaten Sumba Timur (terlambat) — Minggu ke-50 tahun 2026 (7–13 Desember 2026) (terlambat)',
    );
    expect(receipt.text).toContain(
      'Diterima pada Senin, 14 Desember 2026 pukul 13.30 WITA, TERLAMBAT: setelah batas waktu Senin, 14 Desember 2026 pukul 12.00 WITA.',
    );
  });
});
