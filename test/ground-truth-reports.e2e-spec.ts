import { existsSync } from 'node:fs';
import Papa from 'papaparse';
import { Browser, chromium, Page } from 'playwright-core';
import readExcelFile from 'read-excel-file/node';
import { FixedClock } from '../src/common/clock';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { PASSWORD, TestApp } from './support/app';
import { solvedAltcha } from './support/altcha';
import { APP_URL } from './support/backends';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import { ReceivedMail, TestSmtpServer, waitUntil } from './support/smtp';
import type { NewSignalSource, Disputes } from './support/answers';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { WeeklyReport } from '../src/modules/reports/reports.types';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCRIPT_NOTE = '<script>window.__pwned=1</script>Pintu terkunci jam 10';

/**
 * Ground truth in what officials read (issue 18): the digest, the weekly report and the national
 * page count disputed weeks and citizens' reports per province; the bureau's case page and email
 * show a disputed week's evidence, escaped, to that province only.
 *
 * Week 48 of 2026 (23–29 November), hand-checked:
 *   NTT (53): Kupang, 3 citizens found it closed → disputed; Manggarai, 1 report of a missing
 *             service → not disputed; Kabupaten Kupang, its queue machine pinged on 2 of 5 claimed days → disputed.
 *             Disputed 2, citizens' reports 4.
 *   Bali (51): Buleleng (flagged in week 47), 3 citizens found it closed and 1 other report → disputed;
 *             Tabanan, nothing. Disputed 1, citizens' reports 4.
 *   National: disputed 3, citizens' reports 8.
 */
describe('disputes and citizens’ reports in the digest, the weekly report and the bureau’s evidence (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-18T03:00:00Z')); // Wednesday of W47
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: string;
  let browser: Browser;
  let base: string;
  const mpp: Record<string, { id: string }> = {};
  const people: Record<string, { id: string; email: string; token: string }> = {};

  const citizen = async (who: string, ip: string, body: Record<string, unknown>) => {
    const res = await t
      .as()
      .post(`/api/v1/public/mpps/${mpp[who].id}/reports`, { visitedOn: '2026-11-25', ...body, altcha: await solvedAltcha(t) }, { ip });
    expect(res.status).toBe(202);
  };
  const mailTo = (email: string, subjectPart: string): ReceivedMail => {
    const found = smtp.received.filter((m) => m.to.includes(email) && m.subject.includes(subjectPart));
    expect({ email, subjectPart, found: found.length }).toEqual({ email, subjectPart, found: 1 });
    return found[0];
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
    smtp = await TestSmtpServer.start();
    t = await TestApp.start({ clock, env: { APP_MODE: 'all', SMTP_URL: smtp.url, APP_URL, NOTIFY_BACKOFF_MS: '100' } });
    await stopCycleCron(t.app);
    const scheduler = t.app.get(CyclesScheduler);
    admin = await t.adminToken();
    const registry: Record<string, [string, string]> = {
      kupang: ['53.71', 'MPP Kota Kupang'],
      manggarai: ['53.19', 'MPP Kabupaten Manggarai Timur'],
      kabKupang: ['53.02', 'MPP Kabupaten Kupang'],
      buleleng: ['51.08', 'MPP Kabupaten Buleleng'],
      tabanan: ['51.02', 'MPP Kabupaten Tabanan'],
    };
    const managers: Record<string, string> = {};
    for (const [key, [regencyCode, name]] of Object.entries(registry)) {
      mpp[key] = await createMpp(t, admin, { regencyCode, name });
      managers[key] = (await createUser(t, admin, { role: 'manager', mppIds: [mpp[key].id] })).token;
    }
    people.bureauNtt = await createUser(t, admin, { role: 'bureau', provinceCode: '53', email: 'biro.ntt@mpp.test' });
    people.bureauBali = await createUser(t, admin, { role: 'bureau', provinceCode: '51', email: 'biro.bali@mpp.test' });
    people.ministry = await createUser(t, admin, { role: 'ministry', email: 'deputi@menpan.test' });
    const machine = (
      await t.as(admin).post<NewSignalSource>(`/api/v1/mpps/${mpp.kabKupang.id}/signal-sources`, { name: 'Mesin antrean' })
    ).body.pingUrl.replace(/^https?:\/\/[^/]+/, '');
    const checkIn = async (who: string, week: string, patch: Record<string, unknown> = {}) =>
      expect((await t.as(managers[who]).put<CheckInView>(`/api/v1/mpps/${mpp[who].id}/check-ins/${week}`, checkInBody(patch))).status).toBe(
        201,
      );

    // Week 47: Buleleng says it did not operate, which opens a case for the Bali bureau.
    clock.set('2026-11-20T03:00:00Z');
    for (const who of ['kupang', 'manggarai', 'kabKupang', 'tabanan']) await checkIn(who, '2026-W47');
    await checkIn('buleleng', '2026-W47', {
      status: 'not_operating',
      daysOpen: 0,
      visitors: 0,
      transactions: 0,
      closureReason: 'Listrik padam',
    });
    clock.set('2026-11-23T05:30:00Z');
    expect(await scheduler.tick()).toBe(1);

    // Week 48: every MPP claims five days open.
    clock.set('2026-11-27T03:00:00Z');
    for (const who of Object.keys(registry)) await checkIn(who, '2026-W48');
    for (const day of ['2026-11-24', '2026-11-25']) expect((await t.as().get(`${machine}?date=${day}`)).status).toBe(202);
    await citizen('kupang', '10.53.0.1', { kind: 'closed', note: 'Tutup sejak pagi' });
    await citizen('kupang', '10.53.0.2', { kind: 'closed', visitedOn: '2026-11-24' });
    await citizen('kupang', '10.53.0.3', { kind: 'closed' });
    await citizen('manggarai', '10.53.0.4', { kind: 'service_unavailable', agency: 'Disdukcapil', note: 'KTP tidak bisa dicetak' });
    await citizen('buleleng', '10.51.0.1', { kind: 'closed', note: SCRIPT_NOTE });
    await citizen('buleleng', '10.51.0.2', { kind: 'closed', visitedOn: '2026-11-26' });
    await citizen('buleleng', '10.51.0.3', { kind: 'closed' });
    await citizen('buleleng', '10.51.0.4', { kind: 'other', note: 'Loket kosong' });
    clock.set('2026-11-30T05:30:00Z');
    expect(await scheduler.tick()).toBe(1);
    await waitUntil(
      async () => (await t.sql(`SELECT count(*)::int AS n FROM notifications WHERE week = '2026-W48' AND state <> 'sent'`))[0].n === 0,
      30_000,
      () => 'the week 48 emails to be sent',
    );
    base = await t.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 900 } })).newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    return page;
  }

  it('the weekly report counts disputed weeks and citizens’ reports per province, in JSON, CSV and XLSX', async () => {
    const res = await t.as(people.ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48');
    expect(res.status).toBe(200);
    expect(res.body.national).toMatchObject({ expected: 5, disputed: 3, citizenReports: 8 });
    expect(res.body.provinces.map((p) => [p.provinceCode, p.disputed, p.citizenReports, p.counts.at_risk])).toEqual([
      ['51', 1, 4, 1],
      ['53', 2, 4, 2],
    ]);
    // Week 47 had neither.
    const w47 = (await t.as(people.ministry.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W47')).body;
    expect(w47.national).toMatchObject({ disputed: 0, citizenReports: 0 });
    // A bureau sees its own province's figures only.
    const bali = (await t.as(people.bureauBali.token).get<WeeklyReport>('/api/v1/reports/weekly/2026-W48')).body;
    expect(bali.national).toMatchObject({ disputed: 1, citizenReports: 4 });

    const csv = await t.as(people.ministry.token).get('/api/v1/reports/weekly/2026-W48?format=csv');
    const rows = Papa.parse<string[]>(csv.text.replace(/^\ufeff/, '').trim()).data;
    expect(rows[0].slice(-2)).toEqual(['Laporan dibantah', 'Laporan warga']);
    expect(rows.slice(1).map((r) => [r[1], ...r.slice(-2)])).toEqual([
      ['Bali', '1', '4'],
      ['Nusa Tenggara Timur', '2', '4'],
      ['NASIONAL', '3', '8'],
    ]);
    const xlsx = await t.as(people.ministry.token).get('/api/v1/reports/weekly/2026-W48?format=xlsx');
    const [provinces] = await readExcelFile(xlsx.raw);
    const header = provinces.data[0] as string[];
    const at = (name: string) => header.indexOf(name);
    expect(at('Laporan dibantah')).toBeGreaterThan(1);
    expect(provinces.data.slice(1).map((r) => [r[1], r[at('Laporan dibantah')], r[at('Laporan warga')]])).toEqual([
      ['Bali', 1, 4],
      ['Nusa Tenggara Timur', 2, 4],
      ['NASIONAL', 3, 8],
    ]);
  });

  it('the ministry digest, read from the SMTP server, counts them per province and nationally', async () => {
    const digest = mailTo(people.ministry.email, 'Ringkasan nasional minggu ke-48');
    expect(digest.text).toContain(
      'Laporan pengelola yang dibantah laporan warga atau sinyal aktivitas: 3 · laporan warga yang diterima: 8',
    );
    expect(digest.text).toMatch(/- Bali: [^\n]* dari 2 MPP; 1 dibantah, 4 laporan warga\n/);
    expect(digest.text).toMatch(/- Nusa Tenggara Timur: [^\n]* dari 3 MPP; 2 dibantah, 4 laporan warga\n/);
    expect(digest.html).toMatch(/<td>Bali<\/td>(<td align="right">[^<]*<\/td>){4}<td align="right">1<\/td><td align="right">4<\/td>/);
    // The digest carries counts only: no citizen's note reaches the ministry's inbox.
    expect(digest.text).not.toContain('Pintu terkunci');
  });

  it('the national page shows the same counts per province', async () => {
    const page = await signIn(people.ministry.email);
    await page.goto(`${base}/national`);
    const rows = await page.$$eval('table', (tables) =>
      tables
        .filter((table) => table.textContent?.includes('Laporan dibantah'))
        .flatMap((table) => [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent?.trim()))),
    );
    expect(rows).toEqual([
      ['Provinsi', 'Laporan dibantah', 'Laporan warga'],
      ['Bali', '1', '4'],
      ['Nusa Tenggara Timur', '2', '4'],
      ['Nasional', '3', '8'],
    ]);
  });

  it('the bureau email shows each disputed week’s evidence, the notes escaped, to its own province only', async () => {
    const bali = mailTo(people.bureauBali.email, 'Minggu ke-48');
    expect(bali.subject).toContain('1 laporan dibantah');
    expect(bali.text).toContain('LAPORAN PENGELOLA YANG DIBANTAH (1 MPP)');
    expect(bali.text).toContain('Laporan warga: 3 MPP ditemukan tutup, 0 layanan tidak tersedia, 1 lainnya');
    expect(bali.text).toContain('Tanggal kunjungan: Rabu, 25 November 2026; Kamis, 26 November 2026');
    expect(bali.text).toContain('Catatan warga (25 November 2026, lainnya): Loket kosong');
    expect(bali.text).toContain('Sinyal aktivitas: MPP ini belum memiliki sumber sinyal aktivitas (diklaim buka 5 hari)');
    // HTML: the note is text, never markup.
    // (Handlebars escapes '=' too.)
    expect(bali.html).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;Pintu terkunci jam 10');
    expect(bali.html).not.toContain('<script>window.__pwned');
    expect(bali.html).toContain(`${APP_URL}/flags/`);
    for (const other of ['MPP Kota Kupang', 'Tutup sejak pagi', 'KTP tidak bisa dicetak']) expect(bali.text).not.toContain(other);

    // NTT has no case this week: its bureau still hears of its two disputed self-reports.
    const ntt = mailTo(people.bureauNtt.email, 'Minggu ke-48');
    expect(ntt.subject).toContain('2 laporan MPP di Provinsi Nusa Tenggara Timur dibantah');
    expect(ntt.text).toContain('tidak ada MPP di wilayah Bapak/Ibu yang dalam pemantauan');
    expect(ntt.text).not.toContain('Mohon tanggapan Bapak/Ibu paling lambat');
    expect(ntt.text).toContain('Laporan warga: 3 MPP ditemukan tutup, 0 layanan tidak tersedia, 0 lainnya');
    expect(ntt.text).toContain('Tanggal kunjungan: Selasa, 24 November 2026; Rabu, 25 November 2026');
    expect(ntt.text).toContain(
      'Sinyal aktivitas: diklaim buka 5 hari, aktivitas tercatat pada 2 hari (Selasa, 24 November 2026; Rabu, 25 November 2026)',
    );
    // Manggarai's single report disputes nothing, so it is not listed.
    expect(ntt.text).not.toContain('KTP tidak bisa dicetak');
    for (const other of ['Buleleng', 'Loket kosong', 'pwned']) expect(ntt.text + ntt.html).not.toContain(other);
  });

  it('the case page shows the evidence with the note escaped (it never runs), and another province gets 404', async () => {
    const [flag] = await t.sql(`SELECT id FROM flags WHERE mpp_id = $1`, [mpp.buleleng.id]);
    const page = await signIn(people.bureauBali.email);
    const res = await page.goto(`${base}/flags/${flag.id}`);
    expect(res?.status()).toBe(200);
    const evidence = (await page.textContent('#flag-disputes'))!.replace(/\s+/g, ' ');
    expect(evidence).toContain('Minggu ke-48 tahun 2026 (23–29 November 2026)');
    expect(evidence).toContain('Laporan warga: 3 MPP ditemukan tutup, 0 layanan tidak tersedia, 1 lainnya');
    expect(evidence).toContain('Tanggal kunjungan: Rabu, 25 November 2026; Kamis, 26 November 2026');
    expect(evidence).toContain(`25 November 2026 · MPP ditemukan tutup: ${SCRIPT_NOTE}`);
    expect(evidence).toContain('Belum dikonfirmasi Biro Organisasi');
    expect(evidence).toContain('MPP ini belum memiliki sumber sinyal aktivitas.');
    expect(await page.$$('#flag-disputes script')).toHaveLength(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await res!.text()).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    expect(await res!.text()).not.toContain('<script>window.__pwned');

    const elsewhere = await signIn(people.bureauNtt.email);
    const refused = await elsewhere.goto(`${base}/flags/${flag.id}`);
    expect(refused?.status()).toBe(404);
    expect(await elsewhere.textContent('main')).not.toContain('Pintu terkunci');
    const api = await t.as(people.bureauNtt.token).get<Disputes>(`/api/v1/mpps/${mpp.buleleng.id}/disputes`);
    expect(api.status).toBe(404);
    expect(api.text).not.toContain('Pintu terkunci');
  });

  it('the disputes API carries the same evidence, summed up', async () => {
    const res = await t.as(people.bureauNtt.token).get<Disputes>(`/api/v1/mpps/${mpp.kabKupang.id}/disputes`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        week: '2026-W48',
        rules: ['contradicted_by_signals'],
        evidence: {
          citizenCounts: { closed: 0, service_unavailable: 0, other: 0 },
          visitDates: [],
          notes: [],
          signals: { hasSource: true, daysClaimedOpen: 5, daysWithPings: 2, datesWithPings: ['2026-11-24', '2026-11-25'] },
        },
      }),
    ]);
  });
});
