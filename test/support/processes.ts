import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
  private constructor(readonly child: ChildProcess, readonly port: number) {
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
  }

  static async start(env: Record<string, string>): Promise<AppProcess> {
    const app = await AppProcess.spawn(env);
    await app.ready();
    return app;
  }

  /** Starts the process without waiting: it may begin work (queue jobs) before it listens. */
  static async spawn(env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', join(ROOT, 'test', 'support', 'ts-hook.cjs'), join(ROOT, 'src', 'main.ts')], {
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

  async ready(): Promise<void> {
    await waitUntil(async () => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`app exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`);
      return fetch(`http://127.0.0.1:${this.port}/health/live`).then((r) => r.ok, () => false);
    }, 30_000, () => `app process on :${this.port} to start\n${this.output}`);
  }

  kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    return exited;
  }
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
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitUntil(() => new Promise<boolean>((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    }), 10_000, () => `redis-server on :${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}
