import { ConfigValidationError } from './config/env.schema';
import { StartupError } from './database/embedded-postgres';

/**
 * One line for a failed start: the cause and what to do (never a bare `undefined` or a stack).
 * The exit code is 2 for a bad configuration, 1 otherwise. A composition-root helper shared by
 * `npm start` and `npm run seed:demo`.
 */
export function describeStartupFailure(e: unknown, env: NodeJS.ProcessEnv = process.env): { line: string; exitCode: number } {
  if (e instanceof ConfigValidationError) return { line: e.message, exitCode: 2 };
  if (e instanceof StartupError) return { line: e.message, exitCode: 1 };
  const error = e instanceof Error ? (e as NodeJS.ErrnoException & { address?: string; port?: number }) : undefined;
  const code = error?.code;
  if (code === 'EADDRINUSE' && error?.syscall === 'listen') {
    return {
      line: `Port ${error.port ?? env.PORT ?? 3000} is already in use: stop the other program or set PORT to a free port.`,
      exitCode: 1,
    };
  }
  if (
    env.DATABASE_URL &&
    (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === '28P01' || code === '3D000')
  ) {
    return {
      line: `Cannot use the PostgreSQL named by DATABASE_URL (${safeTarget(env.DATABASE_URL)}): ${error?.message || code}. Start that server or fix DATABASE_URL (unset it to use the embedded PostgreSQL).`,
      exitCode: 1,
    };
  }
  const cause = error ? error.message || error.name || String(code) : String(e);
  return {
    line: `Start-up failed: ${cause.split('\n')[0]}. Fix the cause above and start again (LOG_LEVEL=debug logs more).`,
    exitCode: 1,
  };
}

function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'unparsable URL';
  }
}
