import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { FixedClock } from '../src/common/clock';
import { posterQrPng } from '../src/modules/citizen-reports/poster';
import { TestApp } from './support/app';
import { createMpp } from './support/factories';
import { pdfText } from './support/pdf-text';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', 'docs', 'screenshots');

/** The door poster and the citizen's report form, in a real phone-sized Chromium. */
describe('citizen report pages (e2e)', () => {
  const clock = new FixedClock(new Date('2026-12-01T03:00:00Z'));
  const APP_URL = 'https://mpp.example.go.id';
  let t: TestApp;
  let kupang: { id: string };

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { APP_URL } });
    kupang = await createMpp(t, await t.adminToken(), { regencyCode: '53.71', name: 'MPP Kota Kupang' });
  });
  afterAll(() => t.close());

  it('serves an A4 poster whose QR code leads to the MPP’s report page', async () => {
    const res = await t.as().get(`/status/mpp/${kupang.id}/poster.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const url = `${APP_URL}/status/mpp/${kupang.id}/lapor`;
    const { text, pages } = pdfText(res.raw);
    expect(text).toContain('Anda datang dan MPP tutup?');
    expect(text).toContain('MPP Kota Kupang');
    expect(text.replace(/\s+/g, '')).toContain(url);
    expect(pages).toBe(1);
    // The QR code the poster embeds, made the same way, decodes to the report page.
    const png = PNG.sync.read(await posterQrPng(url));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(url);
  });

  it('on a phone, solves the challenge, sends a report and shows the thank-you page', async () => {
    const base = await t.listen();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/status/mpp/${kupang.id}/lapor`);
      expect(await page.textContent('h1')).toContain('Anda datang dan MPP tutup?');
      await page.check('input[value=closed]');
      await page.fill('#visitedOn', '2026-11-30');
      await page.fill('#note', 'Pintu terkunci pukul 10 pagi <script>alert(1)</script>');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'citizen-report.png'), fullPage: true });
      await Promise.all([
        page.waitForURL(`**/status/mpp/${kupang.id}/terima-kasih`, { timeout: 60_000 }),
        page.click('button[type=submit]'),
      ]);
      expect(await page.textContent('h1')).toBe('Terima kasih');
      expect(errors).toEqual([]);
      expect(
        await t.sql(`SELECT kind, to_char(visited_on, 'YYYY-MM-DD') AS day, note FROM citizen_reports WHERE mpp_id = $1`, [kupang.id]),
      ).toEqual([{ kind: 'closed', day: '2026-11-30', note: 'Pintu terkunci pukul 10 pagi <script>alert(1)</script>' }]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
