/**
 * Cold start: what an application's first request pays. A fresh `node` process per sample
 * imports the SDK and reads the datafile (untimed), then times `createInstance` + `onReady()` and
 * the first `decideAll()` that follows it. Nothing is JIT-compiled yet, so this measures the code
 * as the interpreter runs it, which the in-process load scenario (warm, after warm-up loads)
 * does not. Informational: the load target is the in-process one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatafileFixture } from '../fixtures';
import { median, type Side } from '../measure';
import { sidesInTurn } from './load-time';
import { type ScenarioResult, scenarioResult } from './scenario-result';

// Bare specifiers resolve from this package, which depends on both SDKs.
const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** Module source that builds a client of each side from the JSON text `text`. */
const CLIENT_OF: Record<Side, string> = {
  flagkit: `const { createInstance } = await import('@flagkit/core');
const client = () => createInstance({ datafile: text });`,
  reference: `const sdk = await import('@optimizely/optimizely-sdk');
const client = () => sdk.createInstance({
  projectConfigManager: sdk.createStaticProjectConfigManager({ datafile: text }),
});`,
};

function script(side: Side, datafilePath: string): string {
  return `import { readFileSync } from 'node:fs';
const text = readFileSync(${JSON.stringify(datafilePath)}, 'utf8');
${CLIENT_OF[side]}
const start = performance.now();
const c = client();
await c.onReady();
const ready = performance.now();
const decisions = c.createUserContext('first-user', {}).decideAll();
const decided = performance.now();
if (Object.keys(decisions).length === 0) throw new Error('no decisions');
process.stdout.write(JSON.stringify({ load: ready - start, total: decided - start }));
await c.close();`;
}

interface ColdSample {
  readonly load: number;
  readonly total: number;
}

function coldSample(side: Side, datafilePath: string): ColdSample {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script(side, datafilePath)], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  });
  return JSON.parse(out) as ColdSample;
}

/** Runs the cold-start scenario: `runs` fresh processes per side, taking turns. */
export function coldStart(fixture: DatafileFixture, runs: number): ScenarioResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'flagkit-cold-start-'));
  try {
    const path = join(dir, 'datafile.json');
    writeFileSync(path, fixture.text);
    const load = { flagkit: [] as number[], reference: [] as number[] };
    const total = { flagkit: [] as number[], reference: [] as number[] };
    // One untimed run each, so the file system cache is warm for both.
    coldSample('flagkit', path);
    coldSample('reference', path);
    for (let i = 0; i < runs; i++) {
      for (const side of sidesInTurn(i)) {
        const sample = coldSample(side, path);
        load[side].push(sample.load);
        total[side].push(sample.total);
      }
    }
    const n = fixture.flagCount;
    return [
      scenarioResult({
        id: `cold-start-load-${n}`,
        title: `cold process: createInstance+onReady (${n} flags)`,
        unit: 'ms',
        flagkit: median(load.flagkit),
        reference: median(load.reference),
        target: null,
        samples: load,
      }),
      scenarioResult({
        id: `cold-start-first-decide-all-${n}`,
        title: `cold process: load + first decideAll (${n} flags)`,
        unit: 'ms',
        flagkit: median(total.flagkit),
        reference: median(total.reference),
        target: null,
        samples: total,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
