import { existsSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { FixedClock } from '../src/common/clock';
import { ADMIN, TestApp } from './support/app';
import { createMpp, createUser } from './support/factories';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { UserView } from '../src/modules/users/users.dto';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The admin pages that onboard the registry by hand (issue 17, item 4), in a real Chromium: an
 * MPP's opening days, channels, coordinates and tenants through the same service as PATCH (tenant
 * ids kept), managers and a manager's MPPs chosen by search, bureau users named by province.
 */
describe('admin MPP and user pages (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-25T03:00:00Z'));
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
    t = await TestApp.start({ clock });
    base = await t.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    admin = await t.adminToken();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signIn = async (): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${base}/login?next=/admin`);
    await page.fill('#email', ADMIN.email);
    await page.fill('#password', ADMIN.password);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]')]);
    return page;
  };
  const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);
  const mppOf = async (id: string) => (await t.as(admin).get<MppView>(`/api/v1/mpps/${id}`)).body;
  const texts = (page: Page, rows: string) =>
    page.$$eval(rows, (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()).join(' ')),
    );

  it('edits opening days, a channel, coordinates and tenants (rename, add, remove); the API shows it and kept tenants keep their ids', async () => {
    const mpp = await createMpp(t, admin, {
      regencyCode: '53.71',
      name: 'MPP Kota Kupang',
      channels: ['direct', 'electronic'],
      openingDays: [1, 2, 3, 4, 5],
      tenants: [
        { name: 'Polres', services: ['SKCK'] },
        { name: 'Disdukcapil', services: ['KTP-el'] },
        { name: 'Bank NTT', services: ['Tabungan'] },
      ],
    });
    const [polres, disdukcapil, bank] = mpp.tenants;
    const page = await signIn();
    await page.goto(`${base}/admin/mpps/${mpp.id}`);
    expect(await page.textContent('#opening-days legend')).toBe('Hari buka');
    expect(await page.inputValue(`tr[data-tenant="${polres.id}"] select`)).toBe('POLRI');

    await page.check('input[name=openingDays][value="6"]');
    await page.check('input[name=channels][value=mobile]');
    await page.fill('#m-latitude', '-10,1772');
    await page.fill('#m-longitude', '123,607');
    await page.fill(`tr[data-tenant="${polres.id}"] input[name$=".name"]`, 'Polresta Kupang Kota');
    await page.check(`tr[data-tenant="${bank.id}"] input[name$=".remove"]`);
    const blank = page.locator('tr[data-tenant="baru"]').first();
    await blank.locator('select').selectOption('IMIGRASI');
    await blank.locator('input[name$=".name"]').fill('Kantor Imigrasi Kelas I Kupang');
    await blank.locator('input[name$=".services"]').fill('Paspor, Izin tinggal');
    await submit(page, '#mpp-form button[type=submit]');

    expect(new URL(page.url()).pathname).toBe(`/admin/mpps/${mpp.id}`);
    expect(await page.textContent('[role=status]')).toContain('Tersimpan');
    expect(await page.inputValue('#m-latitude')).toBe('-10,1772');
    const after = await mppOf(mpp.id);
    expect(after).toMatchObject({
      openingDays: [1, 2, 3, 4, 5, 6],
      channels: ['direct', 'mobile', 'electronic'],
      latitude: -10.1772,
      longitude: 123.607,
    });
    expect(after.tenants).toEqual([
      { id: polres.id, name: 'Polresta Kupang Kota', services: ['SKCK'], agencyCode: 'POLRI' },
      { id: disdukcapil.id, name: 'Disdukcapil', services: ['KTP-el'], agencyCode: 'DISDUKCAPIL' },
      {
        id: expect.stringMatching(UUID),
        name: 'Kantor Imigrasi Kelas I Kupang',
        services: ['Paspor', 'Izin tinggal'],
        agencyCode: 'IMIGRASI',
      },
    ]);
    expect([polres.id, disdukcapil.id, bank.id]).not.toContain(after.tenants[2].id);
    expect(await t.sql(`SELECT count(*)::int AS n FROM mpp_tenants WHERE id = $1`, [bank.id])).toEqual([{ n: 0 }]);
    await page.context().close();
  });

  it('a bad coordinate, unreadable or outside Indonesia, is named in Bahasa Indonesia beside its field and nothing is stored', async () => {
    const mpp = await createMpp(t, admin, { regencyCode: '53.19', name: 'MPP Kabupaten Manggarai Timur' });
    const before = await mppOf(mpp.id);
    const page = await signIn();
    for (const latitude of ['-8,6x', '8,6']) {
      // Unreadable (refused by the page) and a lost minus sign (refused by the service's range): both changes nothing.
      await page.goto(`${base}/admin/mpps/${mpp.id}`);
      await page.fill('#m-name', 'MPP Manggarai Timur Diubah');
      await page.check('input[name=openingDays][value="6"]');
      await page.check(`tr[data-tenant="${before.tenants[0].id}"] input[name$=".remove"]`);
      await page.fill('#m-latitude', latitude);
      await page.fill('#m-longitude', '120,65');
      await submit(page, '#mpp-form button[type=submit]');
      expect(await page.textContent('[role=alert]')).toContain('Perubahan tidak disimpan');
      expect(await page.textContent('#m-latitude-error')).toContain('Lintang harus berupa angka derajat desimal di wilayah Indonesia');
      expect(await page.getAttribute('#m-latitude', 'aria-invalid')).toBe('true');
      // What was typed comes back, so the official corrects one field instead of typing everything again.
      expect([await page.inputValue('#m-latitude'), await page.inputValue('#m-name')]).toEqual([latitude, 'MPP Manggarai Timur Diubah']);
      expect(await page.isChecked(`tr[data-tenant="${before.tenants[0].id}"] input[name$=".remove"]`)).toBe(true);
      expect(await mppOf(mpp.id)).toEqual(before);
    }
    await page.context().close();
  });

  it('finds a manager by part of the name, adds them (the manager sees the MPP), and "Lepaskan" takes it away (404)', async () => {
    const kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kupang Kedua' });
    const home = await createMpp(t, admin, { regencyCode: '53.02', name: 'MPP Kabupaten Kupang' });
    const yohanes = await createUser(t, admin, {
      role: 'manager',
      mppIds: [home.id],
      name: 'Yohanes Bria Seran',
      email: 'yohanes.seran@mpp.test',
    });
    await createUser(t, admin, { role: 'manager', mppIds: [home.id], name: 'Maria Goreti', email: 'maria.goreti@mpp.test' });
    const page = await signIn();
    await page.goto(`${base}/admin/mpps/${kupang.id}`);
    expect(await page.textContent('#managers')).toContain('Belum ada pengelola.');
    await page.fill('#cari', 'bria');
    await submit(page, 'form[role=search] button');
    expect(new URL(page.url()).search).toBe('?cari=bria');
    expect(await texts(page, '#found-managers tr')).toEqual(['Yohanes Bria Seran yohanes.seran@mpp.test Tambahkan']);
    await submit(page, '#found-managers button');
    expect(await page.textContent('[role=status]')).toContain('Pengelola MPP ini telah diperbarui.');
    expect(await texts(page, '#current-managers tr')).toEqual(['Yohanes Bria Seran yohanes.seran@mpp.test Lepaskan']);
    // A scope change ends the manager's sessions; signed in again, the MPP is theirs.
    const seen = await t.as(await t.login(yohanes.email)).get<MppView>(`/api/v1/mpps/${kupang.id}`);
    expect([seen.status, seen.body.name]).toEqual([200, 'MPP Kupang Kedua']);

    await submit(page, '#current-managers button');
    expect(await page.textContent('#managers')).toContain('Belum ada pengelola.');
    const gone = await t.as(await t.login(yohanes.email)).get<MppView>(`/api/v1/mpps/${kupang.id}`);
    expect([gone.status, gone.error?.error]).toEqual([404, 'not_found']);
    const mine = await t.as(await t.login(yohanes.email)).get<MppView>(`/api/v1/mpps/${home.id}`);
    expect(mine.status).toBe(200);
    await page.context().close();
  });

  it("chooses a manager's MPPs by searching name or regency; the last one cannot be released", async () => {
    const lebak = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Kabupaten Lebak' });
    const sekadau = await createMpp(t, admin, { regencyCode: '61.09', name: 'MPP Sekadau' });
    const manager = await createUser(t, admin, { role: 'manager', mppIds: [lebak.id], name: 'Siti Rahmawati' });
    const page = await signIn();
    await page.goto(`${base}/admin/users/${manager.id}`);
    expect(await page.$('#e-mpps')).toBeNull(); // no more comma-separated ids
    expect(await texts(page, '#current-mpps tr')).toEqual(['MPP Kabupaten Lebak Kabupaten Lebak Lepaskan']);
    await page.fill('#cari', 'sekad'); // the regency's name (SEKADAU) and the MPP's both match
    await submit(page, 'form[role=search] button');
    expect(await texts(page, '#found-mpps tr')).toEqual(['MPP Sekadau Kabupaten Sekadau, Kalimantan Barat Tambahkan']);
    await submit(page, '#found-mpps button');
    expect(await page.textContent('[role=status]')).toContain('Daftar MPP yang dikelola telah diperbarui.');
    expect((await t.as(admin).get<UserView>(`/api/v1/users/${manager.id}`)).body.mppIds.sort()).toEqual([lebak.id, sekadau.id].sort());

    await submit(page, `#current-mpps form:has(input[value="${lebak.id}"]) button`);
    expect(await texts(page, '#current-mpps tr')).toEqual(['MPP Sekadau Kabupaten Sekadau Lepaskan']);
    await submit(page, '#current-mpps button');
    expect(await page.textContent('[role=alert]')).toContain(
      'Pengelola ini hanya mengelola MPP tersebut, sehingga tidak dapat dilepaskan.',
    );
    expect((await t.as(admin).get<UserView>(`/api/v1/users/${manager.id}`)).body.mppIds).toEqual([sekadau.id]);
    await page.context().close();
  });

  it("PATCH refuses another MPP's tenant id and an unknown agency (400, field tenants), changing nothing", async () => {
    const mine = await createMpp(t, admin, { regencyCode: '62.71', name: 'MPP Kota Palangka Raya' });
    const other = await createMpp(t, admin, { regencyCode: '62.01', name: 'MPP Kotawaringin Barat' });
    const before = await mppOf(mine.id);
    const bodies = [
      { tenants: [{ id: other.tenants[0].id, name: 'Polres', services: ['SKCK'] }] },
      { tenants: [{ name: 'Koperasi Pegawai', services: [], agencyCode: 'TIDAK_ADA' }] },
    ];
    for (const body of bodies) {
      const res = await t.as(admin).patch<MppView>(`/api/v1/mpps/${mine.id}`, { address: 'Jl. Diubah', ...body });
      expect([res.status, res.error?.error, res.error?.details.map((d) => d.field)]).toEqual([400, 'validation_failed', ['tenants']]);
    }
    expect(await mppOf(mine.id)).toEqual(before);
    expect((await mppOf(other.id)).tenants).toEqual(other.tenants);
  });

  it('names bureau users by their province and shows the evaluation settings in Bahasa Indonesia', async () => {
    const bureau = await createUser(t, admin, { role: 'bureau', provinceCode: '53', name: 'Staf Biro NTT' });
    const page = await signIn();
    const row = await page.innerText(`tr:has(a[href="/admin/users/${bureau.id}"])`);
    expect(row).toContain('Biro Organisasi Provinsi Nusa Tenggara Timur');
    expect(row).not.toMatch(/\b53\b/);
    const labels = await page.$$eval('label[for^="s-"]', (ls) => ls.map((l) => [l.getAttribute('for')!.slice(2), l.textContent!.trim()]));
    expect(labels.length).toBeGreaterThanOrEqual(8);
    for (const [key, text] of labels) {
      expect(text).not.toBe(key);
      expect(text).not.toMatch(/[a-z][A-Z]/); // no raw camelCase key such as notReportingWeeksForInactive
    }
    expect(Object.fromEntries(labels).notReportingWeeksForInactive).toBe(
      'Minggu berturut-turut tanpa laporan hingga MPP dinyatakan tidak aktif',
    );

    await page.goto(`${base}/admin/users/${bureau.id}`);
    expect(await page.textContent('main')).toContain('Biro Organisasi Provinsi Nusa Tenggara Timur');
    expect(await page.$eval('#e-province option:checked', (o) => o.textContent)).toBe('Nusa Tenggara Timur');
    await page.context().close();
  });
});
