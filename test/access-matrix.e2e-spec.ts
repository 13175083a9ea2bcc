import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { sign } from 'jsonwebtoken';
import { FixedClock } from '../src/common/clock';
import { ADMIN, PASSWORD, TestApp } from './support/app';
import { checkInBody, createMpp, createUser } from './support/factories';

/**
 * Every route the app registers × every kind of caller → the status it must answer. The route
 * list comes from the app itself (Nest's discovery of controllers), so a route added without a
 * line in RULES fails this test. Out-of-scope objects (another province's MPP or flag) are a
 * second pass: they answer 404, never 403, so their existence does not leak.
 */
const WHO = ['anonymous', 'tampered', 'expired', 'deactivated', 'admin', 'ministry', 'bureau', 'manager'] as const;
type Who = (typeof WHO)[number];
type Role = 'admin' | 'ministry' | 'bureau' | 'manager';
type Expect = Record<Who, number>;

/** An API route: no valid token → 401; a role not allowed → 403; an allowed role → `ok`. */
const api = (allowed: Role[] | 'all', ok = 200, overrides: Partial<Expect> = {}): Expect =>
  ({
    anonymous: 401,
    tampered: 401,
    expired: 401,
    deactivated: 401,
    ...Object.fromEntries(
      (['admin', 'ministry', 'bureau', 'manager'] as Role[]).map((r) => [r, allowed === 'all' || allowed.includes(r) ? ok : 403]),
    ),
    ...overrides,
  }) as Expect;
const everyone = (status: number): Expect => Object.fromEntries(WHO.map((w) => [w, status])) as Expect;
/** A page: no valid session → the login form (303 to /login), a role not allowed → 403 page. */
const page = (allowed: Role[], ok = 200): Expect =>
  ({
    anonymous: 303,
    tampered: 303,
    expired: 303,
    deactivated: 303,
    ...Object.fromEntries((['admin', 'ministry', 'bureau', 'manager'] as Role[]).map((r) => [r, allowed.includes(r) ? ok : 403])),
  }) as Expect;

const RULES: Record<string, Expect> = {
  'GET /health/live': everyone(200),
  'GET /health/ready': everyone(200),
  'GET /metrics': everyone(200),
  'POST /api/v1/auth/login': everyone(200),
  // Ends every session of the caller (the loop signs that role in again right after).
  'POST /api/v1/auth/logout': api('all', 204),
  'GET /api/v1/provinces': api('all'),
  'GET /api/v1/regencies': api('all'),
  'GET /api/v1/holidays': api('all'),
  'POST /api/v1/holidays': api(['admin'], 201),
  'DELETE /api/v1/holidays/:date': api(['admin'], 204),
  'POST /api/v1/users': api(['admin'], 201),
  'GET /api/v1/users': api(['admin']),
  'GET /api/v1/users/:id': api(['admin']),
  'PATCH /api/v1/users/:id': api(['admin']),
  'POST /api/v1/users/:id/unlock': api(['admin'], 204),
  'POST /api/v1/mpps': api(['admin'], 201),
  'GET /api/v1/mpps': api('all'),
  'GET /api/v1/mpps/:id': api('all'),
  'PATCH /api/v1/mpps/:id': api(['admin']),
  'POST /api/v1/mpps/:id/closures': api(['admin', 'manager'], 201),
  'GET /api/v1/mpps/:id/closures': api('all'),
  'GET /api/v1/mpps/:id/history': api('all'),
  'PUT /api/v1/mpps/:id/check-ins/:week': api(['manager']),
  'GET /api/v1/mpps/:id/check-ins/:week': api('all'),
  'GET /api/v1/cycles': api('all'),
  'GET /api/v1/cycles/:week': api('all'),
  'GET /api/v1/cycles/:week/evaluations': api('all'),
  'POST /api/v1/cycles/:week/evaluate': api(['admin']),
  'POST /api/v1/cycles/:week/unlock': api(['admin']),
  'GET /api/v1/settings/evaluation': api(['admin', 'ministry']),
  'PUT /api/v1/settings/evaluation': api(['admin']),
  'GET /api/v1/settings/evaluation/history': api(['admin']),
  'GET /api/v1/flags': api('all'),
  'GET /api/v1/flags/:id': api('all'),
  'POST /api/v1/flags/:id/transitions': api(['admin', 'ministry', 'bureau']),
  'POST /api/v1/flags/:id/actions': api(['admin', 'ministry', 'bureau'], 201),
  'GET /api/v1/notifications': api(['admin', 'ministry']),
  'GET /api/v1/notifications/:id': api(['admin', 'ministry']),
  // Only a dead email can be retried: the admin passes the guard and meets the state rule.
  'POST /api/v1/notifications/:id/retry': api(['admin'], 409),
  'GET /api/v1/reports/weekly/:week': api('all'),
  'GET /api/v1/reports/trend': api('all'),
  // National coverage names other MPPs and bureau notes: not for managers.
  'GET /api/v1/reports/coverage': api(['admin', 'ministry', 'bureau']),
  'PATCH /api/v1/regencies/:code/formation': api(['admin', 'bureau']),
  'GET /api/v1/audit': api(['admin']),
  'GET /api/v1/audit/verify': api(['admin']),
  // Pages (cookie session). Form posts without the form's CSRF token are refused first, for everyone.
  'GET /login': everyone(200),
  'POST /login': everyone(403),
  'POST /logout': everyone(403),
  'GET /': page(['admin', 'ministry', 'bureau', 'manager'], 303), // to the role's own page
  'GET /check-in': page(['manager']),
  'GET /check-in/:mppId/:week': page(['manager']),
  'POST /check-in/:mppId/:week': everyone(403),
  'POST /check-in/:mppId/:week/closures': everyone(403),
  'GET /c/:token': everyone(410), // a link signed for nobody: refused whoever asks
  'POST /c/:token': everyone(403),
  'GET /bureau': page(['bureau']),
  'GET /flags/:id': page(['admin', 'ministry', 'bureau']),
  'POST /flags/:id/transitions': everyone(403),
  'GET /national': page(['admin', 'ministry']),
  'GET /national/:file': page(['admin', 'ministry']),
  'GET /admin': page(['admin']),
  'GET /admin/users/:id': page(['admin']),
  'POST /admin/users/:id': everyone(403),
  'GET /admin/mpps/:id': page(['admin']),
  'POST /admin/mpps/:id': everyone(403),
  'POST /admin/:action': everyone(403),
  'POST /admin/users/:id/deactivate': everyone(403),
};

function appRoutes(t: TestApp): string[] {
  const scanner = t.app.get(MetadataScanner);
  const routes: string[] = [];
  for (const { instance, metatype } of t.app.get(DiscoveryService).getControllers()) {
    if (!instance || !metatype) continue;
    const prefix = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = instance[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler);
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      routes.push(`${method} ${`/${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')}`);
    }
  }
  return routes.sort();
}

describe('access control matrix, generated from the route list (e2e)', () => {
  const clock = new FixedClock(new Date('2026-12-01T03:00:00Z')); // Tuesday of W49: W48 evaluated, its window passed
  let t: TestApp;
  const tokens = {} as Record<Who, string | undefined>;
  const ids: Record<string, string> = {};
  const secret = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
  const emails = {} as Record<Who, string>;
  const signIn = async (email: string) =>
    (await t.request('POST', '/api/v1/auth/login', { body: { email, password: email === ADMIN.email ? ADMIN.password : PASSWORD } })).body
      .accessToken as string;

  beforeAll(async () => {
    t = await TestApp.start({ clock, env: { JWT_SECRET: secret } });
    const admin = await t.adminToken();
    const kupang = await createMpp(t, admin, { regencyCode: '53.71', name: 'MPP Kota Kupang', inauguratedOn: '2023-01-01' });
    const lebak = await createMpp(t, admin, { regencyCode: '36.02', name: 'MPP Kabupaten Lebak', inauguratedOn: '2023-01-01' });
    const manager = await createUser(t, admin, { role: 'manager', mppIds: [kupang.id] });
    const lebakManager = await createUser(t, admin, { role: 'manager', mppIds: [lebak.id] });
    const bureau = await createUser(t, admin, { role: 'bureau', provinceCode: '53' });
    const ministry = await createUser(t, admin, { role: 'ministry' });
    const gone = await createUser(t, admin, { role: 'ministry' });
    await t.request('PATCH', `/api/v1/users/${gone.id}`, { token: admin, body: { active: false } });
    // Two weeks of silence from Kupang and a closed Lebak: both flagged after W48's evaluation.
    clock.set('2026-11-27T03:00:00Z');
    await t.request('PUT', `/api/v1/mpps/${lebak.id}/check-ins/2026-W48`, {
      token: lebakManager.token,
      body: checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Disegel' }),
    });
    await t.request('PUT', `/api/v1/mpps/${kupang.id}/check-ins/2026-W48`, {
      token: manager.token,
      body: checkInBody({ status: 'not_operating', daysOpen: 0, visitors: 0, transactions: 0, closureReason: 'Listrik' }),
    });
    clock.set('2026-11-30T05:30:00Z');
    expect((await t.request('POST', '/api/v1/cycles/2026-W48/evaluate', { token: admin })).status).toBe(200);
    clock.set('2026-12-01T03:00:00Z');
    const flags = (await t.request('GET', '/api/v1/flags', { token: admin })).body;
    ids.kupang = kupang.id;
    ids.lebak = lebak.id;
    ids.manager = manager.id;
    ids.kupangFlag = flags.find((f: any) => f.mppId === kupang.id).id;
    ids.lebakFlag = flags.find((f: any) => f.mppId === lebak.id).id;
    ids.notification = (await t.sql(`SELECT id FROM notifications LIMIT 1`))[0]?.id ?? '00000000-0000-4000-8000-000000000000';
    Object.assign(emails, { admin: ADMIN.email, ministry: ministry.email, bureau: bureau.email, manager: manager.email });
    Object.assign(tokens, {
      anonymous: undefined,
      admin,
      ministry: ministry.token,
      bureau: bureau.token,
      manager: manager.token,
      deactivated: gone.token,
      expired: sign({ sub: ministry.id, role: 'ministry' }, secret, { algorithm: 'HS256', expiresIn: -10 }),
      tampered: `${ministry.token.slice(0, -4)}${ministry.token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
    });
  }, 60_000);
  afterAll(() => t.close());

  /** A concrete request for a route: in-scope ids for the bureau (NTT) and the manager (Kupang). */
  const concrete = (route: string, who: Who, n: number, own = true): { method: string; url: string; body?: unknown } => {
    const [method, path] = route.split(' ');
    const mpp = own ? ids.kupang : ids.lebak;
    const url = path
      .replace('/holidays/:date', `/holidays/2027-0${1 + (n % 9)}-1${n % 10}`)
      .replace(/\/(users|admin\/users)\/:id/, `/$1/${ids.manager}`)
      .replace(/\/(mpps|admin\/mpps)\/:id/, `/$1/${mpp}`)
      .replace('/check-in/:mppId/:week', `/check-in/${mpp}/2026-W49`)
      .replace(/\/flags\/:id/, `/flags/${own ? ids.kupangFlag : ids.lebakFlag}`)
      .replace('/notifications/:id', `/notifications/${ids.notification}`)
      .replace(/:week/g, '2026-W48')
      .replace('/regencies/:code', own ? '/regencies/53.02' : '/regencies/36.01')
      .replace('/national/:file', '/national/2026-W48.csv')
      .replace('/c/:token', '/c/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.x')
      .replace('/admin/:action', '/admin/users');
    const bodies: Record<string, unknown> = {
      'POST /api/v1/auth/login': { email: 'admin@mpp-monitor.test', password: 'Kunci-Utama-2026!' },
      'POST /api/v1/holidays': { date: `2027-0${1 + (n % 9)}-1${n % 10}`, kind: 'national', name: `Libur uji ${n}` },
      'POST /api/v1/users': { email: `baru${n}@mpp.test`, name: 'Pengguna Baru', password: 'Rahasia-Kuat-2026!', role: 'ministry' },
      'PATCH /api/v1/users/:id': { name: `Pengelola ${n}` },
      'POST /api/v1/mpps': {
        regencyCode: '53.02',
        name: `MPP Baru ${n}`,
        channels: ['direct'],
        tenants: [{ name: 'Polres', services: ['SKCK'] }],
      },
      'PATCH /api/v1/mpps/:id': { address: `Jl. Uji ${n}` },
      'POST /api/v1/mpps/:id/closures': { from: '2026-12-20', to: '2026-12-21', reason: 'Renovasi gedung', kind: 'renovation' },
      'PUT /api/v1/mpps/:id/check-ins/:week': checkInBody({ visitors: 1000 + n }),
      'PUT /api/v1/settings/evaluation': { correctionDays: 14 },
      'POST /api/v1/flags/:id/transitions': { to: 'acknowledged', note: 'Sudah dihubungi' },
      'POST /api/v1/flags/:id/actions': { kind: 'field_visit', note: 'Kunjungan lapangan', targetDate: '2026-12-31' },
      'PATCH /api/v1/regencies/:code/formation': { stage: 'committed', date: '2026-11-01', note: `Komitmen ${n}` },
    };
    return { method, url, body: bodies[route] };
  };

  const send = async (route: string, who: Who, n: number, own = true) => {
    const { method, url, body } = concrete(route, who, n, own);
    const token = tokens[who];
    const isPage = !url.startsWith('/api') && !url.startsWith('/health') && url !== '/metrics';
    const res = await t.request(method, url, isPage ? { headers: token ? { cookie: `mpp_session=${token}` } : {}, body } : { token, body });
    return res.status;
  };

  it('has a rule for every route the app registers, and no rule for a route that is gone', () => {
    const routes = appRoutes(t);
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => !RULES[r])).toEqual([]);
    expect(Object.keys(RULES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers every route × caller as the rules say', async () => {
    const wrong: string[] = [];
    let n = 0;
    for (const route of appRoutes(t)) {
      for (const who of WHO) {
        // Transitions move a flag once; later allowed callers meet the state rule instead of the guard.
        if (route === 'POST /api/v1/flags/:id/transitions') await t.sql(`UPDATE flags SET state = 'open' WHERE id = $1`, [ids.kupangFlag]);
        // A holiday to delete, whoever tries.
        if (route === 'DELETE /api/v1/holidays/:date') {
          await t.sql(`INSERT INTO holidays (date, kind, name) VALUES ($1, 'national', 'Libur uji') ON CONFLICT DO NOTHING`, [
            concrete(route, who, n).url.split('/').pop(),
          ]);
        }
        const status = await send(route, who, n++);
        if (status !== RULES[route][who]) wrong.push(`${route} as ${who}: ${status}, expected ${RULES[route][who]}`);
        if (route === 'POST /api/v1/auth/logout' && status === 204) tokens[who] = await signIn(emails[who]);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('answers 404 to a bureau or manager for another province’s MPP, flag or regency', async () => {
    const scoped = [
      'GET /api/v1/mpps/:id',
      'GET /api/v1/mpps/:id/closures',
      'POST /api/v1/mpps/:id/closures',
      'GET /api/v1/mpps/:id/history',
      'PUT /api/v1/mpps/:id/check-ins/:week',
      'GET /api/v1/mpps/:id/check-ins/:week',
      'GET /api/v1/flags/:id',
      'POST /api/v1/flags/:id/transitions',
      'POST /api/v1/flags/:id/actions',
    ];
    const wrong: string[] = [];
    for (const route of scoped) {
      for (const who of ['bureau', 'manager'] as Who[]) {
        const status = await send(route, who, 1000, false);
        if (status !== 404) wrong.push(`${route} as ${who} (other province): ${status}`);
      }
    }
    const formation = await send('PATCH /api/v1/regencies/:code/formation', 'bureau', 1001, false);
    expect({ wrong, formation }).toEqual({ wrong: [], formation: 404 });
  }, 60_000);
});
