/**
 * Bundle size: each import set bundled for browsers by esbuild (ESM, minified, dependencies
 * included) for both SDKs in this run; gzip -9 is the headline, brotli is in the JSON samples.
 * The budgets are FlagKit's absolute gzip limits (`tools/size`); sets without one are informational.
 */
import { measureImportSets } from '@flagkit/size/measure-import-sets';
import { type ScenarioResult, scenarioResult } from './scenario-result';

export async function bundleSizes(): Promise<ScenarioResult[]> {
  const rows = await measureImportSets();
  return rows.map(({ set, flagkit, reference }) =>
    scenarioResult({
      id: `size-${set.id}`,
      title:
        set.gzipBudget === undefined
          ? `bundle gzip: ${set.title}`
          : `bundle gzip: ${set.title} (budget <= ${(set.gzipBudget / 1000).toFixed(0)} kB)`,
      unit: 'bytes',
      flagkit: flagkit.gzip,
      reference: reference.gzip,
      // As a ratio, so the table can show it: passing means FlagKit's gzip is within its budget.
      target:
        set.gzipBudget === undefined ? null : { kind: 'at-most', ratio: set.gzipBudget / reference.gzip },
      samples: {
        flagkit: [flagkit.minified, flagkit.gzip, flagkit.brotli],
        reference: [reference.minified, reference.gzip, reference.brotli],
      },
    }),
  );
}
