import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

const APP_SCRIPT = join(__dirname, '..', 'src', 'main.js');

/**
 * The Node flags the app runs with in production, read from package.json's scripts so the bench
 * runs what `npm start` (APP_MODE unset: the one-box default) or `npm run start:api` /
 * `start:worker` run (docs/operations.md explains them).
 */
export function productionNodeArgs(mode: string | undefined): string[] {
  const scripts = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const script = scripts[mode === 'api' || mode === 'worker' ? `start:${mode}` : 'start'];
  const flags = /\bnode ((?:--\S+ )*)dist\/src\/main\.js/.exec(script)?.[1];
  if (flags === undefined) throw new Error(`package.json: no "node … dist/src/main.js" in ${script}`);
  return flags.split(' ').filter(Boolean);
}

/**
 * The built app (dist/src/main.js) in its own process, as it runs in production; `script` runs
 * another built entry point the same way (the bare endpoint the ingest is compared with).
 */
export async function startAppProcess(
  env: Record<string, string>,
  port: number,
  script = APP_SCRIPT,
): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  // BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the app process.
  const isApp = script === APP_SCRIPT;
  const nodeArgs = isApp
    ? [...productionNodeArgs(env.APP_MODE), ...(process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
    : [];
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      JWT_SECRET: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mpp-bench-app-')),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('app did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface RequestSpec {
  method?: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A request not answered within this counts as an error (status 0): a hung app ends the run instead of stalling it. */
const REQUEST_TIMEOUT_MS = 10_000;

/** One request over a keep-alive agent; node:http costs the load generator far less CPU than fetch. */
function send(base: URL, spec: RequestSpec, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const headers =
      spec.body === undefined
        ? spec.headers
        : { ...spec.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(spec.body)) };
    const req = request(new URL(spec.path, base), { method: spec.method ?? 'GET', headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(spec.body);
  });
}

/** Statuses a load counts as answered; anything else is an error. */
const SUCCESS = (status: number) => status >= 200 && status < 300;

/**
 * `clients` concurrent loops over `url` for `seconds` (one keep-alive connection each); latency
 * percentiles in ms. `ok` says which statuses are answers (a revalidation expects `304`).
 */
export function load(url: string, headers: Record<string, string>, clients: number, seconds: number, ok = SUCCESS): Promise<LoadResult> {
  const target = new URL(url);
  return loadRequests(target.origin, () => ({ path: target.pathname + target.search, headers }), clients, seconds, ok);
}

/** Like `load`, with a request made per call (a different body or token each time). */
export async function loadRequests(
  origin: string,
  next: (n: number) => RequestSpec,
  clients: number,
  seconds: number,
  ok = SUCCESS,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const target = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const status = await send(target, next(n++), agent);
        if (!ok(status)) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  agent.destroy();
  if (latencies.length === errors) throw new Error(`none of ${errors} requests to ${origin} was answered in ${seconds} s`);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] * 10) / 10;
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / elapsed),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    errors,
  };
}
