import { ConsoleLogger, Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigValidationError } from './config/env.schema';
import { describeModes, prepareRuntime } from './runtime';

async function main(): Promise<void> {
  // JSON from the first line on; nestjs-pino takes over once the app exists.
  Logger.overrideLogger(new ConsoleLogger({ json: true, colors: false }));
  const log = new Logger('Main');
  const started = Date.now();
  // The embedded PostgreSQL (if any) stops itself when the process exits (the package's exit hook).
  const { config } = await prepareRuntime();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  log.log(`MPP Monitor listening on :${config.port} (${describeModes(config)}) — ready in ${Date.now() - started} ms`);
}

main().catch((e) => {
  if (e instanceof ConfigValidationError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
