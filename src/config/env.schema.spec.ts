import { buildConfig } from './app-config';
import { ConfigValidationError, validateEnvironment } from './env.schema';

const STRONG = 'Zq8v3LrT0pWm6xYk2NcHs9JbEfGa4UdR';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    validateEnvironment(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
}

describe('environment validation', () => {
  it('accepts an empty environment (embedded defaults)', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('counts coverage toward 508 by default, or the configured target (DOMAIN.md: configuration, not code)', () => {
    expect(buildConfig({ DATABASE_URL: 'postgres://u@h/db_test' }).coverageTarget).toBe(508);
    expect(buildConfig({ DATABASE_URL: 'postgres://u@h/db_test', COVERAGE_TARGET: '514' }).coverageTarget).toBe(514);
    expect(problemsOf({ COVERAGE_TARGET: '0' })).toEqual([expect.stringContaining('COVERAGE_TARGET')]);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://r',
      SMTP_URL: 'smtp:/x',
      APP_URL: 'ftp://a',
      LOG_LEVEL: 'loud',
      APP_MODE: 'both',
      ADMIN_EMAIL: 'not-an-email',
      ADMIN_PASSWORD: 'short',
      JWT_SECRET: 'tiny',
    });
    const named = problems.map((p) => p.split(':')[0]).sort();
    expect(named).toEqual(
      [
        'ADMIN_EMAIL',
        'ADMIN_PASSWORD',
        'APP_MODE',
        'APP_URL',
        'DATABASE_URL',
        'JWT_SECRET',
        'LOG_LEVEL',
        'PORT',
        'REDIS_URL',
        'SMTP_URL',
      ].sort(),
    );
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '0'],
    ['NODE_ENV', 'staging'],
    ['EMBEDDED_PG_PORT', '-1'],
    ['JWT_EXPIRES_IN', '5'],
    ['CORS_ORIGINS', 'javascript:alert(1)'],
    ['WRITE_RATE_LIMIT', '-5'],
  ])('refuses %s=%s', (name, value) => {
    expect(problemsOf({ [name]: value }).some((p) => p.startsWith(`${name}:`))).toBe(true);
  });

  it('refuses CORS for every origin in production', () => {
    expect(
      problemsOf({ NODE_ENV: 'production', APP_URL: 'https://a.go.id', JWT_SECRET: 'k8J2mQ9xZ4vB7nL1pR6tY3wE5uI0oA2s', CORS_ORIGINS: '*' }),
    ).toEqual([expect.stringMatching(/^CORS_ORIGINS: "\*" is not allowed/)]);
  });

  it('refuses production without a JWT_SECRET', () => {
    expect(problemsOf({ NODE_ENV: 'production', APP_URL: 'https://mpp.example.go.id' })).toEqual([
      expect.stringMatching(/^JWT_SECRET: required when NODE_ENV=production/),
    ]);
  });

  it('refuses production with a weak JWT_SECRET', () => {
    expect(problemsOf({ NODE_ENV: 'production', APP_URL: 'https://a.go.id', JWT_SECRET: 'changeme'.repeat(5) })).toEqual([
      expect.stringMatching(/^JWT_SECRET: too weak/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', APP_URL: 'https://a.go.id', JWT_SECRET: 'a'.repeat(40) })).toEqual([
      expect.stringMatching(/^JWT_SECRET: too weak/),
    ]);
  });

  it('accepts production with a strong secret', () => {
    expect(problemsOf({ NODE_ENV: 'production', APP_URL: 'https://a.go.id', JWT_SECRET: STRONG })).toEqual([]);
  });

  it('resolves defaults and modes', () => {
    const config = buildConfig({
      DATABASE_URL: 'postgres://u@h/db_test',
      JWT_SECRET: STRONG,
      APP_MODE: 'worker',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config).toMatchObject({ port: 3000, mode: 'worker', embeddedPostgres: false, appUrl: 'http://localhost:3000' });
    expect(config.runsApi).toBe(false);
    expect(config.runsWorker).toBe(true);
    expect(config.queueBackend).toBe('redis');
    expect(config.mailTransport).toBe('file');
  });
});
