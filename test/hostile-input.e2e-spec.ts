import fc from 'fast-check';
import { FixedClock } from '../src/common/clock';
import type { Method } from './support/api';
import { TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';
import type { CheckInView } from '../src/modules/check-ins/check-ins.dto';
import type { CycleView } from '../src/modules/cycles/cycles.dto';

/**
 * Property-based: generated invalid payloads — wrong types, out-of-range numbers, huge strings,
 * unicode edge cases, prototype-pollution keys, malformed JSON, hostile path parameters — sent to
 * every write endpoint that takes a body. Each must answer 4xx in the API's error shape, never
 * 5xx, and the database must be exactly as before (every table's rows hashed).
 */
type Kind = 'int' | 'string' | 'bool' | 'enum' | 'date' | 'uuid[]' | 'object' | 'array';

interface Endpoint {
  method: Method;
  path: () => string;
  token: () => string;
  body: () => Record<string, unknown>;
  /** Fields and their kinds: replacing one with a value of another kind makes the body invalid. */
  fields: Record<string, Kind>;
  /** Every field optional (PATCH-like): a missing field is no error. */
  partial?: boolean;
}

const UNICODE_EDGES = ['\u0000', '\uD800', '\uDFFF', '\u202E', '\u200B', '\uFEFF', 'Z̸̢̛a̷l̶g̵o', '😀'.repeat(3), 'ﷺ', '\u0085', '\r\n\t'];
const POLLUTION = ['__proto__', 'constructor', 'prototype'];
/** Every UTF-8 byte percent-encoded (lone surrogates too, which encodeURIComponent refuses). */
const percentEncoded = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** A value that is surely not of `kind` (and not null, which optional fields accept). */
function wrongFor(kind: Kind): fc.Arbitrary<unknown> {
  const strings = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(...UNICODE_EDGES),
    fc.constant('9'.repeat(400)),
    fc.constant('1e309'),
  );
  const numbers = fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.constantFrom(1e308, -1e308, -0, 2 ** 53 + 1, 0.5, -1));
  const objects = fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 }), fc.constant({ $gt: '' }));
  const arrays = fc.array(fc.jsonValue(), { maxLength: 4 });
  switch (kind) {
    case 'int':
      return fc.oneof(strings, fc.boolean(), objects, arrays, fc.constantFrom(0.5, -1, 1e12, 2 ** 53 + 1, -1e308));
    case 'string':
      return fc.oneof(numbers, fc.boolean(), objects, arrays, fc.constant('x'.repeat(50_000)));
    case 'bool':
      return fc.oneof(strings, numbers, objects, arrays, fc.constantFrom('true', 0, 1));
    case 'enum':
      return fc.oneof(fc.constantFrom(...UNICODE_EDGES, 'NORMAL', 'normal\u0000', ' normal', 'admin'), numbers, objects, arrays);
    case 'date':
      return fc.oneof(
        fc.constantFrom('2026-02-30', '2026-13-01', '26-1-1', '2026-01-01T00:00:00Z\u0000', '9999999-01-01', ...UNICODE_EDGES),
        numbers,
        objects,
      );
    case 'uuid[]':
      return fc.oneof(fc.constantFrom(['not-a-uuid'], 'x', [1, 2], [{}], ['00000000-0000-0000-0000-00000000000g']), numbers, objects);
    case 'object':
      return fc.oneof(strings, numbers, fc.boolean(), arrays);
    case 'array':
      return fc.oneof(strings, numbers, fc.boolean(), objects);
  }
}

/** An invalid request for an endpoint: one of five families of hostility. */
function hostile(e: Endpoint, route: string): fc.Arbitrary<{ family: string; path?: string; payload: string; contentType?: string }> {
  const fields = Object.keys(e.fields);
  const json = (v: unknown) => JSON.stringify(v);
  const families: fc.Arbitrary<{ family: string; path?: string; payload: string; contentType?: string }>[] = [
    // 1. a wrong type or out-of-range value in one required field
    fc
      .constantFrom(...fields)
      .chain((f) => wrongFor(e.fields[f]).map((v) => ({ family: `wrong ${f}`, payload: json({ ...e.body(), [f]: v }) }))),
    // 2. a required field missing (or, where every field is optional, an unknown one added)
    e.partial
      ? fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((k) => !(k in e.fields))
          .map((k) => ({ family: `unknown ${k}`, payload: json({ ...e.body(), [k]: 1 }) }))
      : fc.constantFrom(...fields).map((f) => {
          const { [f]: _gone, ...rest } = e.body();
          return { family: `missing ${f}`, payload: json(rest) };
        }),
    // 3. a prototype-pollution key beside a valid body (written as raw JSON: an object literal would not keep it)
    fc.tuple(fc.constantFrom(...POLLUTION), fc.jsonValue()).map(([key, v]) => ({
      family: `pollution ${key}`,
      payload: `${json(e.body()).slice(0, -1)},${JSON.stringify(key)}:${json(key === 'constructor' ? { prototype: { isAdmin: true, v } } : { isAdmin: true, v })}}`,
    })),
    // 4. arbitrary JSON where an object is expected, malformed JSON, or the wrong media type
    fc.oneof(
      fc
        .jsonValue()
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => ({ family: 'not an object', payload: json(v) })),
      fc
        .constantFrom('{', '{"a":}', '[1,', '{"daysOpen":01}', 'nul', '\u0000{}', '{"a":"\\ud800"', "{'a':1}")
        .map((p) => ({ family: 'malformed JSON', payload: p })),
      fc.constant({ family: 'text/plain', payload: 'daysOpen=5', contentType: 'text/plain' }),
      fc.constant({ family: 'too large', payload: json({ ...e.body(), padding: 'x'.repeat(70 * 1024) }) }),
      fc
        .constantFrom(8_000, 30_000)
        .map((depth) => ({ family: `nested ${depth} deep`, payload: `${'['.repeat(depth)}${']'.repeat(depth)}` })),
      fc.constant({
        family: 'nested objects',
        payload: `${json(e.body()).slice(0, -1)},"deep":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      }),
    ),
  ];
  // 5. a hostile path parameter with a valid body (routes that have one)
  if (route.includes(':')) {
    families.push(
      fc
        .oneof(
          fc.constantFrom(...UNICODE_EDGES, '..%2F..%2Fetc', 'x'.repeat(600), "' OR 1=1 --", '%00', '-1'),
          fc.string({ minLength: 1, maxLength: 20 }),
        )
        .map((p) => ({
          family: 'path',
          path: e.path().replace(/[0-9a-f-]{36}|\d{4}-W\d{2}|\d{2}\.\d{2}/, percentEncoded(p)),
          payload: json(e.body()),
        })),
    );
  }
  return fc.oneof(...families);
}

describe('hostile input to every write endpoint (e2e, fast-check)', () => {
  const clock = new FixedClock(new Date('2026-11-27T03:00:00Z')); // Friday of W48
  let t: TestApp;
  const ctx: Record<string, string> = {};

  const snapshot = async () => {
    const tables: { name: string }[] = await t.sql(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const parts = await Promise.all(
      tables.map(async ({ name }) => {
        const [{ n, h }] = await t.sql(
          `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${name}" x`,
        );
        return `${name}:${n}:${h}`;
      }),
    );
    return parts;
  };

  beforeAll(async () => {
    t = await TestApp.start({ clock });
    ctx.admin = await t.adminToken();
    const mpp = await createMpp(t, ctx.admin, { regencyCode: '53.71', name: 'MPP Kota Kupang' });
    const manager = await createUser(t, ctx.admin, { role: 'manager', mppIds: [mpp.id] });
    const bureau = await createUser(t, ctx.admin, { role: 'bureau', provinceCode: '53' });
    Object.assign(ctx, { mpp: mpp.id, manager: manager.token, managerId: manager.id, bureau: bureau.token });
    await t
      .as(manager.token)
      .put<CheckInView>(
        `/api/v1/mpps/${mpp.id}/check-ins/2026-W48`,
        checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Disegel' }),
      );
    clock.set('2026-11-30T05:30:00Z');
    await t.as(ctx.admin).post<CycleView>('/api/v1/cycles/2026-W48/evaluate');
    ctx.flag = (await t.sql(`SELECT id FROM flags LIMIT 1`))[0].id;
    clock.set('2026-12-04T03:00:00Z'); // Friday of W49: its window is open
  }, 60_000);
  afterAll(() => t.close());

  const ENDPOINTS: Record<string, Endpoint> = {
    'POST /api/v1/auth/login': {
      method: 'POST',
      path: () => '/api/v1/auth/login',
      token: () => '',
      body: () => ({ email: 'a@b.id', password: 'x'.repeat(12) }),
      fields: { email: 'string', password: 'string' },
    },
    'POST /api/v1/users': {
      method: 'POST',
      path: () => '/api/v1/users',
      token: () => ctx.admin,
      body: () => ({ email: 'baru@mpp.test', name: 'Pengguna Baru', password: 'Rahasia-Kuat-2026!', role: 'manager', mppIds: [ctx.mpp] }),
      // password is optional since invitations (without it the user is invited by email).
      fields: { email: 'string', name: 'string', role: 'enum', mppIds: 'uuid[]' },
    },
    'PATCH /api/v1/users/:id': {
      method: 'PATCH',
      path: () => `/api/v1/users/${ctx.managerId}`,
      token: () => ctx.admin,
      body: () => ({ name: 'Nama Baru', active: true }),
      fields: { name: 'string', active: 'bool' },
      partial: true,
    },
    'POST /api/v1/mpps': {
      method: 'POST',
      path: () => '/api/v1/mpps',
      token: () => ctx.admin,
      body: () => ({ regencyCode: '53.02', name: 'MPP Baru', channels: ['direct'], tenants: [{ name: 'Polres', services: ['SKCK'] }] }),
      fields: { regencyCode: 'string', name: 'string', channels: 'array', tenants: 'array' },
    },
    'PATCH /api/v1/mpps/:id': {
      method: 'PATCH',
      path: () => `/api/v1/mpps/${ctx.mpp}`,
      token: () => ctx.admin,
      body: () => ({ name: 'MPP Nama Baru', openingDays: [1, 2, 3] }),
      fields: { name: 'string', openingDays: 'array' },
      partial: true,
    },
    'POST /api/v1/mpps/:id/closures': {
      method: 'POST',
      path: () => `/api/v1/mpps/${ctx.mpp}/closures`,
      token: () => ctx.manager,
      body: () => ({ from: '2026-12-20', to: '2026-12-21', reason: 'Renovasi gedung', kind: 'renovation' }),
      fields: { from: 'date', to: 'date', reason: 'string' }, // kind is optional (defaults to other)
    },
    'PUT /api/v1/mpps/:id/check-ins/:week': {
      method: 'PUT',
      path: () => `/api/v1/mpps/${ctx.mpp}/check-ins/2026-W49`,
      token: () => ctx.manager,
      body: () => checkInBody(),
      fields: {
        daysOpen: 'int',
        tenantsServing: 'int',
        countersOpen: 'int',
        visitors: 'int',
        transactions: 'int',
        channels: 'object',
        status: 'enum',
      },
    },
    'PUT /api/v1/settings/evaluation': {
      method: 'PUT',
      path: () => '/api/v1/settings/evaluation',
      token: () => ctx.admin,
      body: () => ({ correctionDays: 14, medianWeeks: 8 }),
      fields: { correctionDays: 'int', medianWeeks: 'int' },
      partial: true,
    },
    'POST /api/v1/holidays': {
      method: 'POST',
      path: () => '/api/v1/holidays',
      token: () => ctx.admin,
      body: () => ({ date: '2027-03-03', kind: 'national', name: 'Libur Uji' }),
      fields: { date: 'date', kind: 'enum', name: 'string' },
    },
    'POST /api/v1/flags/:id/transitions': {
      method: 'POST',
      path: () => `/api/v1/flags/${ctx.flag}/transitions`,
      token: () => ctx.bureau,
      body: () => ({ to: 'acknowledged', note: 'Sudah dihubungi' }),
      fields: { to: 'enum', note: 'string' },
    },
    'PATCH /api/v1/regencies/:code/formation': {
      method: 'PATCH',
      path: () => '/api/v1/regencies/53.02/formation',
      token: () => ctx.bureau,
      body: () => ({ stage: 'committed', date: '2026-11-01', note: 'Komitmen bupati' }),
      fields: { stage: 'enum', date: 'date', note: 'string' },
      partial: true,
    },
  };

  it.each(Object.keys(ENDPOINTS))(
    '%s: 100 generated invalid requests answer 4xx in the error shape and change nothing',
    async (name) => {
      const e = ENDPOINTS[name];
      const before = await snapshot();
      let tried = 0;
      await fc.assert(
        fc.asyncProperty(hostile(e, name), async (h) => {
          tried++;
          // Sent byte for byte as generated: the payload is off the contract on purpose.
          const res = await t.raw(e.method, h.path ?? e.path(), {
            token: e.token() || undefined,
            headers: { 'content-type': h.contentType ?? 'application/json' },
            body: h.payload,
          });
          // The contract's error shape, as JSON (res.error is the parsed body of a 4xx/5xx JSON answer).
          const body = res.error;
          const ok =
            res.status >= 400 &&
            res.status < 500 &&
            body !== undefined &&
            body.statusCode === res.status &&
            typeof body.error === 'string' &&
            typeof body.message === 'string' &&
            Array.isArray(body.details ?? []);
          if (!ok) throw new Error(`${h.family}: ${res.status} ${res.text.slice(0, 300)}`);
        }),
        { numRuns: 100, seed: 20261128 + name.length },
      );
      expect(tried).toBe(100);
      expect(await snapshot()).toEqual(before);
      // Nothing leaked onto Object.prototype from the pollution attempts.
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    },
    120_000,
  );

  /**
   * The page forms, posted as a browser would (a session cookie and the page's CSRF token), with
   * one field made invalid, an unknown or prototype key added, or a field repeated. Each answers
   * 4xx (the form again, with its problems) and changes nothing.
   */
  interface PageForm {
    path: () => string;
    who: () => string;
    form: () => Record<string, string>;
    /** Per field, values that are surely invalid for it. */
    invalid: Record<string, string[]>;
  }
  const LONG = 'x'.repeat(20_000);
  /** Blank after trimming: a form reads it as "left empty" (unchanged), which is not invalid. */
  const VISIBLE_EDGES = UNICODE_EDGES.filter((e) => e.trim() !== '');
  const NOT_INT = ['-1', '1.5', 'lima', '9'.repeat(40), '1e3', ' ', '0x10', ...VISIBLE_EDGES];
  const NOT_DATE = ['2026-02-30', '2026-13-01', '26-1-1', 'besok', '2026-12-20\u0000', ...VISIBLE_EDGES];
  const PAGE_FORMS: Record<string, PageForm> = {
    'POST /check-in/:mppId/:week': {
      path: () => `/check-in/${ctx.mpp}/2026-W49`,
      who: () => ctx.manager,
      form: () => ({ daysOpen: '5', tenantsServing: '2', countersOpen: '4', visitors: '900', transactions: '950', status: 'normal' }),
      invalid: {
        daysOpen: [...NOT_INT, '8'],
        tenantsServing: NOT_INT,
        visitors: NOT_INT,
        transactions: NOT_INT,
        status: ['NORMAL', 'admin', 'normal\u0000', ...VISIBLE_EDGES],
        problems: [LONG],
      },
    },
    'POST /check-in/:mppId/:week/closures': {
      path: () => `/check-in/${ctx.mpp}/2026-W49/closures`,
      who: () => ctx.manager,
      form: () => ({ from: '2026-12-20', to: '2026-12-21', reason: 'Renovasi gedung' }),
      invalid: { from: NOT_DATE, to: NOT_DATE, reason: ['', LONG] },
    },
    'POST /flags/:id/transitions': {
      path: () => `/flags/${ctx.flag}/transitions`,
      who: () => ctx.bureau,
      form: () => ({ to: 'acknowledged', note: 'Sudah dihubungi' }),
      invalid: { to: ['open', 'ACKNOWLEDGED', 'deleted', ...VISIBLE_EDGES], note: [LONG] },
    },
    'POST /admin/users/:id': {
      path: () => `/admin/users/${ctx.managerId}`,
      who: () => ctx.admin,
      form: () => ({ name: 'Nama Baru', locale: 'id', mppIds: ctx.mpp, active: 'on' }),
      invalid: { name: [LONG], locale: ['fr', 'ID', ...VISIBLE_EDGES], mppIds: ['bukan-uuid', `${ctx.mpp},x`] },
    },
    'POST /admin/mpps/:id': {
      path: () => `/admin/mpps/${ctx.mpp}`,
      who: () => ctx.admin,
      form: () => ({ name: 'MPP Kota Kupang', regencyCode: '53.71', address: 'Jl. El Tari', inauguratedOn: '2023-10-31', active: 'on' }),
      invalid: { name: [LONG], regencyCode: ['99.99', '53', 'x', ...VISIBLE_EDGES], inauguratedOn: NOT_DATE, address: [LONG] },
    },
    'POST /admin/:action (users)': {
      path: () => '/admin/users',
      who: () => ctx.admin,
      form: () => ({ email: 'baru@mpp.test', name: 'Pengguna Baru', password: 'Rahasia-Kuat-2026!', role: 'ministry' }),
      invalid: { email: ['bukan-email', '', LONG], password: ['pendek', ''], role: ['root', 'ADMIN', ...VISIBLE_EDGES], name: ['', LONG] },
    },
  };

  const csrfFor = async (who: string) => {
    const page = await t.as().get('/login', { headers: { cookie: `mpp_session=${who}` } });
    const set = page.headers['set-cookie'];
    const cookie = (Array.isArray(set) ? set : [set ?? '']).find((c) => c.startsWith('_csrf='))!.split(';')[0];
    return { token: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], cookie: `mpp_session=${who}; ${cookie}` };
  };

  it.each(Object.keys(PAGE_FORMS))(
    'page form %s: generated invalid forms answer 4xx and change nothing',
    async (name) => {
      const f = PAGE_FORMS[name];
      const fields = Object.keys(f.invalid);
      const variant = fc.oneof(
        fc
          .constantFrom(...fields)
          .chain((field) =>
            fc.constantFrom(...f.invalid[field]).map((v) => ({ family: `invalid ${field}`, pairs: { ...f.form(), [field]: v } })),
          ),
        fc
          .constantFrom(...POLLUTION)
          .map((k) => ({ family: `pollution ${k}`, pairs: { ...f.form(), [`${k}[isAdmin]`]: 'true' }, invalidAlso: fields[0] })),
        fc.constantFrom(...fields).map((field) => ({ family: `repeated ${field}`, pairs: f.form(), repeat: field })),
      );
      const before = await snapshot();
      let tried = 0;
      await fc.assert(
        fc.asyncProperty(variant, async (v) => {
          tried++;
          const { token, cookie } = await csrfFor(f.who());
          const params = new URLSearchParams({ ...v.pairs, _csrf: token });
          // Pollution keys and repeated fields ride on a body that is invalid anyway, so nothing may change.
          if ('invalidAlso' in v && v.invalidAlso) params.set(v.invalidAlso, f.invalid[v.invalidAlso][0]);
          if ('repeat' in v && v.repeat) {
            params.set(v.repeat, f.invalid[v.repeat][0]);
            params.append(v.repeat, f.form()[v.repeat] ?? 'x');
          }
          const res = await t.raw('POST', f.path(), {
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: params.toString(),
          });
          if (res.status < 400 || res.status >= 500) throw new Error(`${v.family}: ${res.status} ${res.text.slice(0, 200)}`);
        }),
        { numRuns: 40, seed: 20261201 + name.length },
      );
      expect(tried).toBe(40);
      expect(await snapshot()).toEqual(before);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    },
    120_000,
  );
});
