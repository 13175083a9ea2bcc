import { gunzipSync } from 'node:zlib';
import { FixedClock } from '../src/common/clock';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import type { NewSignalSource } from './support/answers';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { PublicMppView } from '../src/modules/public-status/public-status.dto';

/**
 * The public status pages are the same for every visitor of a language, so a flood of anonymous
 * visitors is answered by caches and `304`s: a minute's public caching, an ETag that moves when the
 * data does, no cookie set.
 */
describe('public status caching (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-20T03:00:00Z')); // Friday of W47
  let t: TestApp;
  let admin: string;
  let bureau: { token: string };
  let kupang: { id: string };
  let lebak: { id: string };
  let minute = 0;
  const later = () => clock.set(new Date(Date.parse('2026-11-30T06:00:00Z') + ++minute * 60_000).toISOString());
  const pages = () => ['/status', '/status/provinsi/53', `/status/mpp/${kupang.id}`];
  const etags = async (urls: string[]) => Promise.all(urls.map(async (url) => (await t.as().get(url)).headers.etag as string));

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    admin = await t.adminToken();
    bureau = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
    kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    lebak = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Kabupaten Lebak' });
    const manager = await createUser(t, admin, { role: 'manager', mppIds: [kupang.id, lebak.id] });
    // Kupang's queue machine pings on 2 of the 5 days its check-in claims open: the week is disputed.
    const source = await t.as(admin).post<NewSignalSource>(`/api/v1/mpps/${kupang.id}/signal-sources`, { name: 'Mesin antrean' });
    const ping = source.body.pingUrl.replace(/^https?:\/\/[^/]+/, '');
    clock.set('2026-11-27T03:00:00Z');
    for (const m of [kupang, lebak])
      expect((await t.as(manager.token).put<CheckInView>(`/api/v1/mpps/${m.id}/check-ins/2026-W48`, checkInBody())).status).toBe(201);
    for (const day of ['2026-11-24', '2026-11-25']) expect((await t.as().get(`${ping}?date=${day}`)).status).toBe(202);
    clock.set('2026-11-30T05:30:00Z');
    expect((await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate')).status).toBe(200);
  }, 60_000);
  afterAll(() => t.close());

  it('serves the index, a province and an MPP publicly cacheable for a minute, with an ETag, Vary: Cookie and Accept-Encoding and no cookie', async () => {
    const expected: Record<string, string[]> = {
      '/status': ['Nusa Tenggara Timur', 'Banten', '/status/provinsi/53', 'Beroperasi: 1'],
      '/status/provinsi/53': ['Nusa Tenggara Timur', `/status/mpp/${kupang.id}`, 'MPP Kota Kupang'],
      [`/status/mpp/${kupang.id}`]: ['MPP Kota Kupang', '/status/provinsi/53', `/status/mpp/${kupang.id}/lapor`],
    };
    for (const url of pages()) {
      const res = await t.as().get(url);
      expect({
        url,
        status: res.status,
        cache: res.headers['cache-control'],
        vary: res.headers.vary,
        cookie: res.headers['set-cookie'],
      }).toEqual({
        url,
        status: 200,
        cache: 'public, max-age=60',
        // gzip to the clients that accept it, so caches keep each encoding apart
        vary: 'Cookie, Accept-Encoding',
        cookie: undefined,
      });
      expect(res.headers.etag).toMatch(/^"[\w-]{27}"$/);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      for (const text of expected[url]) expect({ url, has: res.text.includes(text) ? text : null }).toEqual({ url, has: text });
      expect(res.text).not.toContain('_csrf');
    }
    expect(new Set(await etags(pages())).size).toBe(3);
    // Lebak is in Banten: not on NTT's page.
    expect((await t.as().get('/status/provinsi/53')).text).not.toContain('MPP Kabupaten Lebak');
  });

  it('answers 304 with no body to a client holding the page, and the page to one holding another version', async () => {
    for (const url of pages()) {
      const etag = (await t.as().get(url)).headers.etag as string;
      for (const held of [etag, `W/${etag}`, `"stale", ${etag}`]) {
        const again = await t.as().get(url, { headers: { 'if-none-match': held } });
        expect({
          url,
          held,
          status: again.status,
          text: again.text,
          etag: again.headers.etag,
          cache: again.headers['cache-control'],
        }).toEqual({
          url,
          held,
          status: 304,
          text: '',
          etag,
          cache: 'public, max-age=60',
        });
      }
      const other = await t.as().get(url, { headers: { 'if-none-match': '"another-version"' } });
      expect({ url, status: other.status, etag: other.headers.etag }).toEqual({ url, status: 200, etag });
    }
  });

  it('keys the version on the language cookie, and never stores the answer that sets it', async () => {
    const indonesian = await t.as().get('/status');
    const english = await t.as().get('/status', { headers: { cookie: 'mpp_lang=en' } });
    expect(english.status).toBe(200);
    expect(english.text).toContain('Operating: 1');
    expect(english.headers['cache-control']).toBe('public, max-age=60');
    expect(english.headers['set-cookie']).toBeUndefined();
    expect(english.headers.etag).not.toBe(indonesian.headers.etag);
    expect(
      (await t.as().get('/status', { headers: { cookie: 'mpp_lang=en', 'if-none-match': indonesian.headers.etag as string } })).status,
    ).toBe(200);

    const switching = await t.as().get('/status?lang=en', { headers: { 'if-none-match': english.headers.etag as string } });
    expect(switching.status).toBe(200);
    expect(switching.text).toContain('Operating: 1');
    expect(switching.headers['cache-control']).toBe('no-store');
    expect(String(switching.headers['set-cookie'])).toContain('mpp_lang=en');
  });

  it('keeps the report form, with its challenge and CSRF token, out of every cache', async () => {
    const form = await t.as().get(`/status/mpp/${kupang.id}/lapor`);
    expect(form.status).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.headers.etag).toBeUndefined();
    expect(String(form.headers['set-cookie'])).toContain('_csrf=');
  });

  it('moves the ETag of every page and of the JSON when the week is evaluated again', async () => {
    const urls = [...pages(), '/api/v1/public/mpps', '/api/v1/public/mpps?province=53'];
    const before = await etags(urls);
    later();
    expect((await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate')).status).toBe(200);
    const after = await etags(urls);
    for (const [i, url] of urls.entries()) {
      expect({ url, changed: after[i] !== before[i] }).toEqual({ url, changed: true });
      expect({ url, status: (await t.as().get(url, { headers: { 'if-none-match': before[i] } })).status }).toEqual({
        url,
        status: 200,
      });
    }
  });

  it('moves the ETag when the bureau confirms a dispute, and the page then says limited', async () => {
    const urls = [...pages(), '/api/v1/public/mpps'];
    const before = await etags(urls);
    expect((await t.as().get(`/status/mpp/${kupang.id}`)).text).not.toContain('Terbatas');
    later();
    const confirm = await t.as(bureau.token).post(`/api/v1/mpps/${kupang.id}/disputes/2026-W48/confirm`);
    expect(confirm.status).toBe(200);
    const after = await etags(urls);
    for (const [i, url] of urls.entries()) expect({ url, changed: after[i] !== before[i] }).toEqual({ url, changed: true });
    expect((await t.as().get(`/status/mpp/${kupang.id}`)).text).toContain('Terbatas');
    expect((await t.as().get('/status')).text).toContain('Terbatas: 1');
  });

  it('answers 404 to If-None-Match: * for what does not exist, and keeps one answer per page whatever the query', async () => {
    const missing = await t.as().get('/status/mpp/00000000-0000-4000-8000-000000000000', { headers: { 'if-none-match': '*' } });
    expect([missing.status, missing.headers.etag, missing.headers['cache-control']]).toEqual([404, undefined, 'no-store']);
    const plain = await t.as().get('/status');
    const noise = await t.as().get('/status?x=1f2e3d');
    expect([noise.status, noise.headers.etag]).toEqual([200, plain.headers.etag]);
  });

  it('answers 404 for a province without monitored MPPs, uncached', async () => {
    for (const url of ['/status/provinsi/94', '/status/provinsi/x']) {
      const res = await t.as().get(url);
      expect({ url, status: res.status, cache: res.headers['cache-control'], etag: res.headers.etag }).toEqual({
        url,
        status: 404,
        cache: 'no-store',
        etag: undefined,
      });
    }
  });

  it('sends pages and the JSON gzip-compressed to a client that accepts it, the same bytes as the plain answer', async () => {
    for (const url of [...pages(), '/api/v1/public/mpps', '/api/v1/public/mpps?province=53']) {
      const plain = await t.as().get(url, { headers: { 'accept-encoding': 'identity' } });
      const zipped = await t.as().get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect({ url, plain: plain.status, zipped: zipped.status, encoding: zipped.headers['content-encoding'] }).toEqual({
        url,
        plain: 200,
        zipped: 200,
        encoding: 'gzip',
      });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(zipped.headers.etag).toBe(plain.headers.etag);
      expect(zipped.headers.vary).toContain('Accept-Encoding');
      expect(gunzipSync(zipped.raw).toString()).toBe(plain.text);
    }
    expect(
      JSON.parse(gunzipSync((await t.as().get('/api/v1/public/mpps', { headers: { 'accept-encoding': 'gzip' } })).raw).toString()),
    ).toEqual((await t.as().get<PublicMppView[]>('/api/v1/public/mpps')).body);
  });
});
