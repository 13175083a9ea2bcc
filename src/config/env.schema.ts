import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';

const URL_OF = (...schemes: string[]) => new RegExp(`^(${schemes.join('|')})://[^\\s]+$`);

/** Every environment variable the app reads, validated once at boot (names are part of the contract). */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Matches(URL_OF('postgres', 'postgresql'), { message: 'DATABASE_URL must be postgres://user:pass@host:port/db' })
  DATABASE_URL?: string;

  /** The schema owner's connection, for migrations only; the app then runs as DATABASE_URL's role with data rights only. */
  @IsOptional()
  @Matches(URL_OF('postgres', 'postgresql'), { message: 'MIGRATION_DATABASE_URL must be postgres://user:pass@host:port/db' })
  MIGRATION_DATABASE_URL?: string;

  @IsOptional()
  @Matches(URL_OF('redis', 'rediss'), { message: 'REDIS_URL must be redis://host:port' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(URL_OF('smtp', 'smtps'), { message: 'SMTP_URL must be smtp://[user:pass@]host:port' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(3)
  MAIL_FROM?: string;

  @IsOptional()
  @Matches(URL_OF('http', 'https'), { message: 'APP_URL must be an http(s) URL' })
  APP_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Previous secret still accepted for verification while tokens signed with it expire (rotation). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET_PREVIOUS must be at least 32 characters' })
  JWT_SECRET_PREVIOUS?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_EXPIRES_IN?: number;

  @IsOptional()
  @IsEmail({ require_tld: false })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  @MaxLength(256)
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  /** all = API + worker + scheduler in one process; api / worker for scale-out. */
  @IsOptional()
  @IsIn(['all', 'api', 'worker'])
  APP_MODE?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  /**
   * Behind reverse proxies: how many (`1`, `2` …) or which addresses (`10.0.0.0/8,127.0.0.1`) to
   * trust for X-Forwarded-For and X-Request-Id. `true` means one proxy; `false` (default) none.
   */
  @IsOptional()
  @Matches(/^(true|false|[1-9]|(?:[0-9a-fA-F.:]+(?:\/\d{1,3})?)(?:\s*,\s*[0-9a-fA-F.:]+(?:\/\d{1,3})?)*)$/, {
    message: 'must be false, a number of proxies (1-9), or a comma-separated list of proxy addresses or CIDR ranges',
  })
  TRUST_PROXY?: string;

  /** Coverage denominator: the ministry's count of autonomous regencies/cities (DOMAIN.md: 508 = 514 less DKI's six administrative ones). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  COVERAGE_TARGET?: number;

  /** Who officials contact about the monitoring, under "Hormat kami, Tim Pemantauan MPP" in every email (emails are not to be replied to). */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  MONITORING_CONTACT?: string;

  /** Delivery attempts per email before it is `dead` (visible, retryable by an admin). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  NOTIFY_MAX_ATTEMPTS?: number;

  /** First retry delay; each further retry doubles it (30 s → 1 min → 2 min …). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(3_600_000)
  NOTIFY_BACKOFF_MS?: number;

  /** Emails sent at once by one worker process. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  NOTIFY_CONCURRENCY?: number;

  /** How long a sender's claim on an email lasts before another worker may take it over. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  NOTIFY_LEASE_MS?: number;

  /** Pooled SMTP connections per worker process. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  SMTP_POOL_SIZE?: number;

  /** Writes (POST/PUT/PATCH/DELETE) one credential may make per minute, per process; 0 turns the limit off. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  WRITE_RATE_LIMIT?: number;

  /** Bearer token that /metrics and the detail of /health/ready demand (Prometheus' `authorization`). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/, { message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins' })
  CORS_ORIGINS?: string;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Validates the environment and answers every problem at once, naming each bad variable. */
export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const known = Object.fromEntries(Object.keys(new EnvironmentVariablesKeys()).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const vars = plainToInstance(EnvironmentVariables, known);
  const problems = validateSync(vars, { stopAtFirstError: true }).flatMap((e) =>
    Object.values(e.constraints ?? {}).map((msg) => `${e.property}: ${msg}`),
  );
  if (vars.NODE_ENV === 'production') {
    if (!vars.JWT_SECRET) problems.push('JWT_SECRET: required when NODE_ENV=production (at least 32 random characters)');
    else if (isWeakSecret(vars.JWT_SECRET))
      problems.push('JWT_SECRET: too weak (use at least 32 random characters, e.g. `openssl rand -base64 48`)');
    if (vars.APP_URL === undefined) problems.push('APP_URL: required when NODE_ENV=production (links in emails use it)');
    if (vars.CORS_ORIGINS === '*') problems.push('CORS_ORIGINS: "*" is not allowed when NODE_ENV=production (list the origins)');
  }
  if (problems.length) throw new ConfigValidationError(problems);
  return vars;
}

function isWeakSecret(secret: string): boolean {
  const distinct = new Set(secret).size;
  return distinct < 12 || /^(changeme|secret|password|example)/i.test(secret);
}

/** Lists the variable names so that only those are read (and unknown ones ignored). */
class EnvironmentVariablesKeys {
  NODE_ENV = 0;
  PORT = 0;
  DATABASE_URL = 0;
  MIGRATION_DATABASE_URL = 0;
  REDIS_URL = 0;
  SMTP_URL = 0;
  MAIL_FROM = 0;
  APP_URL = 0;
  JWT_SECRET = 0;
  JWT_SECRET_PREVIOUS = 0;
  JWT_EXPIRES_IN = 0;
  ADMIN_EMAIL = 0;
  ADMIN_PASSWORD = 0;
  LOG_LEVEL = 0;
  DATA_DIR = 0;
  APP_MODE = 0;
  EMBEDDED_PG_PORT = 0;
  CORS_ORIGINS = 0;
  METRICS_TOKEN = 0;
  TRUST_PROXY = 0;
  COVERAGE_TARGET = 0;
  MONITORING_CONTACT = 0;
  NOTIFY_MAX_ATTEMPTS = 0;
  NOTIFY_BACKOFF_MS = 0;
  NOTIFY_CONCURRENCY = 0;
  NOTIFY_LEASE_MS = 0;
  SMTP_POOL_SIZE = 0;
  WRITE_RATE_LIMIT = 0;
}
