import { FixedClock } from '../src/common/clock';
import { TestApp } from './support/app';
import { createMpp, createUser } from './support/factories';
import type { ClosureView } from '../src/modules/mpps/closures.dto';

/**
 * The manager's closure form (issue 15, item 4): the category is chosen from words, an
 * unplanned closure declared afterwards is saved as awaiting the bureau's approval and the page
 * says so, and the closures on record are listed with their state.
 */
describe("the manager's closure form (e2e)", () => {
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z')); // Wednesday of W48, 10:00 WITA
  let t: TestApp;
  let mpp: { id: string };
  let manager: { token: string };

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    const admin = await t.adminToken();
    mpp = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kupang (formulir)' });
    manager = await createUser(t, admin, { role: 'manager', mppIds: [mpp.id] });
  });
  afterAll(() => t.close());

  const session = async () => {
    const page = await t.as().get(`/check-in/${mpp.id}/2026-W48`, { headers: { cookie: `mpp_session=${manager.token}` } });
    const set = page.headers['set-cookie'];
    const csrfCookie = (Array.isArray(set) ? set : [set ?? '']).find((c) => c.startsWith('_csrf='))!.split(';')[0];
    return { page, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], cookie: `mpp_session=${manager.token}; ${csrfCookie}` };
  };
  const declare = async (fields: Record<string, string>) => {
    const { csrf, cookie } = await session();
    return t.as().post(`/check-in/${mpp.id}/2026-W48/closures`, new URLSearchParams({ ...fields, _csrf: csrf }).toString(), {
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
  };

  it('offers the closure categories in Bahasa Indonesia', async () => {
    const { page } = await session();
    expect(page.status).toBe(200);
    const options = [...page.text.matchAll(/<option value="([a-z_]+)">([^<]+)<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual(
      expect.arrayContaining([
        ['planned', 'Penutupan terencana'],
        ['disaster', 'Bencana (banjir, gempa, kebakaran)'],
        ['renovation', 'Renovasi gedung'],
        ['relocation', 'Pindah lokasi'],
        ['outage', 'Gangguan listrik, jaringan, atau sistem'],
        ['other', 'Lainnya'],
      ]),
    );
    expect(page.text).toContain('menunggu persetujuan Biro Organisasi provinsi');
  });

  it('saves a flood that began yesterday as awaiting approval, says so, and lists it', async () => {
    const res = await declare({ category: 'disaster', from: '2026-11-24', to: '2026-11-26', reason: 'Banjir merendam lantai dasar' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/check-in/${mpp.id}/2026-W48?saved=closure-pending`);

    const stored = (await t.as(manager.token).get<ClosureView[]>(`/api/v1/mpps/${mpp.id}/closures`)).body;
    expect(stored).toEqual([expect.objectContaining({ category: 'disaster', status: 'pending_approval', from: '2026-11-24' })]);

    const page = await t.as().get(res.headers.location as string, { headers: { cookie: `mpp_session=${manager.token}` } });
    expect(page.text).toContain('Penutupan tersimpan dan menunggu persetujuan Biro Organisasi provinsi.');
    const row = /<tbody><tr>(.*?)<\/tr>/s.exec(page.text.slice(page.text.indexOf('Penutupan yang tercatat')))![1];
    expect(row.replace(/<[^>]+>/g, '|')).toContain(
      'Bencana (banjir, gempa, kebakaran)||Banjir merendam lantai dasar||menunggu persetujuan Biro Organisasi',
    );
    expect(row).not.toMatch(/2026-11-24/); // dates in words, not ISO
  });

  it('saves a planned closure from tomorrow as in effect', async () => {
    const res = await declare({ category: 'planned', from: '2026-11-26', to: '2026-11-26', reason: 'Pemeliharaan listrik gedung' });
    expect(res.headers.location).toBe(`/check-in/${mpp.id}/2026-W48?saved=closure`);
    const stored = (await t.as(manager.token).get<ClosureView[]>(`/api/v1/mpps/${mpp.id}/closures`)).body;
    expect(stored.find((c: { reason: string }) => c.reason === 'Pemeliharaan listrik gedung')).toMatchObject({ status: 'approved' });
  });

  it('refuses an unknown category with the form error and stores nothing', async () => {
    const res = await declare({ category: 'alien', from: '2026-11-27', to: '2026-11-27', reason: 'Tidak jelas' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert"');
    expect((await t.as(manager.token).get<ClosureView[]>(`/api/v1/mpps/${mpp.id}/closures`)).body).toHaveLength(2);
  });
});
