import { existsSync, mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { FixedClock } from '../src/common/clock';
import { ADMIN, TestApp } from './support/app';
import { FAST } from './support/outbox';
import { registryXlsx } from './support/registry-files';
import { stopCycleCron } from './support/scheduler';
import { TestSmtpServer, waitUntil } from './support/smtp';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HEADER = [
  'kode_wilayah',
  'nama_mpp',
  'alamat',
  'tanggal_peresmian',
  'hari_buka',
  'kanal',
  'instansi',
  'email_pengelola',
  'nama_pengelola',
];
const MANAGER = 'pengelola.palangkaraya@mpp.test';
const NEW_PASSWORD = 'Sandi-Pengelola-Palangka-2026';

/**
 * Onboarding through the admin page (issue 17, done-when 2), in a real Chromium with a real SMTP
 * server: upload an XLSX, read the preview, press "Impor"; the new manager's invitation arrives,
 * its link sets a password, and the manager's first check-in ticks the tenants that served.
 */
describe('registry import on the admin page, to a manager’s first check-in (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T02:00:00Z')); // Friday of W48: the window is open
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let base: string;
  let file: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
    smtp = await TestSmtpServer.start();
    t = await TestApp.start({ clock, env: { APP_MODE: 'all', ...FAST, SMTP_URL: smtp.url } });
    await stopCycleCron(t.app);
    base = await t.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const rows = [
      [
        '62.71',
        'MPP Kota Palangka Raya',
        'Jl. Tjilik Riwut Km 1',
        '2023-10-31',
        '1-6',
        'langsung;elektronik',
        'Disdukcapil: KTP-el, Kartu Keluarga; Polresta Palangka Raya: SKCK; Samsat: Pajak Kendaraan',
        MANAGER,
        'Ibu Dewi Natalia',
      ],
      [
        '62.01',
        'MPP Kabupaten Kotawaringin Barat',
        '',
        '2024-02-01',
        '1-5',
        'langsung',
        'Disdukcapil: KTP-el; Bank Kalteng: Tabungan',
        '',
        '',
      ],
    ];
    file = join(mkdtempSync(join(tmpdir(), 'mpp-registri-')), 'registri-kalteng.xlsx');
    await writeFile(file, await registryXlsx(rows, HEADER));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  it('uploads an XLSX, shows every row’s outcome, imports on "Impor"; the invited manager sets a password and ticks the tenants serving', async () => {
    // The admin: upload, preview (nothing written yet), import.
    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${base}/login?next=/admin`);
    await admin.fill('#email', ADMIN.email);
    await admin.fill('#password', ADMIN.password);
    await Promise.all([admin.waitForURL(`${base}/admin`), admin.click('button[type=submit]')]);
    await admin.setInputFiles('#registry-file', file);
    await Promise.all([admin.waitForURL(`${base}/admin/registry`), admin.click('form[action="/admin/registry"] button[type=submit]')]);
    expect(await admin.textContent('[role=status]')).toContain('Belum ada yang disimpan');
    const table = async () =>
      admin.$$eval('#registry-rows tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(await table()).toEqual([
      ['2', '62.71', 'MPP Kota Palangka Raya', 'Baru', ''],
      ['3', '62.01', 'MPP Kabupaten Kotawaringin Barat', 'Baru', ''],
    ]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM mpps`)).toEqual([{ n: 0 }]);
    await Promise.all([
      admin.waitForURL(`${base}/admin/registry/import`),
      admin.click('form[action="/admin/registry/import"] button[type=submit]'),
    ]);
    expect(await admin.textContent('[role=status]')).toContain('Impor selesai');
    expect(await admin.textContent('#registry-summary')).toMatch(/MPP baru\s*2/);
    const [palangka] = (await t.as(await t.adminToken()).get<MppView[]>('/api/v1/mpps?regency=62.71')).body;
    expect(palangka.tenants.map((x) => x.name)).toEqual(['Disdukcapil', 'Polresta Palangka Raya', 'Samsat']);

    // The manager: the invitation's link, a password, a sign-in, the check-in with two of three tenants ticked.
    await waitUntil(
      () => smtp.received.some((m) => m.to.includes(MANAGER)),
      20_000,
      () => `the invitation to ${MANAGER}`,
    );
    const invitation = smtp.received.find((m) => m.to.includes(MANAGER))!;
    expect(invitation.text).toContain('Yth. Bapak/Ibu Ibu Dewi Natalia');
    const link = /\/password\/set\?token=[\w-]+/.exec(invitation.text)![0];
    const manager = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await manager.goto(`${base}${link}`);
    await manager.fill('#password', NEW_PASSWORD);
    await manager.fill('#password2', NEW_PASSWORD);
    await Promise.all([manager.waitForLoadState('load'), manager.click('button[type=submit]')]);
    await manager.goto(`${base}/login`);
    await manager.fill('#email', MANAGER);
    await manager.fill('#password', NEW_PASSWORD);
    await Promise.all([manager.waitForURL(`${base}/check-in`), manager.click('button[type=submit]')]);
    await Promise.all([manager.waitForLoadState('load'), manager.click(`a[href="/check-in/${palangka.id}/2026-W48"]`)]);
    expect(await manager.textContent('#tenants-serving legend')).toBe('Instansi yang melayani minggu ini');
    const ticked = [palangka.tenants[0].id, palangka.tenants[2].id]; // Disdukcapil and Samsat; the police counter was empty
    for (const id of ticked) await manager.check(`input[name="tenantsServingIds"][value="${id}"]`);
    await manager.fill('#daysOpen', '6');
    await manager.fill('#countersOpen', '5');
    await manager.fill('#visitors', '640');
    await manager.fill('#transactions', '702');
    await manager.check('input[name="channels.direct"]');
    await Promise.all([manager.waitForLoadState('load'), manager.click('form[action^="/check-in"] button[type=submit]')]);
    expect(await manager.textContent('[role=status]')).toContain('Laporan tersimpan');

    const checkIn = await t.as(await t.adminToken()).get<CheckInView>(`/api/v1/mpps/${palangka.id}/check-ins/2026-W48`);
    expect(checkIn.body).toMatchObject({
      daysOpen: 6,
      tenantsServing: 2,
      tenantsServingIds: [...ticked].sort(),
      visitors: 640,
      late: false,
    });
  }, 120_000);

  it('previews a file with errors as rows to fix, in Bahasa Indonesia, with no "Impor" and nothing written', async () => {
    const session = `mpp_session=${await t.adminToken()}`;
    const adminPage = await t.as().get('/admin', { headers: { cookie: session } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(adminPage.text)![1];
    const csrfCookie = ([] as string[])
      .concat(adminPage.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('_csrf='))!;
    const csv = 'kode_wilayah,nama_mpp,kanal\n62.02,MPP Kotawaringin Timur,langsung;faks\n99.99,MPP Fiktif,langsung\n';
    const form = new FormData();
    form.append('_csrf', csrf);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'registri-salah.csv');
    const encoded = new Request('http://localhost/', { method: 'POST', body: form });
    const before = await t.sql(`SELECT count(*)::int AS n FROM mpps`);
    const res = await t.as().post('/admin/registry', Buffer.from(await encoded.arrayBuffer()).toString('latin1'), {
      headers: { cookie: `${session}; ${csrfCookie}`, 'content-type': encoded.headers.get('content-type')! },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Berkas memuat kesalahan, sehingga tidak ada yang disimpan.');
    expect(res.text).toContain('<code>kanal</code>: kanal &quot;faks&quot; tidak dikenal; gunakan langsung, bergerak, mandiri, elektronik');
    expect(res.text).toContain('<code>kode_wilayah</code>: kode wilayah 99.99 tidak dikenal (kode Kemendagri, mis. 53.71)');
    expect(res.text).not.toContain('action="/admin/registry/import"');
    expect(await t.sql(`SELECT count(*)::int AS n FROM mpps`)).toEqual(before);
    // A multipart body anywhere else is refused before it is read.
    const elsewhere = await t.as().post('/admin/users', 'x', {
      headers: { cookie: `${session}; ${csrfCookie}`, 'content-type': encoded.headers.get('content-type')! },
    });
    expect(elsewhere.status).toBe(415);
  });
});
