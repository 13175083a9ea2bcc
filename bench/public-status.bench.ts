import { mkdtempSync, writeFileSync } from 'node:fs';
import { get, IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { load, LoadResult, startAppProcess } from './http-load';
import { sharedReadDatabase } from './read-data';
import { Figure, ScenarioResult } from './support';

const CLIENTS = 50;

/** The data-version query the public ETag is built from, against the max() over every evaluation it replaced. */
async function versionQueries(db: DataSource): Promise<{ version: number; scan: number }> {
  const time = async (sql: string) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await db.query(sql);
      runs.push(performance.now() - started);
    }
    return Math.round(runs.sort((a, b) => a - b)[2] * 10) / 10;
  };
  return {
    version: await time(
      `SELECT (SELECT max(computed_at) FROM report_weekly), (SELECT max(dispute_confirmed_at) FROM evaluations), (SELECT max(updated_at) FROM mpps)`,
    ),
    scan: await time(
      `SELECT (SELECT max(evaluated_at) FROM evaluations), (SELECT max(dispute_confirmed_at) FROM evaluations), (SELECT max(updated_at) FROM mpps)`,
    ),
  };
}

interface Endpoint {
  name: string;
  path: string;
  type: string;
  etag: string;
  /** As sent (gzip), and before compression. */
  bytes: number;
  plainBytes: number;
}

/** What a browser or phone sends with every request. */
const BROWSER = { 'accept-encoding': 'gzip, deflate, br' };

/** A GET whose body is kept as sent (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/**
 * The public status at national scale: `GET /status` (the province index), one province's page and
 * `GET /api/v1/public/mpps` (national and one province), each answered in full and as a
 * revalidation (`If-None-Match` → `304`), beside a static server answering the same bytes from
 * memory (the ceiling).
 */
export async function publicStatusScenario(quick: boolean): Promise<ScenarioResult> {
  const mpps = quick ? 2_000 : 100_000;
  const seconds = quick ? 1 : 5; // quick: a smoke run of every path (bench:quick under 3 minutes), not figures to compare
  // The reports scenario's data (52 weeks, four tenants with services per MPP), prepared once.
  const database = await sharedReadDatabase(mpps);
  const db = new DataSource({ ...dataSourceOptions(database.url), extra: { max: 4 } });
  await db.initialize();
  const port = 4000 + Math.floor(Math.random() * 90);
  let app: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  let ceiling: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  try {
    const queries = await versionQueries(db);
    app = await startAppProcess({ DATABASE_URL: database.url, APP_MODE: 'api' }, port);
    const base = `http://127.0.0.1:${port}`;
    const staticBase = `http://127.0.0.1:${port + 1}`;

    // The app's own answers, kept byte for byte for the ceiling.
    const dir = mkdtempSync(join(tmpdir(), 'mpp-bench-public-'));
    const endpoints: Endpoint[] = [];
    const files: Record<string, [string, string, string, string]> = {};
    for (const [name, path] of [
      ['GET /status (province index)', '/status'],
      ['GET /status/provinsi/53 (one province, every MPP)', '/status/provinsi/53'],
      ['GET /api/v1/public/mpps?province=53', '/api/v1/public/mpps?province=53'],
      // BENCH_PUBLIC_NATIONAL_JSON=0 leaves out the national list (tens of MB at 100,000 MPPs).
      ...(process.env.BENCH_PUBLIC_NATIONAL_JSON === '0' ? [] : [['GET /api/v1/public/mpps (national)', '/api/v1/public/mpps']]),
    ]) {
      // As a browser or phone asks: gzip accepted (raw bytes kept, so the ceiling sends the very same).
      const res = await rawGet(`${base}${path}`, BROWSER);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      const body = res.body;
      const file = join(dir, `${endpoints.length}.body`);
      writeFileSync(file, body);
      const type = String(res.headers['content-type'] ?? 'application/octet-stream');
      const etag = String(res.headers.etag ?? '');
      const encoding = String(res.headers['content-encoding'] ?? '');
      if (encoding !== 'gzip') throw new Error(`${path}: not gzip-encoded for a client that accepts it`);
      files[path] = [file, type, etag, encoding];
      const plainBytes = gunzipSync(body).length;
      endpoints.push({ name, path, type, etag, bytes: body.length, plainBytes });
    }
    ceiling = await startAppProcess({ STATIC_FILES: JSON.stringify(files) }, port + 1, join(__dirname, 'static-replay-app.js'));

    const notModified = (status: number) => status === 304;
    const figures: Figure[] = [
      { name: 'data version (ETag) query', value: queries.version, unit: 'ms (median of 5)' },
      { name: 'the max() over every evaluation it replaced', value: queries.scan, unit: 'ms (median of 5)' },
    ];
    const line = (name: string, r: LoadResult, target?: string, met?: boolean): Figure => ({
      name,
      value: r.perSecond,
      unit: `req/s (p50 / p95 / p99 ${r.p50} / ${r.p95} / ${r.p99} ms; ${r.requests} requests, ${r.errors} errors)`,
      ...(target && !quick ? { target, met } : {}),
    });
    for (const e of endpoints) {
      const revalidate = { ...BROWSER, 'if-none-match': e.etag };
      await load(`${base}${e.path}`, BROWSER, CLIENTS, quick ? 1 : 2); // warm-up: JIT, pools, PostgreSQL's cache
      const full = await load(`${base}${e.path}`, BROWSER, CLIENTS, seconds);
      // Ceilings for 3 s, as the read paths' (a bare process's p95 settles fast; keeps the full run under 15 minutes).
      const fullCeiling = await load(`${staticBase}${e.path}`, BROWSER, CLIENTS, Math.min(seconds, 3));
      const cached = await load(`${base}${e.path}`, revalidate, CLIENTS, seconds, notModified);
      const cachedCeiling = await load(`${staticBase}${e.path}`, revalidate, CLIENTS, Math.min(seconds, 3), notModified);
      const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en')} KB`;
      const size = `${kb(e.bytes)} gzip (${kb(e.plainBytes)} plain)`;
      figures.push(
        line(`${e.name}, ${size}: full answer`, full, '≤ 100 ms p95', full.p95 <= 100 && full.errors === 0),
        line(`${e.name}: static ceiling, same bytes`, fullCeiling),
        line(`${e.name}: revalidation (If-None-Match → 304)`, cached, '≤ 20 ms p95', cached.p95 <= 20 && cached.errors === 0),
        line(`${e.name}: static ceiling, 304`, cachedCeiling),
      );
    }
    return {
      scenario: 'Public status at national scale',
      description:
        `${mpps.toLocaleString('en')} MPPs × 52 weeks (the reports scenario's data, plus 4 tenants and 8 services per MPP), ` +
        `the built app in its own process (APP_MODE=api), ${CLIENTS} concurrent HTTP clients without login for ${seconds} s per line (ceilings 3 s). ` +
        'Each endpoint in full (200) and as a revalidation (a client holding the ETag: 304 after one data-version query), ' +
        "beside a node:http process answering the app's very bytes and headers from memory (the ceiling). " +
        'Clients accept gzip, as browsers and phones do. The app builds each public answer once per data version and keeps it ' +
        'compressed (AnswerCache), so a full answer costs the version query and the send. Pages and the JSON are publicly ' +
        'cacheable (60 s and 300 s), so in front of a cache or CDN most visitors never reach the app.',
      figures,
      notes: [
        database.prepareMs === null
          ? 'data prepared before (BENCH_READS_DB)'
          : `the reports scenario's data (prepared once, ${Math.round(database.prepareMs / 1000)} s)`,
      ],
    };
  } finally {
    await app?.stop();
    await ceiling?.stop();
    await db.destroy();
  }
}
