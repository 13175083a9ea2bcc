import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { FixedClock } from '../src/common/clock';
import { CheckInLinks } from '../src/modules/auth/check-in-links';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { ADMIN, PASSWORD, TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { FlagDetailView } from '../src/modules/flags/flags.dto';

const ARTIFACTS = join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Each role's weekly job in a real Chromium (Debian's, driven by playwright-core). */
describe('pages in a real browser (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-28T02:00:00Z')); // Saturday of W48: the window is open
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  const mpp: Record<string, { id: string }> = {};
  const people: Record<string, { id: string; email: string; token: string }> = {};

  async function signIn(email: string, password = PASSWORD, viewport = { width: 390, height: 844 } /* a phone */): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    return page;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app);
    base = await t.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    admin = await t.adminToken();
    mpp.kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    mpp.manggarai = await createMpp(t, admin, { regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' });
    mpp.buleleng = await createMpp(t, admin, { regencyCode: '51.08', name: 'MPP Kabupaten Buleleng' });
    people.manager = await createUser(t, admin, {
      role: 'manager',
      mppIds: [mpp.kupang.id],
      email: 'pengelola.kupang@mpp.test',
      name: 'Maria Kewa',
    });
    people.managerB = await createUser(t, admin, { role: 'manager', mppIds: [mpp.manggarai.id], email: 'pengelola.manggarai@mpp.test' });
    people.managerBali = await createUser(t, admin, { role: 'manager', mppIds: [mpp.buleleng.id], email: 'pengelola.buleleng@mpp.test' });
    people.bureau = await createUser(t, admin, { role: 'bureau', provinceCode: '53', email: 'biro.ntt@mpp.test' });
    people.bureauBali = await createUser(t, admin, { role: 'bureau', provinceCode: '51', email: 'biro.bali@mpp.test' });
    people.ministry = await createUser(t, admin, { role: 'ministry', email: 'deputi@menpan.test' });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a manager signs in, sees a field error in Indonesian for a bad value, fixes it and submits; the API has the check-in', async () => {
    const page = await signIn(people.manager.email);
    expect(new URL(page.url()).pathname).toBe('/check-in');
    await page.screenshot({ path: join(ARTIFACTS, 'manager-home.png'), fullPage: true });
    await page.click(`a[href="/check-in/${mpp.kupang.id}/2026-W48"]`);
    await expect(page.locator('h2').first().textContent()).resolves.toContain('MPP Kota Kupang');
    expect(await page.textContent('main')).toContain('Senin, 30 November 2026 pukul 12.00 WITA');

    await page.fill('#daysOpen', '9');
    // The MPP's two registered tenants are listed as checkboxes; the count follows from the ticks.
    expect(await page.textContent('#tenants-serving legend')).toBe('Instansi yang melayani minggu ini');
    for (const box of await page.$$('input[name="tenantsServingIds"]')) await box.check();
    await page.fill('#countersOpen', '8');
    await page.fill('#visitors', '1450');
    await page.fill('#transactions', '-3');
    await page.check('input[name="channels.direct"]');
    await page.check('input[name="channels.electronic"]');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action^="/check-in"] button[type=submit]')]);
    expect(await page.textContent('#daysOpen-error')).toBe('Isi angka 0 sampai 7.');
    expect(await page.textContent('#transactions-error')).toBe('Harus berupa bilangan bulat 0 atau lebih.');
    expect(await page.getAttribute('#daysOpen', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#visitors')).toBe('1450'); // what was typed is kept
    expect(
      await page.$$eval('input[name="tenantsServingIds"]', (boxes) => boxes.map((b) => (b as unknown as { checked: boolean }).checked)),
    ).toEqual([true, true]);
    expect((await t.sql(`SELECT count(*)::int AS n FROM check_ins`))[0].n).toBe(0);

    await page.fill('#daysOpen', '5');
    await page.fill('#transactions', '1730');
    await page.fill('#problems', 'Printer KTP rusak sejak Rabu');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action^="/check-in"] button[type=submit]')]);
    expect(await page.textContent('[role=status]')).toContain('Laporan tersimpan');
    // The same receipt the manager is emailed (issue 16 item 6): what was recorded, on time or not, in WITA.
    const receipt = (await page.textContent('.receipt'))!.replace(/\s+/g, ' ');
    expect(receipt).toContain(
      'Diterima pada Sabtu, 28 November 2026 pukul 10.00 WITA, tepat waktu (Batas waktu Senin, 30 November 2026 pukul 12.00 WITA).',
    );
    expect(receipt).toContain('hari buka: 5');
    expect(receipt).toContain('pengunjung: 1.450');
    expect(receipt).toContain('transaksi layanan: 1.730');
    expect(receipt).toContain('instansi melayani: 2 / 2');
    expect(receipt).toContain('Kondisi MPP minggu ini: Normal');
    expect(receipt).not.toContain('perubahan ke-');

    const api = await t.as(people.manager.token).get<CheckInView>(`/api/v1/mpps/${mpp.kupang.id}/check-ins/2026-W48`);
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      daysOpen: 5,
      tenantsServing: 2,
      countersOpen: 8,
      visitors: 1450,
      transactions: 1730,
      status: 'normal',
      channels: { direct: true, mobile: false, self: false, electronic: true },
      problems: 'Printer KTP rusak sejak Rabu',
      late: false,
    });
    await page.context().close();
  });

  it('the week list offers no form before the window opens: it says when it opens, in local time', async () => {
    const saved = clock.now();
    clock.set('2026-12-02T02:00:00Z'); // Wednesday of W49: W48 still open to late reports, W49 not yet open
    try {
      const page = await signIn(people.managerB.email);
      const rows = await page.$$eval('table tr', (trs) => trs.map((tr) => (tr.textContent ?? '').replace(/\s+/g, ' ').trim()));
      const w49 = rows.find((r) => r.startsWith('Minggu ke-49'))!;
      expect(w49).toContain('Pengisian dibuka Jumat, 4 Desember 2026 pukul 00.00 WITA');
      expect(w49).not.toContain('Isi laporan');
      expect(await page.$(`a[href="/check-in/${mpp.manggarai.id}/2026-W49"]`)).toBeNull();
      expect(await page.$(`a[href="/check-in/${mpp.manggarai.id}/2026-W48"]`)).not.toBeNull();
      await page.context().close();
    } finally {
      clock.set(saved);
    }
  });

  it('a form post without its CSRF token is refused and changes nothing', async () => {
    const page = await signIn(people.managerB.email);
    const res = await page.request.post(`${base}/check-in/${mpp.manggarai.id}/2026-W48`, {
      form: { daysOpen: '5', tenantsServing: '2', countersOpen: '8', visitors: '10', transactions: '10', status: 'normal' },
    });
    expect(res.status()).toBe(403);
    expect((await t.sql(`SELECT count(*)::int AS n FROM check_ins WHERE mpp_id = $1`, [mpp.manggarai.id]))[0].n).toBe(0);
    // A forged token is refused too.
    const forged = await page.request.post(`${base}/check-in/${mpp.manggarai.id}/2026-W48`, { form: { _csrf: 'forged', daysOpen: '5' } });
    expect(forged.status()).toBe(403);
    await page.context().close();
  });

  it('the one-click link from a reminder opens the form without a password and records the manager; refused when expired or for another MPP', async () => {
    const links = t.app.get(CheckInLinks);
    // The link as the reminder email carries it (APP_URL), opened on this test server.
    const local = (link: string) => link.replace(/^https?:\/\/[^/]+/, base);
    const url = local(links.url({ userId: people.managerB.id, mppId: mpp.manggarai.id, week: '2026-W48' }, 'Asia/Makassar'));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.textContent('main')).toContain('MPP Kabupaten Manggarai Timur');
    expect(await page.textContent('main')).toContain('tautan dari email pengingat');
    for (const box of await page.$$('input[name="tenantsServingIds"]')) await box.check();
    for (const [field, value] of [
      ['daysOpen', '5'],
      ['countersOpen', '6'],
      ['visitors', '800'],
      ['transactions', '950'],
    ])
      await page.fill(`#${field}`, value);
    await Promise.all([page.waitForLoadState('load'), page.click('form button[type=submit]')]);
    expect(await page.textContent('[role=status]')).toContain('Laporan tersimpan');
    expect(await t.sql(`SELECT visitors, submitted_by FROM check_ins WHERE mpp_id = $1 AND week = '2026-W48'`, [mpp.manggarai.id])).toEqual(
      [{ visitors: 800, submitted_by: people.managerB.id }],
    );

    // Signed for a manager who does not manage that MPP: refused.
    const foreign = local(links.url({ userId: people.managerB.id, mppId: mpp.kupang.id, week: '2026-W48' }, 'Asia/Makassar'));
    const refused = await page.goto(foreign);
    expect(refused!.status()).toBe(410);
    expect(await page.textContent('main')).toContain('Tautan ini tidak berlaku lagi');
    // Tampered with: refused.
    expect((await page.goto(`${url.slice(0, -3)}abc`))!.status()).toBe(410);
    // A week after the deadline (Monday 7 December 12:00 WITA) it expires.
    clock.set('2026-12-07T04:01:00Z');
    expect((await page.goto(url))!.status()).toBe(410);
    clock.set('2026-11-28T02:00:00Z');
    await context.close();
  });

  it("a bureau user acknowledges a flag and sees it in the history; another province's flag page is 404", async () => {
    // Buleleng (Bali) reports "not operating" and Kupang's neighbour stays silent two weeks: flags.
    await t
      .as(people.managerBali.token)
      .put<CheckInView>(
        `/api/v1/mpps/${mpp.buleleng.id}/check-ins/2026-W48`,
        checkInBody({ daysOpen: 0, visitors: 0, transactions: 0, status: 'not_operating', closureReason: 'Banjir' }),
      );
    await t
      .as(people.managerB.token)
      .put<CheckInView>(
        `/api/v1/mpps/${mpp.manggarai.id}/check-ins/2026-W48`,
        checkInBody({ daysOpen: 0, visitors: 0, transactions: 0, status: 'not_operating', closureReason: 'Atap runtuh' }),
      );
    clock.set('2026-11-30T05:10:00Z');
    expect(await t.app.get(CyclesScheduler).tick()).toBe(1);
    const [nttFlag] = await t.sql(`SELECT id FROM flags WHERE mpp_id = $1`, [mpp.manggarai.id]);
    const [baliFlag] = await t.sql(`SELECT id FROM flags WHERE mpp_id = $1`, [mpp.buleleng.id]);

    const page = await signIn(people.bureau.email);
    expect(new URL(page.url()).pathname).toBe('/bureau');
    expect(await page.textContent('main')).toContain('MPP Kabupaten Manggarai Timur');
    expect(await page.locator('.result.inactive').first().textContent()).toBe('Tidak aktif'); // colour and text
    await page.screenshot({ path: join(ARTIFACTS, 'bureau-home.png'), fullPage: true });
    await Promise.all([page.waitForLoadState('load'), page.click(`a[href="/flags/${nttFlag.id}"]`)]);
    await page.fill('#note', 'Sudah ditelepon, kepala MPP menyiapkan gedung sementara');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=acknowledged]')]);
    expect(await page.textContent('#flag-state')).toBe('Sudah ditanggapi');
    expect(await page.textContent('#flag-history')).toContain('Sudah ditelepon, kepala MPP menyiapkan gedung sementara');
    const api = await t.as(people.bureau.token).get<FlagDetailView>(`/api/v1/flags/${nttFlag.id}`);
    expect(api.body.state).toBe('acknowledged');
    expect(api.body.history.at(-1)).toMatchObject({ from: 'open', to: 'acknowledged', byUserId: people.bureau.id });

    const other = await page.goto(`${base}/flags/${baliFlag.id}`);
    expect(other!.status()).toBe(404);
    expect(await page.textContent('main')).toContain('Halaman tidak ditemukan');
    await page.context().close();
  });

  it("the ministry's national page: counts, charts, downloads; in English on request", async () => {
    const page = await signIn(people.ministry.email);
    expect(new URL(page.url()).pathname).toBe('/national');
    expect(await page.locator('svg[role=img]').count()).toBe(2);
    expect(await page.textContent('main')).toContain('Nusa Tenggara Timur');
    await page.screenshot({ path: join(ARTIFACTS, 'ministry-home.png'), fullPage: true });
    const xlsx = await page.request.get(`${base}/national/2026-W48.xlsx`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-disposition']).toContain('mpp-laporan-mingguan-2026-W48-nasional.xlsx');
    await page.goto(`${base}/national?lang=en`);
    expect(await page.textContent('h1')).toContain('National picture');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.context().close();
  });

  it('the admin page lists users and MPPs, creates and edits them through the same validation as the API', async () => {
    const adminPage = await signIn(ADMIN.email, ADMIN.password, { width: 1280, height: 900 });
    expect(new URL(adminPage.url()).pathname).toBe('/admin');
    await adminPage.screenshot({ path: join(ARTIFACTS, 'admin-home.png'), fullPage: true });
    await adminPage.fill('#u-name', 'Staf Biro NTB');
    await adminPage.fill('#u-email', 'biro.ntb@mpp.test');
    await adminPage.fill('#u-password', 'short');
    await adminPage.selectOption('#u-role', 'bureau');
    await adminPage.selectOption('#u-province', '52');
    await Promise.all([adminPage.waitForLoadState('load'), adminPage.click('form[action="/admin/users"] button')]);
    expect(await adminPage.textContent('[role=alert]')).toContain('Kata sandi terlalu lemah');
    await adminPage.fill('#u-name', 'Staf Biro NTB');
    await adminPage.fill('#u-email', 'biro.ntb@mpp.test');
    await adminPage.fill('#u-password', 'Rahasia-Kuat-2026!');
    await adminPage.selectOption('#u-role', 'bureau');
    await adminPage.selectOption('#u-province', '52');
    await Promise.all([adminPage.waitForLoadState('load'), adminPage.click('form[action="/admin/users"] button')]);
    expect(await adminPage.textContent('[role=status]')).toContain('Tersimpan');
    expect(await t.sql(`SELECT role, province_code FROM users WHERE email = 'biro.ntb@mpp.test'`)).toEqual([
      { role: 'bureau', province_code: '52' },
    ]);

    // Edit that user (rename, English, deactivate) and an MPP, through the API's update DTOs.
    const [{ id: ntbId }] = await t.sql(`SELECT id FROM users WHERE email = 'biro.ntb@mpp.test'`);
    await Promise.all([adminPage.waitForLoadState('load'), adminPage.click(`a[href="/admin/users/${ntbId}"]`)]);
    await adminPage.fill('#e-name', 'Staf Biro Organisasi NTB');
    await adminPage.selectOption('#e-locale', 'en');
    await adminPage.uncheck('input[name=active]');
    await Promise.all([adminPage.waitForLoadState('load'), adminPage.click('form[action^="/admin/users/"] button[type=submit]')]);
    expect(await adminPage.textContent('[role=status]')).toContain('Tersimpan');
    expect(await t.sql(`SELECT name, locale, active FROM users WHERE id = $1`, [ntbId])).toEqual([
      { name: 'Staf Biro Organisasi NTB', locale: 'en', active: false },
    ]);
    // Writes made through the pages are audited with the signed-in admin as the actor.
    const [edit] = await t.sql(
      `SELECT user_email, role, before->>'active' AS was, after->>'active' AS now FROM audit_log WHERE action = 'user.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [ntbId],
    );
    expect(edit).toEqual({ user_email: ADMIN.email, role: 'admin', was: 'true', now: 'false' });
    await adminPage.goto(`${base}/admin/mpps/${mpp.kupang.id}`);
    await adminPage.fill('#m-address', 'Jl. Timor Raya, Kupang');
    await adminPage.fill('#m-regency', '99.99');
    await Promise.all([adminPage.waitForLoadState('load'), adminPage.click('form[action^="/admin/mpps/"] button[type=submit]')]);
    expect(adminPage.url()).toContain(`/admin/mpps/${mpp.kupang.id}`);
    expect(await adminPage.textContent('[role=alert]')).toBeTruthy(); // unknown regency refused, nothing changed
    await adminPage.fill('#m-regency', '53.71');
    await adminPage.fill('#m-address', 'Jl. Timor Raya, Kupang');
    await Promise.all([adminPage.waitForLoadState('load'), adminPage.click('form[action^="/admin/mpps/"] button[type=submit]')]);
    expect(await t.sql(`SELECT address, regency_code FROM mpps WHERE id = $1`, [mpp.kupang.id])).toEqual([
      { address: 'Jl. Timor Raya, Kupang', regency_code: '53.71' },
    ]);
    await adminPage.context().close();
  });

  it('pages need a session: anonymous visitors are sent to the login form; a wrong password says so', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/bureau`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#email', people.bureau.email);
    await page.fill('#password', 'salah-sekali-2026');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    expect(await page.textContent('[role=alert]')).toBe('Email atau kata sandi salah.');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'mpp_session')).toBeUndefined();
    await context.close();
  });
});
