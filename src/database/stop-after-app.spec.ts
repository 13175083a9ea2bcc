import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * stopAfterApp in a process of its own (it takes over the stop signals): an app whose close takes
 * `closeMs` (never, when absent) and a server handle that reports its stop; answers how the process
 * ended and what it printed.
 */
function run(closeMs: number | null, signals: number[]): Promise<{ code: number | null; signal: string | null; out: string[] }> {
  const script = `
    const { stopAfterApp } = require('./src/database/embedded-postgres');
    const app = { close: () => new Promise((r) => { console.log('closing'); if (${closeMs} !== null) setTimeout(() => { console.log('app closed'); r(); }, ${closeMs ?? 0}); }) };
    stopAfterApp(app, { url: '', stop: async () => console.log('server stopped') });
    console.log('ready');
    setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test', 'support', 'ts-hook.cjs'), '-e', script], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve) => {
    child.stdout.once('data', () => {
      for (const ms of signals) setTimeout(() => child.kill('SIGTERM'), ms);
    });
    child.on('exit', (code, signal) => resolve({ code, signal, out: out.trim().split('\n') }));
  });
}

describe('stopAfterApp: the embedded server stops after the app', () => {
  it('on SIGTERM: the app closes, then the server stops, then the process ends by the signal', async () => {
    expect(await run(300, [100])).toEqual({ code: null, signal: 'SIGTERM', out: ['ready', 'closing', 'app closed', 'server stopped'] });
  }, 20_000);

  it('a second SIGTERM while the app is still closing ends the process at once, the server told to stop', async () => {
    expect(await run(null, [100, 600])).toEqual({ code: 128 + 15, signal: null, out: ['ready', 'closing', 'server stopped'] });
  }, 20_000);
});
