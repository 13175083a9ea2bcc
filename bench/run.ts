import { releaseReadDatabase } from './read-data';
import { ScenarioResult, writeReport } from './support';

/**
 * Scenarios load lazily, in this order, so the evaluation's peak RSS is not inflated by modules
 * only later scenarios need (the whole app for the HTTP ones).
 */
const SCENARIOS: [string, string][] = [
  ['./evaluation.bench', 'evaluationScenario'],
  ['./ingest.bench', 'ingestScenario'],
  ['./fanout.bench', 'fanOutScenario'],
  ['./reports.bench', 'reportsScenario'],
  ['./public-status.bench', 'publicStatusScenario'],
];

/**
 * `npm run bench` (full sizes) / `npm run bench:quick` (small sizes, under 2 minutes).
 * `BENCH_ONLY=ingest,fanout` runs only the scenarios whose file names contain those words and
 * prints the figures without rewriting docs/ (for working on one of them).
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  const results: ScenarioResult[] = [];
  try {
    for (const [file, name] of SCENARIOS) {
      if (only && !only.some((word) => file.includes(word))) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const scenario = require(file)[name] as (quick: boolean) => Promise<ScenarioResult>;
      const result = await scenario(quick);
      console.log(JSON.stringify(result, null, 2));
      results.push(result);
    }
  } finally {
    await releaseReadDatabase();
  }
  if (only) return;
  writeReport(results, quick);
  console.log('Wrote docs/benchmarks.md and docs/benchmarks.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
