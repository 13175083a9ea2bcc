import * as jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { RateLimiter } from '../src/common/rate-limiter';
import { keysFor } from '../src/modules/auth/jwt-keys';
import type { ErrorBody } from '../src/common/error.filter';
import type { Readiness } from '../src/modules/health/health.service';
import type { MppView } from '../src/modules/mpps/mpps.dto';
import type { UserView } from '../src/modules/users/users.dto';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Method } from './support/api';
import { ADMIN, PASSWORD } from './support/app';
import { SignedInUser } from './support/factories';
import { Scenario } from './support/scenario';
import type { LoginResult } from '../src/modules/auth/auth.dto';
import type { Province } from './support/answers';

describe('registry, auth and roles (e2e)', () => {
  let sc: Scenario;
  let kupang: MppView;
  let buleleng: MppView;
  let jayapura: MppView;
  let ministry: SignedInUser;
  let bureauNtt: SignedInUser;
  let bureauBali: SignedInUser;
  let managerKupang: SignedInUser;

  beforeAll(async () => {
    // The app's clock stands still, so the login limits' windows never turn over in the middle of
    // a test (a run straddling a 5-minute boundary of the real clock once failed).
    sc = await Scenario.start({ at: '2026-11-25T01:00:00Z' });
    kupang = await sc.mpp({ regencyCode: '53.71', name: 'MPP Kota Kupang' });
    buleleng = await sc.mpp({ regencyCode: '51.08', name: 'MPP Kabupaten Buleleng', openingDays: [6, 1, 2, 3, 4, 5] });
    jayapura = await sc.mpp({ regencyCode: '91.03', name: 'MPP Kabupaten Jayapura', channels: [] });
    ministry = await sc.user({ role: 'ministry' });
    bureauNtt = await sc.bureau('53');
    bureauBali = await sc.bureau('51');
    managerKupang = await sc.manager(kupang);
  });
  afterAll(() => sc.close());

  async function count(table: string): Promise<number> {
    return (await sc.t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  }

  describe('login', () => {
    it('answers a bearer token', async () => {
      const res = await sc.as().post<LoginResult>('/api/v1/auth/login', { email: ADMIN.email.toUpperCase(), password: ADMIN.password });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 8 * 3600 });
    });

    it.each([
      ['a wrong password', { email: ADMIN.email, password: 'Salah-Sandi-2026!' }],
      ['an unknown account', { email: 'nobody@mpp-monitor.test', password: PASSWORD }],
    ])('refuses %s with 401', async (_name, body) => {
      const res = await sc.as().post<LoginResult>('/api/v1/auth/login', body, { ip: '10.1.0.1' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'unauthorized', message: 'Wrong email or password', details: [] });
    });

    it('refuses a malformed login with 400', async () => {
      const res = await sc.as().post<ErrorBody>('/api/v1/auth/login', { email: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect([...new Set(res.body.details.map((d) => d.field))].sort()).toEqual(['email', 'password']);
    });

    it('limits attempts per account and address (10, then one every 90 s), answering 429 with Retry-After', async () => {
      const victim = await sc.user({ role: 'ministry' });
      for (let i = 0; i < 10; i++) {
        const res = await sc
          .as()
          .post<LoginResult>('/api/v1/auth/login', { email: victim.email, password: 'Salah-Sandi-2026!' }, { ip: '10.2.0.1' });
        expect(res.status).toBe(401);
      }
      const blocked = await sc.as().post<ErrorBody>('/api/v1/auth/login', { email: victim.email, password: PASSWORD }, { ip: '10.2.0.1' });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toBe('rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBe(90);
      // The owner, from their own address, is not locked out by someone else's guessing.
      const owner = await sc.as().post<LoginResult>('/api/v1/auth/login', { email: victim.email, password: PASSWORD }, { ip: '10.2.1.1' });
      expect(owner.status).toBe(200);
    });

    it('prunes counters a day old and keeps recent ones', async () => {
      // A bucket full again for 25 hours before the app's clock, which is what the pruning compares with.
      await sc.t.sql(`INSERT INTO rate_limits (key, tat) VALUES ('login:ip:old', $1::timestamptz - interval '25 hours')`, [
        sc.clock.now().toISOString(),
      ]);
      const recent = (await sc.t.sql(`SELECT count(*)::int AS n FROM rate_limits WHERE key <> 'login:ip:old'`))[0].n;
      expect(recent).toBeGreaterThan(0);
      expect(await sc.t.app.get(RateLimiter).prune()).toBe(1);
      expect(await sc.t.sql(`SELECT count(*)::int AS n FROM rate_limits`)).toEqual([{ n: recent }]);
    });

    it('does not count successful logins against the account', async () => {
      const owner = await sc.user({ role: 'ministry' });
      for (let i = 0; i < 12; i++) {
        const res = await sc.as().post<LoginResult>('/api/v1/auth/login', { email: owner.email, password: PASSWORD }, { ip: '10.4.0.1' });
        expect(res.status).toBe(200);
      }
    });

    it('limits attempts per client address (60 per 5 min)', async () => {
      for (let i = 0; i < 60; i++) {
        const res = await sc
          .as()
          .post<LoginResult>('/api/v1/auth/login', { email: `spray${i}@mpp-monitor.test`, password: PASSWORD }, { ip: '10.3.0.1' });
        expect(res.status).toBe(401);
      }
      const blocked = await sc
        .as()
        .post<LoginResult>('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password }, { ip: '10.3.0.1' });
      expect(blocked.status).toBe(429);
      const elsewhere = await sc
        .as()
        .post<LoginResult>('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password }, { ip: '10.3.0.2' });
      expect(elsewhere.status).toBe(200);
    });
  });

  describe('tokens', () => {
    const secret = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

    it('refuses a tampered token', async () => {
      const [h, p, s] = ministry.token.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
      expect((await sc.as(forged).get<Province[]>('/api/v1/provinces')).status).toBe(401);
    });

    it('refuses a token signed with another secret, and an expired one', async () => {
      const other = jwt.sign({ sub: ministry.id, role: 'ministry' }, 'another-secret-0123456789-abcdefghijklmnop');
      expect((await sc.as(other).get<Province[]>('/api/v1/provinces')).status).toBe(401);
      const expired = jwt.sign({ sub: ministry.id, role: 'ministry', exp: Math.floor(Date.now() / 1000) - 10 }, secret);
      expect((await sc.as(expired).get<Province[]>('/api/v1/provinces')).status).toBe(401);
    });

    it('stops accepting a token once it expires, though it was accepted (and its signature kept as checked) before', async () => {
      const [{ ver }] = await sc.t.sql<{ ver: number }>(`SELECT token_version AS ver FROM users WHERE id = $1`, [ministry.id]);
      // Signed as the app signs access tokens, expiring in 2 s (jsonwebtoken and the app read the real clock).
      const exp = Math.floor(Date.now() / 1000) + 2;
      const token = jwt.sign({ typ: 'access', sub: ministry.id, role: 'ministry', ver, exp }, keysFor(sc.t.config, 'access')[0]);
      const before = await sc.as(token).get<unknown[]>('/api/v1/provinces');
      expect(before.status).toBe(200);
      expect(before.body).toHaveLength(38);
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
      const after = await sc.as(token).get<ErrorBody>('/api/v1/provinces');
      expect(after.status).toBe(401);
      expect(after.body.error).toBe('unauthorized');
    });

    it('stops accepting the token of a deactivated user at once', async () => {
      const temp = await sc.user({ role: 'ministry' });
      expect((await sc.as(temp.token).get<Province[]>('/api/v1/provinces')).status).toBe(200);
      const res = await sc.admin.patch<UserView>(`/api/v1/users/${temp.id}`, { active: false });
      expect(res.body.active).toBe(false);
      expect((await sc.as(temp.token).get<Province[]>('/api/v1/provinces')).status).toBe(401);
      const login = await sc.as().post<LoginResult>('/api/v1/auth/login', { email: temp.email, password: PASSWORD });
      expect(login.status).toBe(401);
    });
  });

  describe('MPP registry', () => {
    it('derives province and time zone from the regency', () => {
      expect(kupang).toMatchObject({
        regencyCode: '53.71',
        regencyName: 'KOTA KUPANG',
        provinceCode: '53',
        provinceName: 'NUSA TENGGARA TIMUR',
        timezone: 'Asia/Makassar',
      });
      expect(buleleng).toMatchObject({ provinceCode: '51', timezone: 'Asia/Makassar', openingDays: [1, 2, 3, 4, 5, 6] });
      expect(jayapura).toMatchObject({ provinceCode: '91', timezone: 'Asia/Jayapura' });
      // Each tenant carries its id: a check-in names the tenants serving by it (tenantsServingIds).
      expect(kupang.tenants).toEqual([
        { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Polres', services: ['SKCK'], agencyCode: 'POLRI' },
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: 'Disdukcapil',
          services: ['KTP-el', 'Kartu Keluarga'],
          agencyCode: 'DISDUKCAPIL',
        },
      ]);
      expect(kupang.openingDays).toEqual([1, 2, 3, 4, 5]);
    });

    it('refuses an unknown regency with 400 and writes nothing', async () => {
      const before = await count('mpps');
      const res = await sc.admin.post<MppView>('/api/v1/mpps', { regencyCode: '99.99', name: 'MPP Fiktif', channels: [], tenants: [] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'validation_failed', details: [{ field: 'regencyCode', problem: 'unknown regency 99.99' }] });
      expect(await count('mpps')).toBe(before);
    });

    it.each([
      ['an unknown channel', { channels: ['teleport'] }, 'channels'],
      ['a missing name', { name: undefined }, 'name'],
      ['an unknown field', { color: 'red' }, 'color'],
      ['a malformed regency code', { regencyCode: '5371' }, 'regencyCode'],
      ['an impossible date', { inauguratedOn: '2023-02-30' }, 'inauguratedOn'],
      ['an opening day outside 1–7', { openingDays: [0, 1] }, 'openingDays'],
      ['a tenant without a name', { tenants: [{ services: [] }] }, 'tenants.0.name'],
    ])('refuses %s with 400', async (_name, patch, field) => {
      const before = await count('mpps');
      const body = { regencyCode: '53.71', name: 'MPP Uji', channels: ['direct'], tenants: [], ...patch };
      const res = await sc.admin.post<ErrorBody>('/api/v1/mpps', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details.map((d) => d.field)).toContain(field);
      expect(await count('mpps')).toBe(before);
    });

    it('moves an MPP to another regency and re-derives its province', async () => {
      const mpp = await sc.mpp({ regencyCode: '53.19' });
      const res = await sc.admin.patch<MppView>(`/api/v1/mpps/${mpp.id}`, {
        regencyCode: '72.06',
        tenants: [{ name: 'Bank NTT', services: [] }],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        regencyCode: '72.06',
        provinceCode: '72',
        timezone: 'Asia/Makassar',
        tenants: [{ name: 'Bank NTT', services: [] }],
      });
    });

    it('filters the list by province', async () => {
      const res = await sc.as(ministry.token).get<MppView[]>('/api/v1/mpps?province=51');
      expect(res.body.map((m) => m.id)).toEqual([buleleng.id]);
    });

    it('lists each MPP exactly as it answers alone (the list and its pages build rows in SQL, one MPP through its own query)', async () => {
      const one = await sc.admin.patch<MppView>(`/api/v1/mpps/${buleleng.id}`, {
        address: 'Jl. Ngurah Rai 1, Singaraja',
        inauguratedOn: '2023-03-14',
        latitude: -8.112,
        longitude: 115.0883,
      });
      expect(one.status).toBe(200);
      const alone = (await sc.as(ministry.token).get<MppView>(`/api/v1/mpps/${buleleng.id}`)).body;
      expect(alone).toMatchObject({
        address: 'Jl. Ngurah Rai 1, Singaraja',
        inauguratedOn: '2023-03-14',
        latitude: -8.112,
        openingDays: [1, 2, 3, 4, 5, 6],
      });
      const whole = (await sc.as(ministry.token).get<MppView[]>('/api/v1/mpps')).body;
      const paged = (await sc.as(ministry.token).get<MppView[]>('/api/v1/mpps?province=51&limit=10&page=1')).body;
      expect(whole.find((m) => m.id === buleleng.id)).toEqual(alone);
      expect(paged).toEqual([alone]);
    });

    it('keeps a page per registry version, and shows every committed change at once, even one that started before a newer one committed', async () => {
      const db = sc.t.app.get(DataSource);
      const page = async () => {
        const res = await sc.as(bureauNtt.token).get<MppView[]>('/api/v1/mpps?limit=10&page=1');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(Number(res.headers['x-total-count'])).toBe(res.body.length);
        return res.body;
      };
      const named = async (id: string) => (await page()).find((m) => m.id === id);
      expect((await named(kupang.id))?.name).toBe(kupang.name);

      // Kept: a change made with the registry's triggers switched off does not show...
      await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL session_replication_role = replica`);
        await tx.query(`UPDATE mpps SET name = 'MPP Kota Kupang (tanpa versi)' WHERE id = $1`, [kupang.id]);
      });
      expect((await named(kupang.id))?.name).toBe(kupang.name);
      // ...and every ordinary write moves the version: the API, tenants, region names.
      await sc.admin.patch(`/api/v1/mpps/${kupang.id}`, { name: 'MPP Kota Kupang Baru' });
      expect((await named(kupang.id))?.name).toBe('MPP Kota Kupang Baru');
      await db.query(`UPDATE mpp_tenants SET name = 'Dukcapil Kota Kupang' WHERE mpp_id = $1 AND position = 0`, [kupang.id]);
      expect((await named(kupang.id))?.tenants[0]?.name).toBe('Dukcapil Kota Kupang');
      await db.query(`UPDATE regencies SET name = 'KOTA KUPANG (UJI)' WHERE code = '53.71'`);
      expect((await named(kupang.id))?.regencyName).toBe('KOTA KUPANG (UJI)');
      await db.query(`UPDATE regencies SET name = $1 WHERE code = '53.71'`, [kupang.regencyName]);

      // A transaction that started first but commits last still moves the version (a timestamp would not).
      const other = await sc.mpp({ regencyCode: '53.10', name: 'MPP Kabupaten Sikka' });
      const slow = db.createQueryRunner();
      await slow.startTransaction();
      try {
        await slow.query(`UPDATE mpps SET name = 'MPP Kota Kupang (lambat)', updated_at = now() - interval '1 minute' WHERE id = $1`, [
          kupang.id,
        ]);
        await sc.admin.patch(`/api/v1/mpps/${other.id}`, { name: 'MPP Kabupaten Sikka Baru' });
        const before = await page();
        expect(before.find((m) => m.id === other.id)?.name).toBe('MPP Kabupaten Sikka Baru');
        expect(before.find((m) => m.id === kupang.id)?.name).toBe('MPP Kota Kupang Baru');
        await slow.commitTransaction();
      } finally {
        await slow.release();
      }
      expect((await named(kupang.id))?.name).toBe('MPP Kota Kupang (lambat)');
      // One version move per transaction, however many rows it wrote.
      expect(await count('data_version_moves')).toBe(0);
    });
  });

  describe('users', () => {
    it('never shows a password hash', async () => {
      const res = await sc.admin.get<UserView>(`/api/v1/users/${managerKupang.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ role: 'manager', mppIds: [kupang.id], provinceCode: null, active: true });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
    });

    it.each([
      ['a bureau without a province', { role: 'bureau' }, 'provinceCode'],
      ['a bureau of an unknown province', { role: 'bureau', provinceCode: '99' }, 'provinceCode'],
      ['a manager without MPPs', { role: 'manager' }, 'mppIds'],
      ['a manager of an unknown MPP', { role: 'manager', mppIds: ['00000000-0000-4000-8000-000000000000'] }, 'mppIds'],
      ['a ministry user with a province', { role: 'ministry', provinceCode: '53' }, 'provinceCode'],
      ['an unknown role', { role: 'superuser' }, 'role'],
      ['a short password', { role: 'ministry', password: 'pendek' }, 'password'],
    ])('refuses %s with 400 and writes nothing', async (_name, patch, field) => {
      const before = await count('users');
      const res = await sc.admin.post<ErrorBody>('/api/v1/users', {
        email: 'baru@mpp-monitor.test',
        name: 'Baru',
        password: PASSWORD,
        ...patch,
      });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d) => d.field)).toContain(field);
      expect(await count('users')).toBe(before);
    });

    it('refuses a second account with the same email (any case) with 409', async () => {
      const res = await sc.admin.post<ErrorBody>('/api/v1/users', {
        email: ADMIN.email.toUpperCase(),
        name: 'Dup',
        password: PASSWORD,
        role: 'ministry',
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('conflict');
    });

    it('stores passwords as argon2id', async () => {
      const [row] = await sc.t.app.get(DataSource).query('SELECT password_hash FROM users WHERE id = $1', [ministry.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    });
  });

  describe('access by role', () => {
    type Who = 'anonymous' | 'admin' | 'ministry' | 'bureauNtt' | 'bureauBali' | 'managerKupang';
    const token = (who: Who) =>
      ({
        anonymous: undefined,
        admin: sc.adminToken,
        ministry: ministry.token,
        bureauNtt: bureauNtt.token,
        bureauBali: bureauBali.token,
        managerKupang: managerKupang.token,
      })[who];

    // [method, path (with :kupang / :buleleng / :user), body, expected per role]
    const matrix: [string, string, unknown, Record<Who, number>][] = [
      [
        'GET',
        '/api/v1/provinces',
        undefined,
        { anonymous: 401, admin: 200, ministry: 200, bureauNtt: 200, bureauBali: 200, managerKupang: 200 },
      ],
      [
        'GET',
        '/api/v1/regencies?province=53',
        undefined,
        { anonymous: 401, admin: 200, ministry: 200, bureauNtt: 200, bureauBali: 200, managerKupang: 200 },
      ],
      [
        'GET',
        '/api/v1/mpps',
        undefined,
        { anonymous: 401, admin: 200, ministry: 200, bureauNtt: 200, bureauBali: 200, managerKupang: 200 },
      ],
      [
        'GET',
        '/api/v1/mpps/:kupang',
        undefined,
        { anonymous: 401, admin: 200, ministry: 200, bureauNtt: 200, bureauBali: 404, managerKupang: 200 },
      ],
      [
        'GET',
        '/api/v1/mpps/:buleleng',
        undefined,
        { anonymous: 401, admin: 200, ministry: 200, bureauNtt: 404, bureauBali: 200, managerKupang: 404 },
      ],
      [
        'GET',
        '/api/v1/mpps/00000000-0000-4000-8000-000000000000',
        undefined,
        { anonymous: 401, admin: 404, ministry: 404, bureauNtt: 404, bureauBali: 404, managerKupang: 404 },
      ],
      [
        'PATCH',
        '/api/v1/mpps/:kupang',
        { address: 'Jl. Timor Raya' },
        { anonymous: 401, admin: 200, ministry: 403, bureauNtt: 403, bureauBali: 403, managerKupang: 403 },
      ],
      [
        'POST',
        '/api/v1/mpps',
        { regencyCode: '53.71', name: 'MPP Baru', channels: [], tenants: [] },
        { anonymous: 401, admin: 201, ministry: 403, bureauNtt: 403, bureauBali: 403, managerKupang: 403 },
      ],
      [
        'GET',
        '/api/v1/users',
        undefined,
        { anonymous: 401, admin: 200, ministry: 403, bureauNtt: 403, bureauBali: 403, managerKupang: 403 },
      ],
      [
        'GET',
        '/api/v1/users/:user',
        undefined,
        { anonymous: 401, admin: 200, ministry: 403, bureauNtt: 403, bureauBali: 403, managerKupang: 403 },
      ],
      [
        'PATCH',
        '/api/v1/users/:user',
        { name: 'Pengelola Kupang' },
        { anonymous: 401, admin: 200, ministry: 403, bureauNtt: 403, bureauBali: 403, managerKupang: 403 },
      ],
      [
        'POST',
        '/api/v1/users',
        { role: 'ministry', name: 'X', password: PASSWORD },
        { anonymous: 401, admin: 201, ministry: 403, bureauNtt: 403, bureauBali: 403, managerKupang: 403 },
      ],
    ];
    const cases = matrix.flatMap(([method, path, body, expected]) =>
      (Object.entries(expected) as [Who, number][]).map(([who, status]) => [method, path, who, status, body] as const),
    );
    let n = 0;

    it.each(cases)('%s %s as %s → %i', async (method, path, who, status, body) => {
      const url = path.replace(':kupang', kupang.id).replace(':buleleng', buleleng.id).replace(':user', managerKupang.id);
      const payload =
        method === 'POST' && path === '/api/v1/users' ? { ...(body as object), email: `matrix${++n}@mpp-monitor.test` } : body;
      const res = await sc.as(token(who)).send<unknown>(method as Method, url, { body: payload });
      expect(res.status).toBe(status);
      if (status >= 400) expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    });

    it('scopes MPP lists: a bureau sees its province, a manager its MPPs', async () => {
      const ids = async (tok: string) => (await sc.as(tok).get<MppView[]>('/api/v1/mpps')).body.map((m) => m.id);
      expect(await ids(bureauNtt.token)).toEqual(expect.arrayContaining([kupang.id]));
      expect(await ids(bureauNtt.token)).not.toContain(buleleng.id);
      expect(await ids(bureauBali.token)).toEqual([buleleng.id]);
      expect(await ids(managerKupang.token)).toEqual([kupang.id]);
      expect(await ids(ministry.token)).toEqual(expect.arrayContaining([kupang.id, buleleng.id, jayapura.id]));
    });
  });

  describe('edges', () => {
    it('answers malformed JSON with 400 in the error shape', async () => {
      const res = await sc.admin.post<MppView>('/api/v1/mpps', '{"name": ', { headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    });

    it('refuses an oversized body with 413', async () => {
      const res = await sc.admin.post<MppView>('/api/v1/mpps', {
        regencyCode: '53.71',
        name: 'x'.repeat(70_000),
        channels: [],
        tenants: [],
      });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
    });

    it("answers Fastify's own routing errors (an over-long path parameter) in the error shape", async () => {
      const res = await sc.as().get(`/c/${'a'.repeat(600)}`);
      expect(res.status).toBe(414);
      expect(res.body).toEqual({
        statusCode: 414,
        error: 'bad_request',
        message: expect.stringContaining('max param length'),
        details: [],
      });
    });

    it('answers unknown routes with 404 in the error shape', async () => {
      const res = await sc.admin.get('/api/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found' });
    });

    it('serves health, metrics and the OpenAPI document', async () => {
      expect((await sc.as().get('/health/live')).body).toEqual({ status: 'ok' });
      const ready = await sc.as().get<Readiness>('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.database.status).toBe('up');
      expect(ready.body.checks.queue).toMatchObject({ status: 'up', backend: process.env.REDIS_URL ? 'redis' : 'postgres' });
      if (!process.env.REDIS_URL) {
        // BullMQ's PostgreSQL backend migrated its own schema in the app's database.
        expect(
          await sc.t.app.get(DataSource).query(`SELECT 1 AS ok FROM information_schema.schemata WHERE schema_name = 'bullmq'`),
        ).toEqual([{ ok: 1 }]);
      }
      const metrics = await sc.as().get('/metrics');
      expect(metrics.text).toContain('http_request_duration_seconds_bucket');
      const docs = await sc.as().get<OpenAPIObject>('/docs-json');
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/auth/login', '/api/v1/mpps', '/api/v1/mpps/{id}', '/api/v1/users']),
      );
    });

    it('echoes a request id and sets security headers', async () => {
      const res = await sc.as().get('/health/live', { headers: { 'x-request-id': 'abc-123' } });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      // Error answers carry them too (the hook runs before routing).
      const missing = await sc.admin.get('/api/v1/nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.headers['strict-transport-security']).toContain('max-age=');
    });
  });
});
