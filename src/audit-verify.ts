import { ConsoleLogger, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './database/data-source';
import { verifyAuditChain } from './modules/audit/audit-chain';
import { prepareRuntime } from './runtime';

/**
 * `npm run audit:verify`: checks that no audit record was changed or removed since it was written
 * (the hash chain), and names the first broken link. Exit code 0 intact, 1 broken.
 */
async function main(): Promise<number> {
  Logger.overrideLogger(new ConsoleLogger({ json: true, colors: false, logLevels: ['error', 'warn'] }));
  const { config, embedded } = await prepareRuntime();
  const db = new DataSource({ ...dataSourceOptions(config.databaseUrl), extra: { max: 1 } });
  try {
    await db.initialize();
    const report = await verifyAuditChain(db);
    if (!report.firstBroken) {
      console.log(`audit log intact: ${report.records} records, every hash and link holds`);
      return 0;
    }
    const { seq, id, problem } = report.firstBroken;
    console.log(`audit log BROKEN at record seq=${seq} (id ${id}): ${problem.replace('_', ' ')}; records from there on cannot be trusted`);
    return 1;
  } finally {
    await db.destroy().catch(() => undefined);
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`audit:verify failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
