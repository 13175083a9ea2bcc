import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './smtp';

const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The real app (src/main.ts) in its own OS process, so a test can SIGKILL it. */
export class AppProcess {
  output = '';
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
  }

  /** `readyWithinMs`: a first start of the embedded PostgreSQL runs initdb first (12 s seen under CI's load). */
  static async start(env: Record<string, string>, readyWithinMs = 30_000): Promise<AppProcess> {
    const app = await AppProcess.spawn(env);
    await app.ready(readyWithinMs);
    return app;
  }

  /** Starts the process without waiting: it may begin work (queue jobs) before it listens. */
  static async spawn(env: Record<string, string>): Promise<AppProcess> {
    const port = env.PORT ? Number(env.PORT) : await freePort();
    // TEST_NOW fixes the app's clock at that instant (test/support/fixed-clock.cjs).
    const preload = [
      '-r',
      join(ROOT, 'test', 'support', 'ts-hook.cjs'),
      ...(env.TEST_NOW ? ['-r', join(ROOT, 'test', 'support', 'fixed-clock.cjs')] : []),
    ];
    const child = spawn(process.execPath, [...preload, join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        JWT_SECRET: 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'mpp-proc-')),
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(child, port);
  }

  async ready(withinMs = 30_000): Promise<void> {
    await waitUntil(
      async () => {
        if (this.child.exitCode !== null || this.child.signalCode !== null)
          throw new Error(`app exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`);
        return fetch(`http://127.0.0.1:${this.port}/health/live`).then(
          (r) => r.ok,
          () => false,
        );
      },
      withinMs,
      () => `app process on :${this.port} to start\n${this.output}`,
    );
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill(signal);
    return exited;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

/**
 * Runs a TypeScript entry point (`src/seed-demo.ts`, `src/main.ts`) to its end in a child process,
 * with only the given environment (plus PATH), and answers its exit code, output and duration.
 */
export async function runScript(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test', 'support', 'ts-hook.cjs'), join(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** A private redis-server the test may stop and start again on the same port. */
export class RedisProcess {
  private child?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort());
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitUntil(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(this.port, '127.0.0.1');
          socket.once('connect', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
        }),
      10_000,
      () => `redis-server on :${this.port}`,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A private PostgreSQL (test/support/private-postgres.mjs) the test may stop and start again. */
export class PostgresProcess {
  private child?: ChildProcess;
  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PostgresProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mpp-private-pg-'));
    chmodSync(dataDir, 0o755); // the server runs as the postgres OS user
    const pg = new PostgresProcess(dataDir, await freePort());
    await pg.resume();
    return pg;
  }

  get url(): string {
    return `postgres://postgres:test@127.0.0.1:${this.port}/mpp_faults`;
  }

  async resume(): Promise<void> {
    const child = spawn(process.execPath, [join(ROOT, 'test', 'support', 'private-postgres.mjs'), this.dataDir, String(this.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => ((output += d), output.includes('ready') && resolve()));
      child.stderr.on('data', (d) => (output += d));
      child.once('exit', (code) => reject(new Error(`private PostgreSQL exited (${code}): ${output}`)));
    });
  }

  /** Shuts the server down (connections are cut) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
}
