import { FixedClock } from '../src/common/clock';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { RetirementView, MppView } from '../src/modules/mpps/mpps.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { PublicMppView } from '../src/modules/public-status/public-status.dto';

/** The public status (no login): every MPP's week, and nothing a citizen should not read. */
describe('public status (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T03:00:00Z'));
  let t: TestApp;
  let kupang: { id: string };
  let lebak: { id: string };
  let closed: { id: string };
  const SECRET_EMAIL = 'pengelola.rahasia@kupangkota.go.id';
  const SECRET_PHONE = '+6281234567890';
  const PROBLEMS = 'Printer KTP rusak sejak Rabu, pegawai Budi sakit';

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    const admin = await t.adminToken();
    kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    lebak = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Kabupaten Lebak' });
    closed = await createMpp(t, admin, { regencyCode: '53.02', name: 'MPP Kabupaten Kupang' });
    const manager = await createUser(t, admin, { role: 'manager', mppIds: [kupang.id], email: SECRET_EMAIL, phone: SECRET_PHONE });
    const lebakManager = await createUser(t, admin, { role: 'manager', mppIds: [lebak.id] });
    const closedManager = await createUser(t, admin, { role: 'manager', mppIds: [closed.id] });
    const put = (mpp: { id: string }, token: string, body: Record<string, unknown>) =>
      t.as(token).put<CheckInView>(`/api/v1/mpps/${mpp.id}/check-ins/2026-W48`, checkInBody(body));
    expect((await put(kupang, manager.token, { problems: PROBLEMS })).status).toBe(201);
    await put(lebak, lebakManager.token, { status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Disegel' });
    await put(closed, closedManager.token, {});
    await t.as(admin).post<RetirementView>(`/api/v1/mpps/${closed.id}/retire`, { on: '2026-11-25', reason: 'Tutup permanen' });
    clock.set('2026-11-30T05:30:00Z');
    expect((await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate')).status).toBe(200);
  });
  afterAll(() => t.close());

  it('lists every monitored MPP with exactly the public fields, no login needed', async () => {
    const res = await t.as().get<PublicMppView[]>('/api/v1/public/mpps');
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.map((m) => [m.id, m]));
    expect(Object.keys(byId[kupang.id]).sort()).toEqual(
      [
        'id',
        'name',
        'regencyCode',
        'regencyName',
        'provinceCode',
        'provinceName',
        'week',
        'status',
        'weeks',
        'openingDays',
        'address',
        'latitude',
        'longitude',
        'services',
      ].sort(),
    );
    expect(byId[kupang.id]).toMatchObject({
      name: 'MPP Kota Kupang',
      regencyCode: '53.71',
      provinceCode: '53',
      week: '2026-W48',
      status: 'operating',
      weeks: [{ week: '2026-W48', status: 'operating' }],
      openingDays: [1, 2, 3, 4, 5],
      services: ['KTP-el', 'Kartu Keluarga', 'SKCK'],
    });
    expect(byId[lebak.id]).toMatchObject({ status: 'not_operating' });
    expect(byId[closed.id]).toMatchObject({ status: 'closed' });
    expect(byId[kupang.id]).toMatchObject({ latitude: null, longitude: null });
  });

  it('shows no person and no manager’s words, in the JSON or on the pages', async () => {
    for (const url of ['/api/v1/public/mpps', '/status', `/status/mpp/${kupang.id}`, '/status?lang=en']) {
      const res = await t.as().get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      for (const secret of [SECRET_EMAIL, SECRET_PHONE, 'Printer KTP', 'Budi', 'manager 1', '1730', '1450', 'Disegel'])
        expect({ url, leaks: res.text.includes(secret) ? secret : null }).toEqual({ url, leaks: null });
    }
  });

  it('narrows to a province and answers 304 to a client holding the same version', async () => {
    const ntt = await t.as().get<PublicMppView[]>('/api/v1/public/mpps?province=53');
    expect(ntt.body.map((m) => m.provinceCode)).toEqual(['53', '53']);
    expect(ntt.headers['cache-control']).toBe('public, max-age=300');
    const etag = ntt.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await t.as().get<PublicMppView[]>('/api/v1/public/mpps?province=53', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await t.as().get<PublicMppView[]>('/api/v1/public/mpps?province=5')).status).toBe(400);
  });

  it('renders the status page by province in Bahasa Indonesia, English on request, and one MPP with its weeks', async () => {
    const page = await t.as().get('/status');
    expect(page.text).toContain('Status Mal Pelayanan Publik');
    expect(page.text).toContain('Nusa Tenggara Timur');
    expect(page.text).toContain('Beroperasi');
    expect(page.text).toContain('Tidak beroperasi');
    expect(page.text).not.toContain('<script');
    expect((await t.as().get('/status?lang=en')).text).toContain('Not operating');
    const one = await t.as().get(`/status/mpp/${kupang.id}`);
    expect(one.text).toContain('MPP Kota Kupang');
    expect(one.text).toContain('SKCK');
    expect(one.text).toContain(`/status/mpp/${kupang.id}/lapor`);
    expect((await t.as().get('/status/mpp/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('links the MPP page to OpenStreetMap only once its coordinates are known, and lists them in the JSON', async () => {
    const mapLink = /<a href="https:\/\/www\.openstreetmap\.org\/[^"]*"[^>]*>([^<]*)<\/a>/;
    expect((await t.as().get(`/status/mpp/${kupang.id}`)).text).not.toMatch(/openstreetmap/);
    const admin = await t.adminToken();
    const half = await t.as(admin).patch<MppView>(`/api/v1/mpps/${kupang.id}`, { latitude: -10.1772 });
    expect([half.status, half.error?.details]).toEqual([400, [{ field: 'longitude', problem: 'latitude_without_longitude' }]]);
    const swapped = await t.as(admin).patch<MppView>(`/api/v1/mpps/${kupang.id}`, { latitude: 123.607, longitude: -10.1772 });
    expect([swapped.status, swapped.error?.details.map((d) => d.field).sort()]).toEqual([400, ['latitude', 'longitude']]);
    const set = await t.as(admin).patch<MppView>(`/api/v1/mpps/${kupang.id}`, { latitude: -10.1772, longitude: 123.607 });
    expect(set.body).toMatchObject({ latitude: -10.1772, longitude: 123.607 });
    // Public answers are built once per data version, which a process reads at most once a second.
    clock.advance(1_001);

    const page = await t.as().get(`/status/mpp/${kupang.id}`);
    const link = mapLink.exec(page.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'))!;
    expect(link[0]).toContain('href="https://www.openstreetmap.org/?mlat=-10.1772&mlon=123.607#map=17/-10.1772/123.607"');
    expect(link[1]).toBe('Lihat lokasi di peta (OpenStreetMap)');
    expect(page.text).not.toContain('<script');
    expect((await t.as().get(`/status/mpp/${lebak.id}`)).text).not.toMatch(/openstreetmap/);
    const listed = (await t.as().get<PublicMppView[]>('/api/v1/public/mpps?province=53')).body.find((m) => m.id === kupang.id);
    expect(listed).toMatchObject({ latitude: -10.1772, longitude: 123.607 });

    const cleared = await t.as(admin).patch<MppView>(`/api/v1/mpps/${kupang.id}`, { latitude: null, longitude: null });
    expect(cleared.body).toMatchObject({ latitude: null, longitude: null });
    clock.advance(1_001);
    expect((await t.as().get(`/status/mpp/${kupang.id}`)).text).not.toMatch(/openstreetmap/);
  });
});
