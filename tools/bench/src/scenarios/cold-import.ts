/**
 * Cold import of the Node entry: a fresh `node` process per sample measures `await import(entry)`,
 * so module loading, parsing and top-level work are all counted and nothing is cached in memory.
 * Samples alternate between the SDKs; the median is the headline.
 */
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../measure';
import { type ScenarioResult, scenarioResult } from './scenario-result';

const ENTRIES = { flagkit: '@flagkit/node', reference: '@optimizely/optimizely-sdk' } as const;
// Bare specifiers resolve from this package, which depends on both.
const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** The bar: 15 ms, against the reference's ~54 ms measured in peers.md. */
export const COLD_IMPORT_TARGET_MS = 15;

function importMs(specifier: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  });
  return Number(out);
}

export function coldImportNode(runs: number): ScenarioResult {
  const samples = { flagkit: [] as number[], reference: [] as number[] };
  // One untimed import each, so the file system cache is warm for both.
  importMs(ENTRIES.flagkit);
  importMs(ENTRIES.reference);
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? (['flagkit', 'reference'] as const) : (['reference', 'flagkit'] as const);
    for (const side of order) samples[side].push(importMs(ENTRIES[side]));
  }
  const flagkit = median(samples.flagkit);
  const reference = median(samples.reference);
  return scenarioResult({
    id: 'cold-import-node',
    title: `cold import of the Node entry (fresh process; target <= ${COLD_IMPORT_TARGET_MS} ms)`,
    unit: 'ms',
    flagkit,
    reference,
    // Expressed against the reference so the table can show it; the absolute bar is in the title.
    target: { kind: 'at-most', ratio: COLD_IMPORT_TARGET_MS / Math.max(reference, COLD_IMPORT_TARGET_MS) },
    samples,
  });
}
