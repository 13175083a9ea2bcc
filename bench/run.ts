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
];

/** `npm run bench` (full sizes) / `npm run bench:quick` (small sizes, under 2 minutes). */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const results: ScenarioResult[] = [];
  for (const [file, name] of SCENARIOS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const scenario = require(file)[name] as (quick: boolean) => Promise<ScenarioResult>;
    const result = await scenario(quick);
    console.log(JSON.stringify(result, null, 2));
    results.push(result);
  }
  writeReport(results, quick);
  console.log('Wrote docs/benchmarks.md and docs/benchmarks.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
