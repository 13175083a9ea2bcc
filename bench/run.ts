import { evaluationScenario } from './evaluation.bench';
import { fanOutScenario } from './fanout.bench';
import { reportsScenario } from './reports.bench';
import { ScenarioResult, writeReport } from './support';

/** `npm run bench` (full sizes) / `npm run bench:quick` (small sizes, under 2 minutes). */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const results: ScenarioResult[] = [];
  for (const scenario of [evaluationScenario, fanOutScenario, reportsScenario]) {
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
