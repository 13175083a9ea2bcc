import { NestFactory } from '@nestjs/core';
import { Body, Controller, Module, Put } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { sign } from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { createValidationPipe } from '../src/common/validation';
import { addWeeks, weekAt } from '../src/modules/cycles/iso-week';
import { CheckInDto } from '../src/modules/check-ins/check-ins.dto';
import { loadRequests, LoadResult, startAppProcess } from './http-load';
import { benchDatabase, ScenarioResult } from './support';

const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG';
const CLIENTS = Number(process.env.BENCH_INGEST_CLIENTS ?? 50);
const UPTIME_KUMA_PUSH = 145; // req/s measured on this machine (issue #7)

/**
 * The durable-write floor: Nest + Fastify, the same validation pipe and DTO, one INSERT per
 * request, nothing else. What the real endpoint is compared with.
 */
function bareInsertApp(pool: Pool) {
  @Controller()
  class BareController {
    @Put('bare/:id/:week')
    async put(@Body() dto: CheckInDto) {
      await pool.query(`INSERT INTO bench_bare (days_open, visitors, transactions, status) VALUES ($1, $2, $3, $4)`, [dto.daysOpen, dto.visitors, dto.transactions, dto.status]);
      return { ok: true };
    }
  }
  @Module({ controllers: [BareController] })
  class BareModule {}
  return BareModule;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

export async function ingestScenario(quick: boolean): Promise<ScenarioResult> {
  const mpps = quick ? 500 : 5000;
  const seconds = quick ? 4 : 10;
  const database = await benchDatabase('ingest');
  const pool = new Pool({ connectionString: database.url, max: 10 });
  const port = 3800 + Math.floor(Math.random() * 90);
  let app: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  let bare: NestFastifyApplication | undefined;
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
    await pool.query(`CREATE TABLE bench_bare (id bigserial PRIMARY KEY, days_open int, visitors int, transactions int, status text, at timestamptz DEFAULT now())`);
    // Real JWTs, signed as the app signs them, one per manager.
    const tokens = rows.map((r: { userId: string; mppId: string }) => ({ mppId: r.mppId, token: sign({ sub: r.userId, role: 'manager' }, SECRET, { algorithm: 'HS256', expiresIn: 3600 }) }));
    // Last week: its window is open whatever the day (late, but accepted; no cycle is evaluated here).
    const week = addWeeks(weekAt(new Date(), 'Asia/Jakarta'), -1);

    const started = performance.now();
    app = await startAppProcess({ DATABASE_URL: database.url, APP_MODE: 'api', JWT_SECRET: SECRET }, port);
    const readyMs = Math.round(performance.now() - started);
    const idleRss = rssMb(app.child.pid!);
    const origin = `http://127.0.0.1:${port}`;
    const body = (n: number) => JSON.stringify({
      daysOpen: 5, tenantsServing: 12, countersOpen: 20, visitors: 1000 + n, transactions: 1200 + n,
      channels: { direct: true, mobile: false, self: false, electronic: true }, status: 'normal', closureReason: null, problems: null,
    });
    const noop = await loadRequests(origin, () => ({ path: '/health/live', headers: {} }), CLIENTS, seconds);
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(app!.child.pid!))), 100);
    const real = await loadRequests(origin, (n) => {
      const t = tokens[n % tokens.length];
      return { method: 'PUT', path: `/api/v1/mpps/${t.mppId}/check-ins/${week}`, headers: { authorization: `Bearer ${t.token}` }, body: body(n) };
    }, CLIENTS, seconds);
    clearInterval(sampler);
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN);
    const meanBatch = Math.round((metric('mpp_check_in_batch_size_sum') / metric('mpp_check_in_batch_size_count')) * 10) / 10;
    const [{ revisions }] = (await pool.query(`SELECT count(*)::int AS revisions FROM check_in_revisions`)).rows;
    await app.stop();
    app = undefined;

    bare = await NestFactory.create<NestFastifyApplication>(bareInsertApp(pool), new FastifyAdapter(), { logger: false });
    bare.useGlobalPipes(createValidationPipe());
    await bare.listen({ port: port + 1, host: '127.0.0.1' });
    const floor = await loadRequests(`http://127.0.0.1:${port + 1}`, (n) => ({ method: 'PUT', path: `/bare/x/${week}`, headers: {}, body: body(n) }), CLIENTS, seconds);

    const ok = (r: LoadResult) => r.perSecond;
    const target = !quick;
    return {
      scenario: 'Check-in ingest',
      description:
        `PUT /api/v1/mpps/{id}/check-ins/{week} with real JWTs for ${mpps.toLocaleString('en')} managers (each request a new revision), ` +
        `${CLIENTS} keep-alive connections for ${seconds} s, the built app in its own process (APP_MODE=api) on PostgreSQL; compared in the same run ` +
        `with the app's own no-op endpoint (GET /health/live) and with a bare Nest + Fastify endpoint doing the same validation and one INSERT.`,
      figures: [
        { name: 'check-in PUT, each acknowledged check-in committed', value: ok(real), unit: `req/s (p95 ${real.p95} ms, ${real.errors} errors)`, ...(target ? { target: '≥ 2000', met: real.perSecond >= 2000 } : {}) },
        { name: 'framework ceiling: GET /health/live', value: ok(noop), unit: `req/s (p95 ${noop.p95} ms)` },
        { name: 'durable-write floor: validate + one INSERT', value: ok(floor), unit: `req/s (p95 ${floor.p95} ms)` },
        { name: 'check-in / floor', value: Math.round((real.perSecond / floor.perSecond) * 100) / 100, unit: '×', ...(target ? { target: '≥ 0.8', met: real.perSecond / floor.perSecond >= 0.8 } : {}) },
        { name: "check-in / Uptime Kuma's push endpoint (145 req/s)", value: Math.round((real.perSecond / UPTIME_KUMA_PUSH) * 10) / 10, unit: '×', ...(target ? { target: '≥ 10', met: real.perSecond / UPTIME_KUMA_PUSH >= 10 } : {}) },
        { name: 'check-ins per commit (group commit), mean', value: meanBatch, unit: 'rows per batch' },
        { name: 'revisions written', value: revisions, unit: `rows (${real.requests} requests acknowledged)` },
        { name: 'API process RSS idle / peak under load', value: `${idleRss} / ${peakRss}`, unit: 'MB', ...(target ? { target: '≤ 250 MB', met: peakRss <= 250 } : {}) },
        { name: 'time from process start to /health/ready', value: readyMs, unit: 'ms' },
      ],
    };
  } finally {
    await app?.stop();
    await bare?.close();
    await pool.end();
    await database.drop();
    await database.stop();
  }
}
