import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvironmentVariables, validateEnvironment } from './env.schema';

export type AppMode = 'all' | 'api' | 'worker';

/** The validated, resolved configuration; injected by class token everywhere. */
export class AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string;
  /** True when DATABASE_URL was absent and the embedded PostgreSQL is serving. */
  embeddedPostgres: boolean;
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  appUrl: string;
  jwt: { secret: string; previousSecret?: string; expiresIn: number };
  admin: { email?: string; password?: string };
  logLevel: string;
  dataDir: string;
  mode: AppMode;
  corsOrigins: string[] | true | false;
  /** What /metrics and /health/ready's detail demand as a bearer token; none: /metrics open outside production. */
  metricsToken?: string;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses (comma-separated). */
  trustProxy: false | number | string;
  smtpPoolSize: number;
  /** Writes per minute per credential and process (0: no limit). */
  writeRateLimit: number;
  notify: { maxAttempts: number; backoffMs: number; concurrency: number; leaseMs: number };
  /** Regencies/cities coverage is counted toward (the ministry's 508; configuration, not code). */
  coverageTarget: number;
  /** The monitoring team's contact, signed under every email. */
  monitoringContact: string;

  get runsApi(): boolean {
    return this.mode !== 'worker';
  }
  get runsWorker(): boolean {
    return this.mode !== 'api';
  }
  get queueBackend(): 'redis' | 'postgres' {
    return this.redisUrl ? 'redis' : 'postgres';
  }
  get mailTransport(): 'smtp' | 'file' {
    return this.smtpUrl ? 'smtp' : 'file';
  }
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return resolve(env.DATA_DIR || './.data');
}

/**
 * Builds the AppConfig from a validated environment. `databaseUrl` is passed in when it was
 * resolved outside the environment (embedded PostgreSQL).
 */
export function buildConfig(env: NodeJS.ProcessEnv, resolved: { databaseUrl?: string } = {}): AppConfig {
  const vars: EnvironmentVariables = validateEnvironment(env);
  const config = new AppConfig();
  config.nodeEnv = (vars.NODE_ENV as AppConfig['nodeEnv']) ?? 'development';
  config.port = vars.PORT ?? 3000;
  config.dataDir = defaultDataDir(env);
  const databaseUrl = vars.DATABASE_URL ?? resolved.databaseUrl;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set and no embedded PostgreSQL was started');
  config.databaseUrl = databaseUrl;
  config.embeddedPostgres = !vars.DATABASE_URL;
  config.redisUrl = vars.REDIS_URL;
  config.smtpUrl = vars.SMTP_URL;
  config.mailFrom = vars.MAIL_FROM ?? 'MPP Monitor <no-reply@mpp-monitor.local>';
  config.appUrl = (vars.APP_URL ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  config.jwt = {
    secret: vars.JWT_SECRET ?? localJwtSecret(config.dataDir),
    previousSecret: vars.JWT_SECRET_PREVIOUS,
    expiresIn: vars.JWT_EXPIRES_IN ?? 8 * 3600,
  };
  config.admin = { email: vars.ADMIN_EMAIL?.toLowerCase(), password: vars.ADMIN_PASSWORD };
  config.logLevel = vars.LOG_LEVEL ?? (config.nodeEnv === 'test' ? 'warn' : 'info');
  config.mode = (vars.APP_MODE as AppMode) ?? 'all';
  config.metricsToken = vars.METRICS_TOKEN;
  config.corsOrigins = !vars.CORS_ORIGINS ? false : vars.CORS_ORIGINS === '*' ? true : vars.CORS_ORIGINS.split(',');
  const trust = vars.TRUST_PROXY ?? 'false';
  // `true` trusted any X-Forwarded-For, so a client could pick its own address: it now means one hop.
  config.trustProxy = trust === 'false' ? false : trust === 'true' ? 1 : /^\d$/.test(trust) ? Number(trust) : trust;
  config.smtpPoolSize = vars.SMTP_POOL_SIZE ?? 5;
  config.writeRateLimit = vars.WRITE_RATE_LIMIT ?? 600;
  config.coverageTarget = vars.COVERAGE_TARGET ?? 508;
  config.monitoringContact = vars.MONITORING_CONTACT ?? 'Kedeputian Bidang Pelayanan Publik, Kementerian PANRB';
  config.notify = {
    maxAttempts: vars.NOTIFY_MAX_ATTEMPTS ?? 8,
    backoffMs: vars.NOTIFY_BACKOFF_MS ?? 30_000,
    concurrency: vars.NOTIFY_CONCURRENCY ?? 10,
    leaseMs: vars.NOTIFY_LEASE_MS ?? 60_000,
  };
  return config;
}

/**
 * Outside production there is still no built-in secret: a random one is generated once per data
 * directory and kept there (mode 600), so tokens survive a restart of the one-box setup.
 */
function localJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'secrets', 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
