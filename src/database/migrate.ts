import { ConsoleLogger, Logger } from '@nestjs/common';
import { prepareRuntime } from '../runtime';

/** `npm run migration:run`: applies migrations and reference data, then exits (the app does the same at start). */
async function main(): Promise<void> {
  Logger.overrideLogger(new ConsoleLogger({ json: true, colors: false }));
  const { embedded } = await prepareRuntime();
  await embedded?.stop();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
