import { existsSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { FixedClock } from '../src/common/clock';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NTT_MPPS = 103;

/**
 * Issue 16 item 4 / issue 19: the bureau's landing page stays a page at a time for a province of
 * many MPPs ("Halaman 1 dari 3"), and narrows to one state (before the deadline: reported, not yet…;
 * after the evaluation: the verdict), with each state's count, the filter kept across pages.
 */
describe('bureau landing page at province scale, in a real browser (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-28T02:00:00Z')); // Saturday of W48: the window is open
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let bureauEmail: string;
  let ministryEmail: string;

  async function open(path: string, email = bureauEmail): Promise<{ page: Page; status: number }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', email);
    await page.fill('#password', 'Rahasia-Kuat-2026!');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    const res = await page.goto(`${base}${path}`);
    return { page, status: res!.status() };
  }
  const rows = (page: Page) =>
    page.$$eval('#bureau-mpps tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((td) => td.textContent!.trim())));
  const paging = (page: Page) => page.textContent('#bureau-paging').then((s) => s!.replace(/\s+/g, ' ').trim());

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app);
    base = await t.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const admin = await t.adminToken();
    const ntt = [];
    for (let i = 1; i <= NTT_MPPS; i++)
      ntt.push(await createMpp(t, admin, { regencyCode: '53.71', name: `MPP Uji ${String(i).padStart(3, '0')}` }));
    await createMpp(t, admin, { regencyCode: '51.08', name: 'MPP Kabupaten Buleleng' }); // another province: never listed
    for (const mpp of ntt.slice(0, 3)) {
      const manager = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] });
      const res = await t.as(manager.token).put<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, checkInBody());
      expect(res.status).toBe(201);
    }
    bureauEmail = (await createUser(t, admin, { role: 'bureau', provinceCode: '53', email: 'biro.ntt@mpp.test' })).email;
    ministryEmail = (await createUser(t, admin, { role: 'ministry', email: 'deputi@menpan.test' })).email;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('before the deadline: 50 a page, "Halaman 1 dari 3"; narrowed to one state with its count, kept across pages', async () => {
    const { page } = await open('/bureau');
    expect(await paging(page)).toBe(`Jumlah MPP: ${NTT_MPPS} · Halaman 1 dari 3`);
    const first = await rows(page);
    expect(first).toHaveLength(50);
    expect(first.flat().join(' ')).not.toContain('Buleleng');
    expect(await page.$$eval('#state option', (os) => os.map((o) => o.textContent!.trim()))).toEqual([
      `Semua MPP (${NTT_MPPS})`,
      'Belum melapor (100)',
      'Sudah melapor (3)',
    ]);

    await page.selectOption('#state', 'reported');
    await Promise.all([page.waitForLoadState('load'), page.click('#bureau-filter button')]);
    expect(new URL(page.url()).searchParams.get('state')).toBe('reported');
    expect(await paging(page)).toBe(`Jumlah MPP: ${NTT_MPPS} · 3 ditampilkan`);
    expect((await rows(page)).map((r) => [r[0], r[2]])).toEqual([
      ['MPP Uji 001', 'Sudah melapor'],
      ['MPP Uji 002', 'Sudah melapor'],
      ['MPP Uji 003', 'Sudah melapor'],
    ]);

    const pending = await open('/bureau?state=pending');
    expect(await paging(pending.page)).toBe(`Jumlah MPP: ${NTT_MPPS} · 100 ditampilkan · Halaman 1 dari 2`);
    expect(new Set((await rows(pending.page)).map((r) => r[2]))).toEqual(new Set(['Belum melapor']));
    await Promise.all([pending.page.waitForLoadState('load'), pending.page.click('text=Berikutnya')]);
    expect(new URL(pending.page.url()).search).toBe('?page=2&state=pending');
    expect(await rows(pending.page)).toHaveLength(50);
    expect((await rows(pending.page))[0][0]).toBe('MPP Uji 054');

    // The last page, and a stale link past it, show the last three; a state the page does not know is a 400.
    expect(await rows((await open('/bureau?page=3')).page)).toHaveLength(3);
    const stale = await open('/bureau?page=9');
    expect(await paging(stale.page)).toBe(`Jumlah MPP: ${NTT_MPPS} · Halaman 3 dari 3`);
    const bogus = await open('/bureau?state=bogus');
    expect(bogus.status).toBe(400);
  });

  it('states the deadline moved past a holiday on its Monday, and back when the holiday is withdrawn', async () => {
    const deadline = (page: Page) => page.textContent('main p:has-text("Batas") strong').then((s) => s!.trim());
    expect(await deadline((await open('/bureau')).page)).toBe('Senin, 30 November 2026 pukul 12.00 WITA');
    const admin = await t.adminToken();
    const added = await t.as(admin).post('/api/v1/holidays', { date: '2026-11-30', kind: 'national', name: 'Libur uji' });
    expect(added.status).toBe(201);
    expect(await deadline((await open('/bureau')).page)).toBe('Selasa, 1 Desember 2026 pukul 12.00 WITA');
    expect((await t.as(admin).delete('/api/v1/holidays/2026-11-30')).status).toBe(204);
    expect(await deadline((await open('/bureau')).page)).toBe('Senin, 30 November 2026 pukul 12.00 WITA');
  });

  it('after the evaluation: the verdicts, narrowed by result', async () => {
    clock.set('2026-11-30T05:10:00Z');
    expect(await t.app.get(CyclesScheduler).tick()).toBe(1);
    const { page } = await open('/bureau?state=not_reporting');
    expect(await paging(page)).toBe(`Jumlah MPP: ${NTT_MPPS} · 100 ditampilkan · Halaman 1 dari 2`);
    const verdicts = await page.$$eval('#bureau-mpps span.result', (els) => els.map((e) => e.textContent!.trim()));
    expect(verdicts).toHaveLength(50);
    expect(new Set(verdicts)).toEqual(new Set(['Tidak melapor']));
    // The rows are rendered once per data version and language: the English page has English rows.
    const english = await open('/bureau?state=not_reporting&lang=en');
    expect(new Set(await english.page.$$eval('#bureau-mpps span.result', (els) => els.map((e) => e.textContent!.trim())))).toEqual(
      new Set(['Not reporting']),
    );
    const again = await open('/bureau?state=not_reporting&lang=id');
    expect(await again.page.$$eval('#bureau-mpps span.result', (els) => els.map((e) => e.textContent!.trim()))).toEqual(verdicts);
    expect(await page.$$eval('#state option', (os) => os.map((o) => o.textContent!.trim()))).toEqual([
      `Semua MPP (${NTT_MPPS})`,
      'Aktif (3)',
      'Tidak melapor (100)',
    ]);
  });

  it('the ministry drills down from the national page to the province as its bureau sees it', async () => {
    const national = await open('/national', ministryEmail);
    expect(national.status).toBe(200);
    const links = await national.page.$$eval('#province-links a', (as) => as.map((a) => [a.textContent!.trim(), a.getAttribute('href')]));
    expect(links).toEqual(
      expect.arrayContaining([
        ['Nusa Tenggara Timur', '/national/provinsi/53'],
        ['Bali', '/national/provinsi/51'],
      ]),
    );
    await Promise.all([national.page.waitForLoadState('load'), national.page.click('#province-links >> text=Nusa Tenggara Timur')]);
    const page = national.page;
    expect(new URL(page.url()).pathname).toBe('/national/provinsi/53');
    expect(await page.textContent('h1')).toContain('Nusa Tenggara Timur');
    // Exactly the bureau's view: the same rows, the same paging, filters and pages under the drill-down's own address.
    const bureau = await open('/bureau');
    expect(await rows(page)).toEqual(await rows(bureau.page));
    expect(await paging(page)).toBe(await paging(bureau.page));
    expect(await page.getAttribute('#bureau-filter', 'action')).toBe('/national/provinsi/53');
    await Promise.all([page.waitForLoadState('load'), page.click('text=Berikutnya')]);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/national/provinsi/53?page=2');
    expect(await page.textContent('#back-to-national')).toContain('Kembali ke ringkasan nasional');
    // An unknown province is a 404; a bureau cannot open the drill-down.
    expect((await open('/national/provinsi/99', ministryEmail)).status).toBe(404);
    expect((await open('/national/provinsi/53')).status).toBe(403);
  });
});
