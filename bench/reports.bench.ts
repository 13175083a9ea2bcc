import { get } from 'node:http';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { load, LoadResult, startAppProcess } from './http-load';
import { BUREAU_PROVINCE, LAST_WEEK, LOGINS, PASSWORD, sharedReadDatabase, WEEKS } from './read-data';
import { Figure, ScenarioResult } from './support';

const CLIENTS = 20;
const TARGET_MS = 100;

type Login = keyof typeof LOGINS;

/** One read path a person opens: as whom, and whether it is a page (session cookie) or the API (bearer token). */
interface ReadPath {
  name: string;
  as: Login;
  path: string;
  page?: boolean;
  /** The client accepts gzip, as browsers and HTTP libraries do: the app sends its kept gzip body. */
  gzip?: boolean;
}

/** Every page and endpoint the bureau, the ministry and a manager open, at national scale. */
function readPaths(ids: { flagId: string; managedMppId: string }): ReadPath[] {
  const week = LAST_WEEK;
  return [
    { name: `weekly report ${week} (national, JSON)`, as: 'ministry', path: `/api/v1/reports/weekly/${week}` },
    { name: 'weekly report as CSV', as: 'ministry', path: `/api/v1/reports/weekly/${week}?format=csv` },
    { name: 'trend, 12 weeks', as: 'ministry', path: '/api/v1/reports/trend?weeks=12' },
    { name: 'trend, 52 weeks', as: 'ministry', path: '/api/v1/reports/trend?weeks=52' },
    {
      name: 'province (NTT) with all its MPP rows',
      as: 'ministry',
      path: `/api/v1/reports/weekly/${week}?province=${BUREAU_PROVINCE}`,
    },
    {
      name: 'province (NTT) with all its MPP rows, client accepting gzip',
      as: 'ministry',
      path: `/api/v1/reports/weekly/${week}?province=${BUREAU_PROVINCE}`,
      gzip: true,
    },
    {
      name: 'province (NTT), a page of 100 MPP rows, worst first',
      as: 'bureau',
      path: `/api/v1/reports/weekly/${week}?limit=100&page=2`,
    },
    { name: 'coverage (national)', as: 'ministry', path: '/api/v1/reports/coverage' },
    { name: `agencies report ${week} (national)`, as: 'ministry', path: `/api/v1/reports/agencies?week=${week}` },
    { name: `agencies report ${week} (bureau)`, as: 'bureau', path: `/api/v1/reports/agencies?week=${week}` },
    { name: 'flags of the province (bureau), a page of 50', as: 'bureau', path: '/api/v1/flags?state=unresolved&limit=50' },
    { name: 'one flag (bureau)', as: 'bureau', path: `/api/v1/flags/${ids.flagId}` },
    { name: 'MPP registry of the province, a page of 100', as: 'bureau', path: '/api/v1/mpps?limit=100&page=3' },
    { name: "a manager's MPPs", as: 'manager', path: '/api/v1/mpps' },
    {
      name: "a manager's check-in with every revision",
      as: 'manager',
      path: `/api/v1/mpps/${ids.managedMppId}/check-ins/${week}?revisions=all`,
    },
    { name: "an MPP's history, 26 weeks (manager)", as: 'manager', path: `/api/v1/mpps/${ids.managedMppId}/history?weeks=26` },
    { name: 'page: bureau landing (NTT)', as: 'bureau', path: '/bureau', page: true },
    { name: 'page: bureau landing, page 20, not reported', as: 'bureau', path: '/bureau?page=20&state=not_reporting', page: true },
    { name: 'page: national (ministry)', as: 'ministry', path: '/national', page: true },
    { name: 'page: one flag (bureau)', as: 'bureau', path: `/flags/${ids.flagId}`, page: true },
    { name: 'page: check-in list (manager)', as: 'manager', path: '/check-in', page: true },
  ];
}

async function signIn(base: string, as: Login): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: LOGINS[as], password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login as ${as}: ${login.status}`);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/** The response's size, after checking it answers 200: a path that fails is a broken bench, not a fast one. */
/** The bytes of the answer as sent (compressed when the client asked for gzip: node:http does not decompress). */
async function responseBytes(url: string, headers: Record<string, string>): Promise<number> {
  const { status, body } = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
  if (status !== 200) throw new Error(`${url}: ${status} ${body.toString().slice(0, 300)}`);
  return body.length;
}

function figure(path: ReadPath, r: LoadResult, bytes: number, ceiling: LoadResult, quick: boolean): Figure {
  const size =
    (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`) + (path.gzip ? ' gzip' : '');
  return {
    name: `${path.name} — \`GET ${path.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}\``,
    value: r.p95,
    unit:
      `ms p95 (p50 ${r.p50} / p99 ${r.p99} ms, ${r.perSecond} req/s, ${r.errors} errors; ${size}; ` +
      `static ${size}: p95 ${ceiling.p95} ms, ${ceiling.perSecond} req/s)`,
    ...(quick ? {} : { target: `≤ ${TARGET_MS} ms`, met: r.p95 <= TARGET_MS && r.errors === 0 }),
  };
}

export async function reportsScenario(quick: boolean): Promise<ScenarioResult> {
  const mpps = quick ? 2_000 : 100_000;
  const seconds = quick ? 1 : 5; // quick: a smoke run of every path (bench:quick under 3 minutes), not figures to compare
  const database = await sharedReadDatabase(mpps);
  const port = 3900 + Math.floor(Math.random() * 90);
  let app: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  let bare: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  try {
    const db = new DataSource({ ...dataSourceOptions(database.url), extra: { max: 1 } });
    await db.initialize();
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM check_ins`);
    const [{ flagId }] = await db.query(`SELECT id AS "flagId" FROM flags WHERE province_code = $1 ORDER BY id LIMIT 1`, [BUREAU_PROVINCE]);
    const [{ managedMppId }] = await db.query(
      // One that reported the week (about 10% do not), so its check-in with every revision exists.
      `SELECT mm.mpp_id AS "managedMppId" FROM mpp_managers mm JOIN users u ON u.id = mm.user_id
         JOIN check_ins c ON c.mpp_id = mm.mpp_id AND c.week = $2
        WHERE u.email = $1 ORDER BY 1 LIMIT 1`,
      [LOGINS.manager, LAST_WEEK],
    );
    const [{ provinceMpps }] = await db.query(`SELECT count(*)::int AS "provinceMpps" FROM mpps WHERE province_code = $1`, [
      BUREAU_PROVINCE,
    ]);
    await db.destroy();

    app = await startAppProcess({ DATABASE_URL: database.url, APP_MODE: 'api' }, port);
    bare = await startAppProcess({}, port + 1, join(__dirname, 'static-app.js'));
    const base = `http://127.0.0.1:${port}`;
    const tokens = Object.fromEntries(
      await Promise.all((Object.keys(LOGINS) as Login[]).map(async (as) => [as, await signIn(base, as)] as const)),
    ) as Record<Login, string>;
    const headersFor = (p: ReadPath): Record<string, string> => ({
      ...(p.page ? { cookie: `mpp_session=${tokens[p.as]}` } : { authorization: `Bearer ${tokens[p.as]}` }),
      ...(p.gzip ? { 'accept-encoding': 'gzip' } : {}),
    });
    // Warm-up: connection pools, JIT, PostgreSQL's cache.
    await load(`${base}/api/v1/reports/weekly/${LAST_WEEK}`, headersFor({ name: '', as: 'ministry', path: '' }), CLIENTS, 2);

    const figures: Figure[] = [];
    const only = process.env.BENCH_READS_ONLY;
    for (const p of readPaths({ flagId, managedMppId })) {
      if (only && !p.name.includes(only)) continue;
      const headers = headersFor(p);
      const bytes = await responseBytes(`${base}${p.path}`, headers);
      const result = await load(`${base}${p.path}`, headers, CLIENTS, seconds);
      const ceiling = await load(`http://127.0.0.1:${port + 1}/${bytes}`, {}, CLIENTS, Math.min(seconds, 3));
      figures.push(figure(p, result, bytes, ceiling, quick));
      console.log(`${p.name}: p95 ${result.p95} ms (static ${ceiling.p95} ms)`);
    }
    return {
      scenario: 'Read paths at national scale: reports, API and pages',
      description:
        `${mpps.toLocaleString('en')} MPPs × ${WEEKS} weeks (${n.toLocaleString('en')} check-ins, the same number of evaluations, 2% of MPPs flagged, ` +
        `four tenants each; NTT has ${provinceMpps.toLocaleString('en')} MPPs), the built app in its own process (APP_MODE=api), ` +
        `${CLIENTS} concurrent keep-alive HTTP clients for ${seconds} s per path (ceilings 3 s), signed in as the ministry, NTT's bureau or a manager of ` +
        'three NTT MPPs (bearer token for the API, the session cookie for pages). Clients do not ask for gzip, except on the line ' +
        "that says so (the province's 1.5 MB answer, kept gzip-compressed per data version, as browsers and HTTP libraries ask for it). " +
        'Beside each: the same number of bytes served ' +
        'from memory by a bare node:http process (the ceiling). Evaluations are derived set-based from the check-ins (the evaluation ' +
        "scenario measures the real one); the per-province weekly rows are built by the app's own code.",
      figures,
      notes:
        database.prepareMs === null
          ? ['data prepared before (BENCH_READS_DB)']
          : [`data preparation ${Math.round(database.prepareMs / 1000)} s`],
    };
  } finally {
    await app?.stop();
    await bare?.stop();
  }
}
