import { Logger } from '@nestjs/common';
import { AppConfig, buildConfig, defaultDataDir } from './config/app-config';
import { validateEnvironment } from './config/env.schema';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { prepareDatabase } from './prepare-database';

export interface Runtime {
  config: AppConfig;
  embedded?: EmbeddedPostgresHandle;
}

/**
 * Validates the environment, starts the embedded PostgreSQL when DATABASE_URL is absent, and
 * migrates the database. Shared by `npm start`, `npm run migration:run` and `npm run seed:demo`.
 */
export async function prepareRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const log = new Logger('Runtime');
  const vars = validateEnvironment(env);
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!vars.DATABASE_URL) {
    embedded = await startEmbeddedPostgres(defaultDataDir(env), vars.EMBEDDED_PG_PORT ?? 54329, log);
  }
  try {
    const config = buildConfig(env, { databaseUrl: embedded?.url });
    // With an owner's URL for migrations, the app's own role gets data rights only (docs/operations.md).
    const owner = vars.MIGRATION_DATABASE_URL;
    const appRole = owner ? decodeURIComponent(new URL(config.databaseUrl).username) : undefined;
    await prepareDatabase(owner ?? config.databaseUrl, log, {
      appRole: appRole && appRole !== decodeURIComponent(new URL(owner!).username) ? appRole : undefined,
    });
    return { config, embedded };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

export function describeModes(config: AppConfig): string {
  return [
    `mode=${config.mode} (api=${config.runsApi}, worker+scheduler=${config.runsWorker})`,
    `database=${config.embeddedPostgres ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    `queue=${config.queueBackend === 'redis' ? 'Redis (REDIS_URL)' : 'BullMQ on PostgreSQL'}`,
    `mail=${config.mailTransport === 'smtp' ? 'SMTP (SMTP_URL)' : `.eml files in ${config.dataDir}/mail`}`,
  ].join(', ');
}
