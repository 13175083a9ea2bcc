import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, runScript } from './support/processes';
import { waitUntil } from './support/smtp';

// The one-machine default: no DATABASE_URL, the app runs its own PostgreSQL in DATA_DIR/pg.
// Ports 55410-55429 are this file's (apps and embedded servers), clear of the other suites.
const ADMIN = { email: 'admin@contoh.go.id', password: 'pilih-sandi-panjang' };
/** A start on a new data dir runs initdb and every migration first: 12 s of initdb alone under CI's load. */
const INITDB_START_MS = 75_000;

/** A DATA_DIR the `postgres` OS user can enter (the app runs the server as that user under root). */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpp-embedded-'));
  chmodSync(dir, 0o755);
  return join(dir, 'data');
}

function postmasterPid(dir: string): number {
  return Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function request(app: AppProcess, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function login(app: AppProcess, email: string, password: string): Promise<{ status: number; token: string }> {
  const res = await request(app, 'POST', '/api/v1/auth/login', { email, password });
  return { status: res.status, token: String(res.body.accessToken) };
}

async function untilReady(app: AppProcess, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => (await fetch(`${app.url}/health/ready`).catch(() => undefined))?.status === 200,
    timeoutMs,
    () => `GET /health/ready 200\n${app.output}`,
  );
}

/** Stops whatever a test left running: the app, then (if still there) the server it started. */
async function cleanUp(apps: AppProcess[], dir: string): Promise<void> {
  for (const app of apps) await app.kill('SIGTERM');
  const pidFile = join(dir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = postmasterPid(dir);
    if (isAlive(pid)) process.kill(pid, 'SIGINT');
    await waitUntil(
      () => !isAlive(pid),
      15_000,
      () => `embedded postgres ${pid} to stop`,
    ).catch(() => process.kill(pid, 'SIGKILL'));
  }
  rmSync(join(dir, '..'), { recursive: true, force: true });
}

describe('embedded PostgreSQL belongs to the app', () => {
  it('after kill -9 of the app, the next start is ready within 30 s with the data intact, and no server of the first run is left', async () => {
    const dir = dataDir();
    const env = { DATA_DIR: dir, PORT: '55410', EMBEDDED_PG_PORT: '55411', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
    const apps: AppProcess[] = [];
    try {
      const first = await AppProcess.start(env, INITDB_START_MS);
      apps.push(first);
      await untilReady(first, 30_000);
      const admin = await login(first, ADMIN.email, ADMIN.password);
      const created = await request(
        first,
        'POST',
        '/api/v1/users',
        {
          email: 'biro.ntt@contoh.go.id',
          name: 'Biro Organisasi NTT',
          password: 'sandi-biro-yang-panjang',
          role: 'bureau',
          provinceCode: '53',
        },
        admin.token,
      );
      expect(created.status).toBe(201);
      const firstServer = postmasterPid(dir);

      await first.kill('SIGKILL');
      const restarted = Date.now();
      const second = await AppProcess.start(env);
      apps.push(second);
      await untilReady(second, 30_000);
      expect(Date.now() - restarted).toBeLessThan(30_000);
      expect((await login(second, 'biro.ntt@contoh.go.id', 'sandi-biro-yang-panjang')).status).toBe(200);
      const secondServer = postmasterPid(dir);
      expect(!isAlive(firstServer) || firstServer === secondServer).toBe(true);

      // Killed again, the app does not leave its server behind for long (the watchdog stops it).
      await second.kill('SIGKILL');
      await waitUntil(
        () => !isAlive(secondServer),
        5_000,
        () => `embedded postgres ${secondServer} to stop after its app was killed`,
      );

      // A stale postmaster.pid naming a live process that is not our server (a crash, a reused pid).
      writeFileSync(join(dir, 'pg', 'postmaster.pid'), `${process.pid}\n${join(dir, 'pg')}\n0\n55411\n`);
      const third = await AppProcess.start(env);
      apps.push(third);
      await untilReady(third, 30_000);
      expect((await login(third, 'biro.ntt@contoh.go.id', 'sandi-biro-yang-panjang')).status).toBe(200);
    } finally {
      await cleanUp(apps, dir);
    }
  }, 180_000);

  it('on SIGTERM the app shuts down on its database, then stops the server: no connection is cut under it', async () => {
    const dir = dataDir();
    const apps: AppProcess[] = [];
    try {
      const app = await AppProcess.start({ DATA_DIR: dir, PORT: '55416', EMBEDDED_PG_PORT: '55417' }, INITDB_START_MS);
      apps.push(app);
      await untilReady(app, 30_000);
      const server = postmasterPid(dir);
      // The worker, the queue (BullMQ on PostgreSQL, its LISTEN connection) and the scheduler are running.
      await new Promise((r) => setTimeout(r, 1500));
      const exited = new Promise<string | number | null>((resolve) => {
        app.child.once('exit', (code, signal) => resolve(signal ?? code));
        setTimeout(() => resolve('still running 30 s after SIGTERM'), 30_000).unref();
      });
      app.child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      // Before, the package's own exit hook stopped the server at the same signal, while the app
      // was still closing: its connections were cut ("terminating connection due to administrator
      // command") and one of them crashed the process with an unhandled 'error' event.
      expect(app.output).not.toContain('administrator command');
      expect(app.output).not.toContain("Unhandled 'error' event");
      expect(isAlive(server)).toBe(false);
    } finally {
      await cleanUp(apps, dir);
    }
  }, 150_000);

  it('seed:demo against a running app uses its server: a demo login works at once, and a second run changes nothing', async () => {
    const dir = dataDir();
    const env = { DATA_DIR: dir, PORT: '55412', EMBEDDED_PG_PORT: '55413' };
    const apps: AppProcess[] = [];
    try {
      const app = await AppProcess.start(env, INITDB_START_MS);
      apps.push(app);
      await untilReady(app, 30_000);
      const server = postmasterPid(dir);

      const seeded = await runScript('src/seed-demo.ts', { DATA_DIR: dir, EMBEDDED_PG_PORT: '55413' });
      expect({ code: seeded.code, stderr: seeded.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/undefined/) as string });
      expect(seeded.stdout).toContain('kemenpanrb@mpp.demo');
      expect((await login(app, 'kemenpanrb@mpp.demo', 'Demo-MPP-2026!')).status).toBe(200);
      expect((await login(app, 'biro.53@mpp.demo', 'Demo-MPP-2026!')).status).toBe(200);
      const manager = await login(app, 'pengelola.5371@mpp.demo', 'Demo-MPP-2026!');
      expect(manager.status).toBe(200);

      const again = await runScript('src/seed-demo.ts', { DATA_DIR: dir, EMBEDDED_PG_PORT: '55413' });
      expect(again.code).toBe(0);
      const mpps = await request(app, 'GET', '/api/v1/mpps', undefined, (await login(app, 'kemenpanrb@mpp.demo', 'Demo-MPP-2026!')).token);
      expect(mpps.body).toHaveLength(10);
      // The app kept its own server throughout.
      expect(postmasterPid(dir)).toBe(server);
      expect(isAlive(server)).toBe(true);
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    } finally {
      await cleanUp(apps, dir);
    }
  }, 150_000);

  it('refuses within 15 s, in one line naming the port and EMBEDDED_PG_PORT, when another program holds the embedded port', async () => {
    const dir = dataDir();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(55414, '127.0.0.1', resolve));
    try {
      const run = await runScript('src/main.ts', { DATA_DIR: dir, PORT: '55415', EMBEDDED_PG_PORT: '55414' }, 30_000);
      expect(run.code).not.toBe(0);
      expect(run.code).not.toBeNull();
      expect(run.ms).toBeLessThan(15_000);
      const problems = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.trim() && !line.startsWith('{'));
      expect(problems).toEqual([expect.stringMatching(/55414.*EMBEDDED_PG_PORT/)]);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  }, 60_000);
});
