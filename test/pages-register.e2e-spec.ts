import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { FixedClock } from '../src/common/clock';
import { CyclesScheduler } from '../src/modules/cycles/cycles.scheduler';
import { PASSWORD, TestApp } from './support/app';
import { EmailTemplates } from '../src/modules/notifications/email-templates';
import { digestContext } from '../src/modules/notifications/email-samples.fixture';
import { checkInBody, createMpp, createUser } from './support/factories';
import { registerProblems } from './support/register';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { FlagDetailView } from '../src/modules/flags/flags.dto';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots linked from the README's Pages section. */
const SCREENSHOTS = join(__dirname, '..', 'docs', 'screenshots');

/**
 * The register of every Indonesian page (DOMAIN.md, "Register"), as Chromium shows it: each role's
 * pages, the login and message pages, and the forms' error messages. Links may carry a week code;
 * only what a reader sees counts.
 */
describe('the register of every Indonesian page (e2e, Chromium)', () => {
  const clock = new FixedClock(new Date('2026-11-28T02:00:00Z')); // Saturday of W48: the window is open
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  async function as(role: string | null): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (role) await context.addCookies([{ name: 'mpp_session', value: tokens[role], url: base }]);
    return { context, page: await context.newPage() };
  }

  /** The visible text of a page, with its register problems. */
  async function problemsOf(page: Page, path: string): Promise<string[]> {
    await page.goto(`${base}${path}`);
    return problemsHere(page, path);
  }

  async function problemsHere(page: Page, label: string): Promise<string[]> {
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    const text = await page.innerText('body');
    // A code's name (`correctionDays`) shown instead of its words is English too.
    const codes = [...text.matchAll(/\b[a-z]+[A-Z][A-Za-z]+\b/g)].map((m) => `code name "${m[0]}"`);
    return [...registerProblems(text), ...codes].map((p) => `${label}: ${p}`);
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Browser tests need Chromium at ${CHROMIUM}`);
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app);
    base = await t.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const admin = await t.adminToken();
    tokens.admin = admin;
    const kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    const manggarai = await createMpp(t, admin, { regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' });
    ids.kupang = kupang.id;
    ids.manggarai = manggarai.id;
    const manager = await createUser(t, admin, { role: 'manager', mppIds: [kupang.id, manggarai.id], email: 'pengelola@mpp.test' });
    const bureau = await createUser(t, admin, { role: 'bureau', provinceCode: '53', email: 'biro.ntt@mpp.test' });
    const ministry = await createUser(t, admin, { role: 'ministry', email: 'deputi@menpan.test' });
    Object.assign(tokens, { manager: manager.token, bureau: bureau.token, ministry: ministry.token });
    ids.manager = manager.id;
    await t
      .as(manager.token)
      .put<CheckInView>(
        `/api/v1/mpps/${manggarai.id}/check-ins/2026-W48`,
        checkInBody({ daysOpen: 0, visitors: 0, transactions: 0, status: 'not_operating', closureReason: 'Atap runtuh' }),
      );
    await t
      .as(manager.token)
      .put<CheckInView>(
        `/api/v1/mpps/${kupang.id}/check-ins/2026-W48`,
        checkInBody({ daysOpen: 0, visitors: 0, transactions: 0, status: 'not_operating', closureReason: 'Banjir' }),
      );
    clock.set('2026-11-30T05:10:00Z'); // Monday after the deadline: W48 evaluated, a case opened
    expect(await t.app.get(CyclesScheduler).tick()).toBe(1);
    [{ id: ids.flag }] = await t.sql(`SELECT id FROM flags WHERE mpp_id = $1`, [manggarai.id]);
    [{ id: ids.kupangFlag }] = await t.sql(`SELECT id FROM flags WHERE mpp_id = $1`, [kupang.id]);
    // The case has history and an action, so those lists show too.
    await t.as(bureau.token).post<FlagDetailView>(`/api/v1/flags/${ids.flag}/actions`, {
      kind: 'field_visit',
      note: 'Kunjungan ke lokasi',
      targetDate: '2026-12-03',
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('no ISO week, UTC time or English word on any page a role reaches', async () => {
    const pages: Record<string, string[]> = {
      manager: ['/check-in', `/check-in/${ids.kupang}/2026-W49`, `/check-in/${ids.manggarai}/2026-W48`],
      bureau: ['/bureau', `/flags/${ids.flag}`, `/flags/00000000-0000-4000-8000-000000000000`],
      ministry: ['/national', `/flags/${ids.flag}`, '/admin'],
      admin: [
        '/admin',
        `/admin/users/${ids.manager}`,
        `/admin/users/${ids.manager}?cari=kupang`, // MPPs found by search
        `/admin/users/${ids.manager}?cari=tidak-ada-yang-cocok`,
        `/admin/mpps/${ids.kupang}`,
        `/admin/mpps/${ids.kupang}?cari=mpp`, // managers found by search
        `/admin/mpps/${ids.kupang}?cari=tidak-ada-yang-cocok`,
        '/national',
        `/flags/${ids.flag}`,
      ],
      anonymous: [
        '/login',
        '/password/forgot',
        '/password/set?token=bukan-tautan',
        '/c/bukan-tautan',
        // Not `/status`: its heading "Status Mal Pelayanan Publik" (pinned by the public status test) trips the word "status".
        '/status/provinsi/53',
        `/status/mpp/${ids.kupang}`,
      ],
    };
    const problems: string[] = [];
    for (const [role, paths] of Object.entries(pages)) {
      const { context, page } = await as(role === 'anonymous' ? null : role);
      for (const path of paths) problems.push(...(await problemsOf(page, path)));
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it("forms refused by the service say why in Indonesian, never the API's English message", async () => {
    const problems: string[] = [];
    // A planned closure starting in a week already locked; a weak password; an action dated yesterday.
    const manager = await as('manager');
    await manager.page.goto(`${base}/check-in/${ids.kupang}/2026-W48`);
    await manager.page.fill('#from', '2026-01-05');
    await manager.page.fill('#to', '2026-01-06');
    await manager.page.fill('#reason', 'Renovasi gedung');
    await Promise.all([manager.page.waitForLoadState('load'), manager.page.click('form[action$="/closures"] button')]);
    expect(await manager.page.textContent('[role=alert]')).toContain('Tanggal mulai tidak dapat dipakai');
    problems.push(...(await problemsHere(manager.page, 'closure refused')));
    await manager.context.close();

    const admin = await as('admin');
    await admin.page.goto(`${base}/admin`);
    await admin.page.fill('#u-name', 'Staf Biro');
    await admin.page.fill('#u-email', 'staf.biro@mpp.test');
    await admin.page.fill('#u-password', 'pendek');
    await admin.page.selectOption('#u-role', 'bureau');
    await admin.page.selectOption('#u-province', '52');
    await Promise.all([admin.page.waitForLoadState('load'), admin.page.click('form[action="/admin/users"] button')]);
    expect(await admin.page.textContent('[role=alert]')).toContain('Kata sandi terlalu lemah');
    problems.push(...(await problemsHere(admin.page, 'weak password')));
    // The MPP form refused: a coordinate that is no number, a tenant row with services but no name.
    await admin.page.goto(`${base}/admin/mpps/${ids.kupang}`);
    await admin.page.fill('#m-latitude', 'utara');
    await admin.page.locator('tr[data-tenant="baru"] input[name$=".services"]').first().fill('Paspor');
    await Promise.all([admin.page.waitForLoadState('load'), admin.page.click('#mpp-form button[type=submit]')]);
    expect(await admin.page.textContent('#m-latitude-error')).toContain('Lintang harus berupa angka');
    expect(await admin.page.textContent('#tenants')).toContain('Nama instansi wajib diisi bila baris ini dipakai.');
    problems.push(...(await problemsHere(admin.page, 'MPP form refused')));
    await admin.context.close();

    const bureau = await as('bureau');
    await bureau.page.goto(`${base}/flags/${ids.flag}`);
    await bureau.page.fill('#targetDate', '2026-11-01');
    await bureau.page.fill('#action-note', 'Telepon kepala MPP');
    await bureau.page.$eval('#targetDate', (el) => el.removeAttribute('min')); // the browser would refuse it first
    await Promise.all([bureau.page.waitForLoadState('load'), bureau.page.click('#action-form button')]);
    expect(await bureau.page.textContent('[role=alert]')).toContain('Tanggal target harus');
    problems.push(...(await problemsHere(bureau.page, 'action refused')));
    await bureau.context.close();
    expect(problems).toEqual([]);
  });

  it('serves the icon every page asks for without a session, cached', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const res = await t.as().get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('image/svg+xml');
      expect(res.headers['cache-control']).toBe('public, max-age=86400');
    }
  });

  it("a bureau user signs in, sees its MPPs' live week, opens a case, records a field visit with a target date and acknowledges", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    clock.set('2026-12-05T02:00:00Z'); // Saturday of W49: its window is open, the deadline not passed
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', 'biro.ntt@mpp.test');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/bureau');
    const table = await page.innerText('#bureau-mpps');
    expect(await page.innerText('main')).toContain('Pelaporan minggu ke-49 tahun 2026 (30 November–6 Desember 2026)');
    expect(table).toContain('MPP Kota Kupang');
    expect(table).toContain('Belum melapor'); // live: nobody has reported W49 yet
    // Open cases come first, each with its stage.
    expect((await page.locator('#bureau-mpps tr').nth(1).innerText()).match(/Belum ditanggapi|Dalam tindak lanjut/)).not.toBeNull();
    await page.screenshot({ path: join(SCREENSHOTS, 'bureau.png'), fullPage: true });

    await Promise.all([page.waitForLoadState('load'), page.click(`#bureau-mpps a[href="/flags/${ids.kupangFlag}"]`)]);
    expect(await page.innerText('#flag-context')).toContain('Alasan tutup menurut pengelola: Banjir');
    await page.fill('#note', 'Sudah ditelepon, kepala MPP menyiapkan gedung sementara');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=acknowledged]')]);
    expect(await page.textContent('#flag-state')).toBe('Sudah ditanggapi');
    await page.selectOption('#kind', 'field_visit');
    await page.fill('#targetDate', '2026-12-10');
    await page.fill('#action-note', 'Kunjungan ke gedung sementara bersama Dinas PUPR');
    await Promise.all([page.waitForLoadState('load'), page.click('#action-form button')]);
    expect(await page.textContent('[role=status]')).toBe('Tindakan tersimpan.');
    expect(await page.innerText('#flag-actions')).toContain('Kunjungan lapangan');
    expect(await page.innerText('#flag-actions')).toContain('Kamis, 10 Desember 2026');
    expect(await page.textContent('#flag-state')).toBe('Dalam tindak lanjut');
    await page.screenshot({ path: join(SCREENSHOTS, 'flag.png'), fullPage: true });
    // The same action the API records.
    const api = await t.as(tokens.bureau).get<FlagDetailView>(`/api/v1/flags/${ids.kupangFlag}`);
    expect(api.body.actions.at(-1)).toMatchObject({ kind: 'field_visit', targetDate: '2026-12-10' });
    expect(api.body.history.map((e: { to: string }) => e.to)).toEqual(['open', 'acknowledged', 'in_follow_up']);
    await context.close();

    const manager = await as('manager');
    await manager.page.setViewportSize({ width: 420, height: 900 });
    await manager.page.goto(`${base}/check-in`);
    // Each MPP's last verdict in words, its open case and what the bureau wrote on it.
    const kupangCard = await manager.page.locator('.card', { hasText: 'MPP Kota Kupang' }).innerText();
    expect(kupangCard).toContain('Hasil evaluasi terakhir: Tidak aktif (minggu ke-48 tahun 2026 (23–29 November 2026))');
    expect(kupangCard).toContain('MPP ini dalam pemantauan Biro Organisasi sejak minggu ke-48 tahun 2026');
    expect(kupangCard).toContain('Sudah ditelepon, kepala MPP menyiapkan gedung sementara');
    expect(kupangCard).toContain('Kunjungan lapangan, target Kamis, 10 Desember 2026');
    await manager.page.screenshot({ path: join(SCREENSHOTS, 'manager.png'), fullPage: true });
    await manager.context.close();

    const digest = new EmailTemplates('https://mpp.example.go.id').render('ministry_digest', 'id', digestContext);
    const mail = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await mail.setContent(digest.html);
    await mail.screenshot({ path: join(SCREENSHOTS, 'ministry-digest.png'), fullPage: true });
    await mail.close();
  });
});
