import { FixedClock } from '../src/common/clock';
import { CheckInLinks } from '../src/modules/auth/check-in-links';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import { stopCycleCron } from './support/scheduler';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { AgencyReport } from '../src/modules/reports/agency-report.service';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { ImportResult } from '../src/modules/registry/registry.dto';

/**
 * A check-in names the tenants that served (issue 17 item 2), and the agencies report counts, per
 * agency, the MPPs where one of its tenants served. Fixture in Kalimantan Tengah, week 2026-W48,
 * figures worked out by hand:
 *
 *   MPP        tenants (agency)                               check-in
 *   palangka   Polres (POLRI), Disdukcapil, Kantor Imigrasi   names Polres + Disdukcapil, 5 days open
 *   kobar      Polres, Disdukcapil                            names Disdukcapil, 5 days open
 *   kapuas     Polres, Samsat                                 count only (older client), 5 days open
 *   kotim      Polres                                         names none, closed (0 days)
 *
 *   agency       hosting  open  served
 *   POLRI          4       3      1   (palangka; kapuas names no one, kotim names none)
 *   DISDUKCAPIL    2       2      2   (palangka, kobar)
 *   IMIGRASI       1       1      0
 *   SAMSAT         1       1      0
 */
describe('tenants serving named in the check-in (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T02:00:00Z')); // Friday of W48: the window is open
  let t: TestApp;
  let admin: string;
  const mpp: Record<string, { id: string; name: string; tenants: { id: string; name: string }[] }> = {};
  const manager: Record<string, { token: string }> = {};
  const tenant = (who: string, name: string) => mpp[who].tenants.find((x) => x.name === name)!.id;
  const put = (who: string, body: Record<string, unknown>) =>
    t.as(manager[who].token).put<CheckInView>(`/api/v1/mpps/${mpp[who].id}/check-ins/2026-W48`, body);
  const report = async () => {
    const res = await t.as(admin).get<AgencyReport>('/api/v1/reports/agencies?week=2026-W48&province=62');
    expect(res.status).toBe(200);
    const row = (code: string) => {
      const a = res.body.agencies.find((x) => x.code === code)!;
      return [a.hostingMpps, a.hostingMppsOpen, a.servedMpps];
    };
    return { POLRI: row('POLRI'), DISDUKCAPIL: row('DISDUKCAPIL'), IMIGRASI: row('IMIGRASI'), SAMSAT: row('SAMSAT'), DJP: row('DJP') };
  };

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { APP_MODE: 'all' } });
    await stopCycleCron(t.app);
    admin = await t.adminToken();
    const fixture: Record<string, [string, string[]]> = {
      palangka: ['62.71', ['Polres', 'Disdukcapil', 'Kantor Imigrasi']],
      kobar: ['62.01', ['Polres', 'Disdukcapil']],
      kapuas: ['62.03', ['Polres', 'Samsat']],
      kotim: ['62.02', ['Polres']],
    };
    for (const [key, [regencyCode, names]] of Object.entries(fixture)) {
      mpp[key] = await createMpp(t, admin, { regencyCode, tenants: names.map((name) => ({ name, services: ['Layanan'] })) });
      manager[key] = await createUser(t, admin, { role: 'manager', mppIds: [mpp[key].id] });
    }
  });
  afterAll(() => t?.close());

  it('keeps servedMpps null while check-ins give only the count (older clients)', async () => {
    const res = await put('kapuas', checkInBody({ tenantsServing: 2 }));
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('tenantsServingIds');
    expect(await report()).toEqual({
      POLRI: [4, 1, null],
      DISDUKCAPIL: [2, 0, null],
      IMIGRASI: [1, 0, null],
      SAMSAT: [1, 1, null],
      DJP: [0, 0, null],
    });
  });

  it('refuses names that are not tenants of the MPP, a count that disagrees, duplicates and non-ids, writing nothing', async () => {
    const body = (patch: Record<string, unknown>) => {
      const b = checkInBody(patch);
      delete b.tenantsServing;
      return { ...b, ...patch };
    };
    const foreign = await put('palangka', body({ tenantsServingIds: [tenant('palangka', 'Polres'), tenant('kobar', 'Polres')] }));
    expect(foreign.status).toBe(400);
    expect(foreign.error?.error).toBe('validation_failed');
    expect(foreign.error?.details).toEqual([{ field: 'tenantsServingIds', problem: expect.stringContaining(tenant('kobar', 'Polres')) }]);
    const disagree = await put('palangka', body({ tenantsServingIds: [tenant('palangka', 'Polres')], tenantsServing: 2 }));
    expect([disagree.status, disagree.error?.details[0].field]).toEqual([400, 'tenantsServingIds']);
    const twice = await put('palangka', body({ tenantsServingIds: [tenant('palangka', 'Polres'), tenant('palangka', 'Polres')] }));
    expect(twice.status).toBe(400);
    const notIds = await put('palangka', body({ tenantsServingIds: ['Polres'] }));
    expect(notIds.status).toBe(400);
    expect(await t.sql(`SELECT count(*)::int AS n FROM check_ins WHERE mpp_id = $1`, [mpp.palangka.id])).toEqual([{ n: 0 }]);
  });

  it('stores the names with each revision, the count following from them, and reports the MPPs each agency served in', async () => {
    const { tenantsServing: _, ...withoutCount } = checkInBody();
    const palangkaIds = [tenant('palangka', 'Polres'), tenant('palangka', 'Disdukcapil')];
    const first = await put('palangka', { ...withoutCount, tenantsServingIds: palangkaIds });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ revision: 1, tenantsServing: 2, tenantsServingIds: [...palangkaIds].sort() });
    // The same names in another order, with the matching count: the same body, no revision.
    const again = await put('palangka', { ...withoutCount, tenantsServing: 2, tenantsServingIds: [...palangkaIds].reverse() });
    expect([again.status, again.body.revision]).toEqual([200, 1]);

    expect(
      (await put('kobar', { ...checkInBody({ tenantsServing: 1 }), tenantsServingIds: [tenant('kobar', 'Disdukcapil')] })).status,
    ).toBe(201);
    const closed = await put('kotim', {
      ...checkInBody({ daysOpen: 0, visitors: 0, transactions: 0, status: 'temporarily_closed', closureReason: 'Banjir' }),
      tenantsServing: undefined,
      tenantsServingIds: [],
    });
    expect([closed.status, closed.body.tenantsServing, closed.body.tenantsServingIds]).toEqual([201, 0, []]);

    expect(await report()).toEqual({
      POLRI: [4, 3, 1],
      DISDUKCAPIL: [2, 2, 2],
      IMIGRASI: [1, 1, 0],
      SAMSAT: [1, 1, 0],
      DJP: [0, 0, 0],
    });

    // A correction naming only Polres: revision 2; both revisions keep their own names.
    const revised = await put('palangka', { ...withoutCount, tenantsServingIds: [tenant('palangka', 'Polres')] });
    expect([revised.status, revised.body.revision, revised.body.tenantsServing]).toEqual([200, 2, 1]);
    const revisions = await t.as(admin).get<CheckInView[]>(`/api/v1/mpps/${mpp.palangka.id}/check-ins/2026-W48?revisions=all`);
    expect(revisions.body.map((r) => [r.revision, r.tenantsServing, r.tenantsServingIds])).toEqual([
      [1, 2, [...palangkaIds].sort()],
      [2, 1, [tenant('palangka', 'Polres')]],
    ]);
    const current = await t.as(manager.palangka.token).get<CheckInView>(`/api/v1/mpps/${mpp.palangka.id}/check-ins/2026-W48`);
    expect(current.body.tenantsServingIds).toEqual([tenant('palangka', 'Polres')]);
    expect((await report()).DISDUKCAPIL).toEqual([2, 2, 1]);

    // An older client's body (count only) is a revision that names no one again.
    const countOnly = await put('kobar', checkInBody({ tenantsServing: 1 }));
    expect([countOnly.status, countOnly.body.revision, countOnly.body.tenantsServingIds]).toEqual([200, 2, undefined]);
    expect((await report()).DISDUKCAPIL).toEqual([2, 2, 0]);
  });

  it('the check-in form lists the MPP tenants as checkboxes and stores the ticked ones through the same writer', async () => {
    const manager2 = await createUser(t, admin, { role: 'manager', mppIds: [mpp.kapuas.id] });
    const users = await t.sql(`SELECT id FROM users WHERE email = $1`, [manager2.email]);
    const link = t.app
      .get(CheckInLinks)
      .url({ userId: users[0].id, mppId: mpp.kapuas.id, week: '2026-W48' }, 'Asia/Jakarta')
      .replace(/^https?:\/\/[^/]+/, '');
    const page = await t.as().get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<legend>Instansi yang melayani minggu ini</legend>');
    expect(page.text).toContain(`<input type="checkbox" name="tenantsServingIds" value="${tenant('kapuas', 'Polres')}" > Polres</label>`);
    expect(page.text).toContain(`value="${tenant('kapuas', 'Samsat')}" > Samsat</label>`);
    expect(page.text).not.toContain('id="tenantsServing"'); // the count follows from the ticks
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const cookie = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const post = (ids: string[]) => {
      const form = new URLSearchParams({
        _csrf: csrf,
        daysOpen: '5',
        countersOpen: '6',
        visitors: '300',
        transactions: '320',
        status: 'normal',
        tenantsNamed: '1',
        'channels.direct': 'on',
      });
      for (const id of ids) form.append('tenantsServingIds', id);
      return t.as().post(link, form.toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });
    };
    const foreign = await post([tenant('kapuas', 'Polres'), tenant('palangka', 'Polres')]);
    expect(foreign.status).toBe(400);
    expect(foreign.text).toContain(
      '<p class="field-error" id="tenantsServingIds-error">Pilih hanya instansi yang terdaftar di MPP ini.</p>',
    );
    // The form comes back with the boxes as ticked.
    expect(foreign.text).toContain(`value="${tenant('kapuas', 'Polres')}" checked> Polres</label>`);
    expect(foreign.text).toContain(`value="${tenant('kapuas', 'Samsat')}" > Samsat</label>`);
    const saved = await post([tenant('kapuas', 'Polres'), tenant('kapuas', 'Samsat')]);
    expect(saved.status).toBe(303);
    const stored = await t.as(admin).get<CheckInView>(`/api/v1/mpps/${mpp.kapuas.id}/check-ins/2026-W48`);
    expect(stored.body).toMatchObject({
      revision: 2,
      tenantsServing: 2,
      tenantsServingIds: [tenant('kapuas', 'Polres'), tenant('kapuas', 'Samsat')].sort(),
    });
    expect((await report()).SAMSAT).toEqual([1, 1, 1]);
  });

  it('keeps tenant ids through a registry re-import and an edit, so the check-ins naming them still count', async () => {
    const before = await report();
    expect(before).toMatchObject({ POLRI: [4, 3, 2], SAMSAT: [1, 1, 1] }); // palangka and kapuas name their Polres
    const ids = async (who: string) =>
      Object.fromEntries((await t.as(admin).get<MppView>(`/api/v1/mpps/${mpp[who].id}`)).body.tenants.map((x) => [x.name, x.id]));
    const csv = [
      'kode_wilayah,nama_mpp,instansi',
      // Reordered, new services, Polres renamed (still POLRI's only tenant there), a bank added.
      `62.71,${mpp.palangka.name},"Disdukcapil: KTP-el; Polresta Palangka Raya: SKCK, Izin Keramaian; Kantor Imigrasi: Paspor; Bank Kalteng: Tabungan"`,
      `62.03,${mpp.kapuas.name},Samsat: Pajak Kendaraan; polres: SKCK`,
    ].join('\n');
    const imported = await t.as(admin).post<ImportResult>('/api/v1/registry/import', csv, { headers: { 'content-type': 'text/csv' } });
    expect(imported.body).toMatchObject({ updated: 2, errors: [] });

    expect(await ids('palangka')).toEqual({
      Disdukcapil: tenant('palangka', 'Disdukcapil'),
      'Polresta Palangka Raya': tenant('palangka', 'Polres'),
      'Kantor Imigrasi': tenant('palangka', 'Kantor Imigrasi'),
      'Bank Kalteng': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await ids('kapuas')).toEqual({ Samsat: tenant('kapuas', 'Samsat'), polres: tenant('kapuas', 'Polres') });
    const stored = await t.as(admin).get<CheckInView>(`/api/v1/mpps/${mpp.kapuas.id}/check-ins/2026-W48`);
    expect(stored.body.tenantsServingIds).toEqual([tenant('kapuas', 'Polres'), tenant('kapuas', 'Samsat')].sort());
    expect(await report()).toEqual(before);

    // The admin's edit (PATCH, as the admin page sends it) keeps the ids of the tenants still listed.
    const patched = await t.as(admin).patch<MppView>(`/api/v1/mpps/${mpp.kobar.id}`, {
      tenants: [
        { name: 'Kantor Imigrasi', services: ['Paspor'] },
        { name: 'Disdukcapil', services: ['KTP-el'] },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.tenants[1]).toEqual({
      id: tenant('kobar', 'Disdukcapil'),
      name: 'Disdukcapil',
      services: ['KTP-el'],
      agencyCode: 'DISDUKCAPIL',
    });
    expect([tenant('kobar', 'Polres'), tenant('kobar', 'Disdukcapil')]).not.toContain(patched.body.tenants[0].id);
    // Removing a tenant is real: Kobar's Polres went above; Kapuas without its Polres no longer counts as POLRI served there.
    const dropped = `kode_wilayah,nama_mpp,instansi\n62.03,${mpp.kapuas.name},Samsat: Pajak Kendaraan`;
    await t.as(admin).post<ImportResult>('/api/v1/registry/import', dropped, { headers: { 'content-type': 'text/csv' } });
    expect((await report()).POLRI).toEqual([2, 1, 1]);
  });
});
