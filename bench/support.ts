import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { prepareDatabase } from '../src/prepare-database';

export interface Figure {
  name: string;
  value: number | string;
  unit: string;
  target?: string;
  met?: boolean;
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  figures: Figure[];
  notes?: string[];
}

const quiet = { log: () => undefined, warn: () => undefined };

/** A fresh, migrated database for one benchmark, on DATABASE_URL's server or an embedded one. */
export async function benchDatabase(tag: string): Promise<{ url: string; drop(): Promise<void>; stop(): Promise<void> }> {
  let base = process.env.DATABASE_URL;
  let stop: () => Promise<void> = async () => undefined;
  if (!base) {
    const pg = await startEmbeddedPostgres(join(process.cwd(), '.data', 'bench'), 54339, quiet);
    base = pg.url;
    stop = () => pg.stop();
  }
  const name = `mpp_bench_${tag}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await prepareDatabase(url.toString(), quiet);
  return {
    url: url.toString(),
    stop,
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
      await dropQueues(name);
    },
  };
}

/**
 * The database's queues on REDIS_URL (prefixed with its name, see QueueModule): the ingest's
 * receipts wait there for a worker that never runs, ~3,000 keys a run, left behind otherwise.
 */
async function dropQueues(database: string): Promise<void> {
  if (!process.env.REDIS_URL) return;
  const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `mpp:${database}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Samples this process's RSS while `fn` runs; answers the peak in MB. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: Math.round(peak / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

export function machine(): Record<string, string> {
  const commit = (() => {
    try {
      return execSync('git describe --always --dirty', { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  return {
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    database: process.env.DATABASE_URL ? 'DATABASE_URL (server PostgreSQL)' : 'embedded PostgreSQL',
  };
}

export function writeReport(results: ScenarioResult[], quick: boolean): void {
  const info = machine();
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${quick ? ':quick' : ''}\`; every ratio below is measured within this one run (machines here are noisy).`,
    '',
    '| | |',
    '|---|---|',
    ...Object.entries(info).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    'Reproduce: `npm ci && npm run bench` (full) or `npm run bench:quick`. With `DATABASE_URL` set, the',
    'benchmarks create and drop their own databases on that server; without it they use an embedded PostgreSQL.',
    '',
  ];
  if (!quick) lines.push(...besidePreviousRound(results));
  for (const r of results) {
    lines.push(`## ${r.scenario}`, '', r.description, '', '| figure | value | target | met |', '|---|---|---|---|');
    for (const f of r.figures) {
      lines.push(`| ${f.name} | ${f.value} ${f.unit} | ${f.target ?? ''} | ${f.met === undefined ? '' : f.met ? 'yes' : '**no**'} |`);
    }
    if (r.notes?.length) lines.push('', ...r.notes.map((n) => `- ${n}`));
    lines.push('');
  }
  // What the time of the missed targets goes to: profiles, written by hand with their date and commit.
  const profiles = join(__dirname, '..', '..', 'bench', 'profiles.md');
  if (!quick && existsSync(profiles)) lines.push(readFileSync(profiles, 'utf8').trim(), '');
  writeFileSync('docs/benchmarks.md', lines.join('\n'));
  writeFileSync('docs/benchmarks.json', JSON.stringify({ ...info, quick, results }, null, 2) + '\n');
}

/**
 * The first round's figures (bench/previous-round.json, its last full run) beside this run's, figure
 * by figure: a name that changed is mapped to its new name's beginning; a figure measured only in
 * one round is left out. Machines differ by up to 5×, so the ratios within each run are what compare.
 */
const RENAMED: Record<string, string> = {
  'weekly report 2026-W47 (national, JSON): p95': 'weekly report 2026-W47 (national, JSON)',
  'trend, 12 weeks: p95': 'trend, 12 weeks',
  'trend, 52 weeks: p95': 'trend, 52 weeks',
  'weekly report as CSV: p95': 'weekly report as CSV',
  'weekly report of one province (NTT) with its MPP rows: p95': 'province (NTT) with all its MPP rows',
  'API process RSS idle / peak under load': 'default process (API + worker + scheduler) RSS idle / peak under load',
  'time from process start to /health/ready': 'time from process start to /health/ready',
};

function besidePreviousRound(results: ScenarioResult[]): string[] {
  const file = join(__dirname, '..', '..', 'bench', 'previous-round.json');
  if (!existsSync(file)) return [];
  const previous = JSON.parse(readFileSync(file, 'utf8')) as { date: string; results: ScenarioResult[] };
  const current = results.flatMap((r) => r.figures);
  const short = (f: Figure) => `${f.value} ${f.unit.split(' (')[0]}`;
  const rows = previous.results
    .flatMap((r) => r.figures)
    .flatMap((old) => {
      const name = RENAMED[old.name] ?? old.name;
      const now = current.find((f) => f.name === name) ?? current.find((f) => f.name.startsWith(name));
      return now ? [`| ${name} | ${short(old)} | ${short(now)} |`] : [];
    });
  return [
    `## Beside the first round`,
    '',
    `The first round's last full run (${previous.date.slice(0, 10)}, another machine of this kind) and this one, for the figures both measure; ` +
      'the sections below give each figure with its floor or ceiling from this run.',
    '',
    '| figure | first round | this run |',
    '|---|---|---|',
    ...rows,
    '',
  ];
}
