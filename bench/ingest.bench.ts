import { sign } from 'jsonwebtoken';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { addWeeks, weekAt } from '../src/common/time/iso-week';
import type { AppConfig } from '../src/config/app-config';
import { keysFor } from '../src/modules/auth/jwt-keys';
import { loadRequests, LoadResult, startAppProcess } from './http-load';
import { benchDatabase, ScenarioResult } from './support';

const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG';
const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';
const CLIENTS = Number(process.env.BENCH_INGEST_CLIENTS ?? 50);
const UPTIME_KUMA_PUSH = 145; // req/s measured on this machine (issue #7)

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

/**
 * The default single process as `npm start` runs it with nothing configured (API + worker +
 * scheduler, embedded PostgreSQL, queues on PostgreSQL): started once to initialise its data
 * folder (not timed), then again: time to /health/ready and RSS once idle.
 */
/** Production serves /metrics only to METRICS_TOKEN. */
async function readMetrics(origin: string): Promise<string> {
  const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`/metrics: ${res.status}`);
  return res.text();
}

async function coldStart(port: number): Promise<{ readyMs: number; idleRssMb: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mpp-bench-cold-'));
  // As root, the embedded server runs as the 'postgres' user, which must be able to enter the folder.
  chmodSync(dataDir, 0o711);
  const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port + 10), JWT_SECRET: SECRET };
  try {
    await (await startAppProcess(env, port)).stop();
    const started = performance.now();
    const app = await startAppProcess(env, port);
    const readyMs = Math.round(performance.now() - started);
    // Idle: after the boot's own work (first sweep, scheduler registration) has settled.
    await new Promise((r) => setTimeout(r, 3000));
    const idleRssMb = rssMb(app.child.pid!);
    await app.stop();
    return { readyMs, idleRssMb };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function ingestScenario(quick: boolean): Promise<ScenarioResult> {
  const mpps = quick ? 500 : 5000;
  // quick: a smoke run (bench:quick under 3 minutes), its ratios not figures to compare
  const seconds = quick ? 1 : 5;
  const warmSeconds = quick ? 1 : 2;
  const rounds = 3;
  const database = await benchDatabase('ingest');
  const pool = new Pool({ connectionString: database.url, max: 4 });
  const port = Number(process.env.BENCH_PORT ?? 3800 + Math.floor(Math.random() * 90));
  let app: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  let bare: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  let second: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  try {
    const { rows } = await pool.query(
      `WITH m AS (
         INSERT INTO mpps (regency_code, province_code, name, inaugurated_on, channels, tenant_count)
         SELECT r.code, r.province_code, 'MPP ' || i, DATE '2023-10-31', '{direct}', 20
           FROM generate_series(1, $1::int) AS i
           JOIN (SELECT code, province_code, row_number() OVER (ORDER BY code) - 1 AS n FROM regencies) r ON r.n = i % 514
         RETURNING id
       ), u AS (
         INSERT INTO users (email, name, password_hash, role)
         SELECT 'manager-' || id || '@bench.local', 'Pengelola', 'x', 'manager' FROM m RETURNING id, email
       ), link AS (
         INSERT INTO mpp_managers (user_id, mpp_id) SELECT u.id, m.id FROM u JOIN m ON u.email = 'manager-' || m.id || '@bench.local'
         RETURNING user_id, mpp_id
       ) SELECT user_id AS "userId", mpp_id AS "mppId" FROM link`,
      [mpps],
    );
    await pool.query(
      `CREATE TABLE bench_bare (id bigserial PRIMARY KEY, days_open int, visitors int, transactions int, status text, at timestamptz DEFAULT now())`,
    );
    // Real JWTs, signed as the app signs them (its derived access key and claims), one per manager.
    const accessKey = keysFor({ jwt: { secret: SECRET } } as AppConfig, 'access')[0];
    const tokens = rows.map((r: { userId: string; mppId: string }) => ({
      mppId: r.mppId,
      token: sign({ typ: 'access', sub: r.userId, role: 'manager', ver: 0 }, accessKey, {
        algorithm: 'HS256',
        expiresIn: 3600,
      }),
    }));
    // Last week: its window is open whatever the day (late, but accepted; no cycle is evaluated here).
    const week = addWeeks(weekAt(new Date(), 'Asia/Jakarta'), -1);

    const cold = await coldStart(port + 3);
    const body = (n: number) =>
      JSON.stringify({
        daysOpen: 5,
        tenantsServing: 12,
        countersOpen: 20,
        visitors: 1000 + n,
        transactions: 1200 + n,
        channels: { direct: true, mobile: false, self: false, electronic: true },
        status: 'normal',
        closureReason: null,
        problems: null,
      });
    let sent = 0;
    const putCheckIn = () => {
      const n = sent++;
      const t = tokens[n % tokens.length];
      return {
        method: 'PUT',
        path: `/api/v1/mpps/${t.mppId}/check-ins/${week}`,
        headers: { authorization: `Bearer ${t.token}` },
        body: body(n),
      };
    };
    const putBare = (n: number) => ({ method: 'PUT', path: `/bare/x/${week}`, headers: {}, body: body(n) });

    // 1. The default mode (API + worker + scheduler in one process), as `npm start` runs it: its
    // memory under the ingest load, while its own worker renders and writes every receipt.
    let started = performance.now();
    app = await startAppProcess({ DATABASE_URL: database.url, JWT_SECRET: SECRET, METRICS_TOKEN }, port);
    const readyMs = Math.round(performance.now() - started);
    const idleRss = rssMb(app.child.pid!);
    const origin = `http://127.0.0.1:${port}`;
    const defaultWarmUp = await loadRequests(origin, putCheckIn, CLIENTS, warmSeconds);
    if (defaultWarmUp.errors) throw new Error(`${defaultWarmUp.errors} of ${defaultWarmUp.requests} warm-up check-ins failed`);
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(app!.child.pid!))), 100);
    const defaultRuns: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) defaultRuns.push(await loadRequests(origin, putCheckIn, CLIENTS, seconds));
    clearInterval(sampler);
    await app.stop();
    app = undefined;

    // 2. Throughput as production serves it (docker compose: API replicas, workers apart), on
    // APP_MODE=api beside the floor; the receipts wait in the outbox for a worker.
    started = performance.now();
    // Production's queue is Redis (docker compose); with REDIS_URL unset the API queues on PostgreSQL.
    const queue: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {};
    app = await startAppProcess({ DATABASE_URL: database.url, JWT_SECRET: SECRET, METRICS_TOKEN, APP_MODE: 'api', ...queue }, port);
    const apiReadyMs = Math.round(performance.now() - started);
    bare = await startAppProcess({ DATABASE_URL: database.url }, port + 1, join(__dirname, 'bare-app.js'));
    // Scale-out: a second API process on the same database, load split evenly between the two.
    second = await startAppProcess({ DATABASE_URL: database.url, APP_MODE: 'api', JWT_SECRET: SECRET, ...queue }, port + 2);
    const origins = [origin, `http://127.0.0.1:${port + 2}`];
    // Warm-up, not counted: both processes compile their hot paths first.
    const warmUp = await loadRequests(origin, putCheckIn, CLIENTS, warmSeconds);
    // Refused requests would measure the refusal, not the write (a token the app no longer accepts).
    if (warmUp.errors) throw new Error(`${warmUp.errors} of ${warmUp.requests} warm-up check-ins failed`);
    await loadRequests(`http://127.0.0.1:${port + 1}`, putBare, CLIENTS, warmSeconds);
    const real: LoadResult[] = [],
      floor: LoadResult[] = [],
      noop: LoadResult[] = [],
      pair: LoadResult[] = [];
    // Interleaved rounds, medians: this machine's speed drifts by 2× within a minute, so each
    // ratio compares phases run side by side rather than one long phase after another.
    for (let round = 0; round < rounds; round++) {
      noop.push(await loadRequests(origin, () => ({ path: '/health/live', headers: {} }), CLIENTS, seconds));
      real.push(await loadRequests(origin, putCheckIn, CLIENTS, seconds));
      floor.push(await loadRequests(`http://127.0.0.1:${port + 1}`, putBare, CLIENTS, seconds));
      const halves = await Promise.all(origins.map((o) => loadRequests(o, putCheckIn, CLIENTS / 2, seconds)));
      pair.push({
        ...halves[0],
        requests: halves[0].requests + halves[1].requests,
        errors: halves[0].errors + halves[1].errors,
        perSecond: halves[0].perSecond + halves[1].perSecond,
      });
    }
    const metrics = await readMetrics(origin);
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN);
    const meanBatch = Math.round((metric('mpp_check_in_batch_size_sum') / metric('mpp_check_in_batch_size_count')) * 10) / 10;
    const [{ revisions }] = (await pool.query(`SELECT count(*)::int AS revisions FROM check_in_revisions`)).rows;
    // Every check-in acknowledged (2xx), warm-up included, must be exactly one stored revision.
    const loads = [defaultWarmUp, ...defaultRuns, warmUp, ...real, ...pair];
    const acknowledged = loads.reduce((sum, r) => sum + r.requests - r.errors, 0);

    const putRate = median(real.map((r) => r.perSecond));
    const floorRate = median(floor.map((r) => r.perSecond));
    const ratios = real.map((r, i) => Math.round((r.perSecond / floor[i].perSecond) * 100) / 100);
    const target = !quick;
    const list = (results: LoadResult[]) => results.map((r) => r.perSecond.toLocaleString('en')).join(' / ');
    return {
      scenario: 'Check-in ingest',
      description:
        `PUT /api/v1/mpps/{id}/check-ins/{week} with real JWTs for ${mpps.toLocaleString('en')} managers (each request a new revision), ` +
        `${CLIENTS} keep-alive connections, the built app in its own process on PostgreSQL. Throughput as production runs it (APP_MODE=api; ` +
        `workers run apart, the receipts wait in the outbox), against the app's own no-op endpoint (GET /health/live) and a bare Nest + Fastify ` +
        `process doing the same validation and one INSERT per request: ${rounds} interleaved rounds of ${seconds} s per endpoint, medians (every round listed). ` +
        `Memory in the default mode as \`npm start\` runs it (API + worker + scheduler in one process, its worker writing every receipt), under ${rounds} rounds of the same load.`,
      figures: [
        {
          name: 'check-in PUT, each acknowledged check-in committed',
          value: putRate,
          unit: `req/s (rounds ${list(real)}; p95 ${median(real.map((r) => r.p95))} ms)`,
          ...(target ? { target: '≥ 2000', met: putRate >= 2000 } : {}),
        },
        { name: 'framework ceiling: GET /health/live', value: median(noop.map((r) => r.perSecond)), unit: `req/s (rounds ${list(noop)})` },
        {
          name: 'durable-write floor: validate + one INSERT',
          value: floorRate,
          unit: `req/s (rounds ${list(floor)}; p95 ${median(floor.map((r) => r.p95))} ms)`,
        },
        {
          name: 'check-in / floor, median of rounds',
          value: median(ratios),
          unit: `× (rounds ${ratios.join(' / ')})`,
          ...(target ? { target: '≥ 1.3', met: median(ratios) >= 1.3 } : {}),
        },
        {
          name: "check-in / Uptime Kuma's push endpoint (145 req/s)",
          value: Math.round((putRate / UPTIME_KUMA_PUSH) * 10) / 10,
          unit: '×',
          ...(target ? { target: '≥ 10', met: putRate / UPTIME_KUMA_PUSH >= 10 } : {}),
        },
        {
          name: 'scale-out: check-in PUT on 2 API processes (same database)',
          value: median(pair.map((r) => r.perSecond)),
          unit: `req/s (rounds ${list(pair)})`,
        },
        {
          name: 'scale-out: 2 processes / 1 process, median of rounds',
          value: median(pair.map((r, i) => Math.round((r.perSecond / real[i].perSecond) * 100) / 100)),
          unit: '× on this 2-core machine (the load generator and PostgreSQL share the cores)',
        },
        { name: 'check-ins per commit (group commit), mean', value: meanBatch, unit: 'rows per batch (API process)' },
        {
          name: 'revisions written',
          value: revisions,
          unit: `rows (${acknowledged} requests acknowledged, ${loads.reduce((sum, r) => sum + r.errors, 0)} errors)`,
          ...(target ? { target: '= acknowledged', met: revisions === acknowledged } : {}),
        },
        {
          name: 'default process (API + worker + scheduler): check-in PUT while its worker delivers the receipts',
          value: median(defaultRuns.map((r) => r.perSecond)),
          unit: `req/s (rounds ${list(defaultRuns)}; p95 ${median(defaultRuns.map((r) => r.p95))} ms; API and worker share the 2 cores)`,
        },
        {
          name: 'default process (API + worker + scheduler) RSS idle / peak under load',
          value: `${idleRss} / ${peakRss}`,
          unit: 'MB',
          ...(target ? { target: '≤ 250 MB under load', met: peakRss <= 250 } : {}),
        },
        {
          name: 'time from process start to /health/ready (DATABASE_URL): default mode / APP_MODE=api',
          value: `${readyMs} / ${apiReadyMs}`,
          unit: 'ms',
        },
        {
          name: 'default process with nothing configured (embedded PostgreSQL initialised): cold start to ready',
          value: cold.readyMs,
          unit: 'ms',
          target: '≤ 3000 ms',
          met: cold.readyMs <= 3000,
        },
        {
          name: 'default process with nothing configured: RSS idle',
          value: cold.idleRssMb,
          unit: 'MB',
          target: '≤ 200 MB',
          met: cold.idleRssMb <= 200,
        },
      ],
    };
  } finally {
    await app?.stop();
    await bare?.stop();
    await second?.stop();
    await pool.end();
    await database.drop();
    await database.stop();
  }
}
