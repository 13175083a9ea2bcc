import Papa from 'papaparse';
import { FixedClock } from '../src/common/clock';
import { CheckInLinks } from '../src/modules/auth/check-in-links';
import type { ApiResponse } from './support/api';
import { PASSWORD, TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { ClosureView } from '../src/modules/mpps/closures.dto';
import type { UserView } from '../src/modules/users/users.dto';
import type { FlagView, FlagDetailView } from '../src/modules/flags/flags.dto';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';
import type { Coverage, Holiday } from './support/answers';

/** Cookies a response sets, as a Cookie header value (name=value; …), merged over earlier ones. */
function cookiesOf(res: ApiResponse<unknown>, jar: Record<string, string> = {}): Record<string, string> {
  const set = res.headers['set-cookie'];
  for (const line of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair] = line.split(';');
    const i = pair.indexOf('=');
    jar[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return jar;
}
const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** Opens a page form and posts it back with its CSRF token, as a browser would. */
async function postForm(
  t: TestApp,
  url: string,
  fields: Record<string, string>,
  jar: Record<string, string> = {},
): Promise<ApiResponse<unknown>> {
  const page = await t.as().get(url, { headers: { cookie: cookieHeader(jar) } });
  cookiesOf(page, jar);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error(`no CSRF token on ${url} (${page.status})`);
  return t.as().post(url, new URLSearchParams({ ...fields, _csrf: csrf }).toString(), {
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const FORM = { daysOpen: '5', tenantsServing: '2', countersOpen: '6', visitors: '800', transactions: '950', status: 'normal' };

describe('security, second round (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-27T03:00:00Z')); // Friday of W48: check-ins open
  let t: TestApp;
  let admin: string;
  let kupang: { id: string };
  let manager: { id: string; email: string; token: string };

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { WRITE_RATE_LIMIT: '0' } });
    admin = await t.adminToken();
    kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    manager = await createUser(t, admin, { role: 'manager', mppIds: [kupang.id] });
  });
  afterAll(() => t.close());

  describe('a reminder link is not a login', () => {
    const link = () => t.app.get(CheckInLinks).sign({ userId: manager.id, mppId: kupang.id, week: '2026-W48' }, 'Asia/Makassar');

    it('is refused as a bearer token and as a session cookie', async () => {
      const token = link();
      const api = await t.as(token).get<MppView[]>('/api/v1/mpps');
      expect(api.status).toBe(401);
      expect(api.error).toMatchObject({ statusCode: 401, error: 'unauthorized' });
      const closure = await t.as(token).post<ClosureView>(`/api/v1/mpps/${kupang.id}/closures`, {
        from: '2026-12-01',
        to: '2027-11-30',
        reason: 'Setahun tutup',
        kind: 'renovation',
      });
      expect(closure.status).toBe(401);
      const page = await t.as().get('/check-in', { headers: { cookie: `mpp_session=${token}` } });
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/login?next=%2Fcheck-in');
      expect(await t.sql(`SELECT count(*)::int AS n FROM planned_closures`)).toEqual([{ n: 0 }]);
    });

    it('opens only its form, and a submission spends it', async () => {
      const url = `/c/${link()}`;
      const sent = await postForm(t, url, FORM);
      expect(sent.status).toBe(303);
      expect(sent.headers.location).toBe(`${url}?saved=1`);
      const thanks = await t.as().get(`${url}?saved=1`);
      expect(thanks.status).toBe(200);
      expect(thanks.text).toContain('Laporan tersimpan');
      expect(thanks.text).not.toContain('name="daysOpen"');
      // Used once: no second submission through it, not even to read the form.
      const again = await t.as().get(url);
      expect(again.status).toBe(410);
      expect(again.text).toContain('Tautan ini sudah dipakai');
      expect(await t.sql(`SELECT revision, visitors FROM check_ins WHERE mpp_id = $1 AND week = '2026-W48'`, [kupang.id])).toEqual([
        { revision: 1, visitors: 800 },
      ]);
    });

    it('stays usable when the submission was refused (a form error spends nothing)', async () => {
      const url = `/c/${link()}`;
      const refused = await postForm(t, url, { ...FORM, daysOpen: '9' });
      expect(refused.status).toBe(400);
      expect((await t.as().get(url)).status).toBe(200);
    });

    it('is given back before the refusal is answered, however slow giving it back is', async () => {
      // The refused page used to be sent before the link was unspent: a reader quick to reload saw 410.
      const links = t.app.get(CheckInLinks);
      const unspend = links.unspend.bind(links);
      links.unspend = async (jti) => {
        await new Promise((r) => setTimeout(r, 300));
        return unspend(jti);
      };
      try {
        const url = `/c/${link()}`;
        const refused = await postForm(t, url, { ...FORM, daysOpen: '9' });
        expect(refused.status).toBe(400);
        const again = await t.as().get(url);
        expect(again.status).toBe(200);
        expect(again.text).toContain('name="daysOpen"');
      } finally {
        links.unspend = unspend;
      }
    });
  });

  describe('sessions can be revoked', () => {
    it('logout ends the token and the page session', async () => {
      const user = await createUser(t, admin, { role: 'ministry' });
      const other = await t.login(user.email); // a second session, e.g. another device
      expect((await t.as(user.token).get<MppView[]>('/api/v1/mpps')).status).toBe(200);
      const out = await t.as(user.token).post('/api/v1/auth/logout');
      expect(out.status).toBe(204);
      for (const token of [user.token, other]) {
        const res = await t.as(token).get<MppView[]>('/api/v1/mpps');
        expect(res.status).toBe(401);
        expect(res.error?.error).toBe('unauthorized');
        expect((await t.as().get('/national', { headers: { cookie: `mpp_session=${token}` } })).status).toBe(303);
      }
      expect((await t.as(await t.login(user.email)).get<MppView[]>('/api/v1/mpps')).status).toBe(200);
    });

    it('the logout page ends the session behind the cookie, not only the cookie', async () => {
      const user = await createUser(t, admin, { role: 'ministry' });
      const jar = { mpp_session: user.token };
      const page = await t.as().get('/national', { headers: { cookie: cookieHeader(jar) } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      cookiesOf(page, jar);
      const logout = await t.as().post('/logout', `_csrf=${encodeURIComponent(csrf)}`, {
        headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(logout.status).toBe(303);
      expect((await t.as(user.token).get<MppView[]>('/api/v1/mpps')).status).toBe(401);
    });

    it('a password change, deactivation → reactivation and a scope change end old sessions', async () => {
      const user = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
      const patch = (body: unknown) => t.as(admin).patch<UserView>(`/api/v1/users/${user.id}`, body);

      expect((await patch({ password: 'Sandi-Baru-Sekali-2026' })).status).toBe(200);
      expect((await t.as(user.token).get<FlagView[]>('/api/v1/flags')).status).toBe(401);

      const second = await t.login(user.email, 'Sandi-Baru-Sekali-2026');
      expect((await patch({ active: false })).status).toBe(200);
      expect((await patch({ active: true })).status).toBe(200);
      expect((await t.as(second).get<FlagView[]>('/api/v1/flags')).status).toBe(401);

      const third = await t.login(user.email, 'Sandi-Baru-Sekali-2026');
      expect((await patch({ provinceCode: '51' })).status).toBe(200);
      expect((await t.as(third).get<FlagView[]>('/api/v1/flags')).status).toBe(401);
    });
  });

  describe('scope follows the data', () => {
    it("a moved MPP's flag is seen and moved by the new province's bureau only", async () => {
      const ende = await createMpp(t, admin, { regencyCode: '53.10', name: 'MPP Kabupaten Ende' });
      const endeManager = await createUser(t, admin, { role: 'manager', mppIds: [ende.id] });
      const ntt = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
      const bali = await createUser(t, admin, { role: 'bureau', provinceCode: '51' });
      clock.set('2026-11-27T03:00:00Z');
      await t
        .as(endeManager.token)
        .put<CheckInView>(
          `/api/v1/mpps/${ende.id}/check-ins/2026-W48`,
          checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Disegel' }),
        );
      clock.set('2026-11-30T05:30:00Z');
      expect((await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate')).status).toBe(200);
      const [flag] = (await t.as(admin).get<FlagView[]>(`/api/v1/flags?mppId=${ende.id}`)).body;
      expect((await t.as(ntt.token).get<FlagDetailView>(`/api/v1/flags/${flag.id}`)).status).toBe(200);

      // The MPP is registered in the wrong regency: moved to Buleleng (Bali).
      expect((await t.as(admin).patch<MppView>(`/api/v1/mpps/${ende.id}`, { regencyCode: '51.08' })).status).toBe(200);
      const old = await t.as(ntt.token).get<FlagDetailView>(`/api/v1/flags/${flag.id}`);
      expect(old.status).toBe(404);
      expect((await t.as(ntt.token).get<FlagView[]>('/api/v1/flags')).body.map((f: { id: string }) => f.id)).not.toContain(flag.id);
      const move = { to: 'acknowledged', note: 'Sudah ditelepon' };
      expect((await t.as(ntt.token).post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, move)).status).toBe(404);

      const seen = await t.as(bali.token).get<FlagDetailView>(`/api/v1/flags/${flag.id}`);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ id: flag.id, provinceCode: '51' });
      const moved = await t.as(bali.token).post<FlagView>(`/api/v1/flags/${flag.id}/transitions`, move);
      expect(moved.status).toBe(200);
      expect(moved.body.state).toBe('acknowledged');
      clock.set('2026-11-27T03:00:00Z');
    });

    it('a manager does not read national coverage', async () => {
      const res = await t.as(manager.token).get<Coverage>('/api/v1/reports/coverage');
      expect(res.status).toBe(403);
      expect(res.error).toMatchObject({ statusCode: 403, error: 'forbidden' });
      expect(res.text).not.toContain('regencies');
    });
  });

  it('CSV exports defuse formulas in cells', async () => {
    await createMpp(t, admin, { regencyCode: '53.11', name: '=HYPERLINK("http://evil.example","Klik")' });
    clock.set('2026-11-30T05:30:00Z');
    await t.as(admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate');
    const csv = await t.as(admin).get('/api/v1/reports/weekly/2026-W48?format=csv&detail=mpps');
    expect(csv.status).toBe(200);
    const rows = Papa.parse<string[]>(csv.text.replace(/^\ufeff/, '').trim()).data;
    const cell = rows.flat().find((c) => c.includes('HYPERLINK'));
    expect(cell).toBe(`'=HYPERLINK("http://evil.example","Klik")`);
    clock.set('2026-11-27T03:00:00Z');
  });

  it('the write rate limit keys on the user, however the header is spelled', async () => {
    const limited = await TestApp.start({ clock, env: { WRITE_RATE_LIMIT: '3' } });
    try {
      const token = await limited.adminToken();
      const spellings = [`Bearer ${token}`, `Bearer  ${token}`, `bearer ${token}`, `Bearer ${token} `];
      const statuses: number[] = [];
      for (const authorization of spellings) {
        const res = await limited
          .as()
          .post<Holiday>(
            '/api/v1/holidays',
            { date: `2027-0${statuses.length + 1}-15`, kind: 'national', name: 'Libur uji' },
            { headers: { authorization } },
          );
        statuses.push(res.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
      expect(await limited.sql(`SELECT count(*)::int AS n FROM holidays WHERE name = 'Libur uji'`)).toEqual([{ n: 3 }]);
    } finally {
      await limited.close();
    }
  });

  it('after login, follows only a path on this site', async () => {
    const user = await createUser(t, admin, { role: 'ministry' });
    for (const next of ['/\t/evil.example/path', '//evil.example', '/\\evil.example', 'https://evil.example/']) {
      const res = await postForm(t, `/login?next=${encodeURIComponent(next)}`, { email: user.email, password: PASSWORD, next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    }
    const local = await postForm(t, '/login', { email: user.email, password: PASSWORD, next: '/national?week=2026-W48' });
    expect(local.headers.location).toBe('/national?week=2026-W48');
  });
});
