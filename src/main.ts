import { ConsoleLogger, Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { stopAfterApp } from './database/embedded-postgres';
import { describeModes, prepareRuntime } from './runtime';
import { describeStartupFailure } from './startup-failure';

async function main(): Promise<void> {
  // JSON from the first line on; nestjs-pino takes over once the app exists.
  Logger.overrideLogger(new ConsoleLogger({ json: true, colors: false }));
  const log = new Logger('Main');
  const started = Date.now();
  const { config, embedded } = await prepareRuntime();
  const app = await createApp(config);
  // The embedded PostgreSQL (if any) stops once the app has shut down on it.
  if (embedded) stopAfterApp(app, embedded);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  log.log(`MPP Monitor listening on :${config.port} (${describeModes(config)}) — ready in ${Date.now() - started} ms`);
}

main().catch((e) => {
  const { line, exitCode } = describeStartupFailure(e);
  console.error(line);
  process.exit(exitCode);
});
