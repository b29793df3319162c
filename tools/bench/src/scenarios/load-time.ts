/**
 * Scenario 5: datafile load time. Both SDKs do the same work an application does at start-up:
 * create a client from the datafile JSON text and wait for `onReady()`. FlagKit's bare
 * `createProjectConfig(text)` is reported too, for information, and so are loads timed back to
 * back, each paying for the garbage of the ones before it (no full GC in between).
 */
import { createProjectConfig } from '@flagkit/core';
import type { DatafileFixture } from '../fixtures';
import { collectGarbage, consume, median, now, type Side } from '../measure';
import { CLIENT_FACTORIES } from '../sdks';
import { LOAD_TIME_TARGET, type ScenarioResult, scenarioResult } from './scenario-result';

/** How many loads to time per side, after how many untimed ones. */
export interface LoadTimeOptions {
  readonly runs: number;
  readonly warmupRuns: number;
}

/** Milliseconds from `createInstance` to a resolved `onReady()`; the client is closed afterwards (untimed). */
async function timeOneLoad(side: Side, datafileText: string): Promise<number> {
  const start = now();
  const client = CLIENT_FACTORIES[side](datafileText);
  await client.onReady();
  const elapsed = now() - start;
  await client.close();
  return elapsed;
}

/**
 * Milliseconds from `createInstance` to the end of a first `decideAll()` for one user: load time
 * plus whatever an SDK leaves for first use (FlagKit compiles rules on a flag's first decision).
 */
async function timeLoadAndDecideAll(side: Side, datafileText: string): Promise<number> {
  const start = now();
  const client = CLIENT_FACTORIES[side](datafileText);
  await client.onReady();
  const decisions = client.createUserContext('first-user', {})!.decideAll();
  const elapsed = now() - start;
  consume(Object.keys(decisions).length);
  await client.close();
  return elapsed;
}

/** Loads per back-to-back block, after one untimed load. */
const BLOCK_LOADS = 10;

/**
 * Mean milliseconds of `BLOCK_LOADS` loads of one side in a row, with no collection forced
 * between them: garbage a load leaves (its closed client, its parse) is collected during the
 * loads that follow, as in an application that reloads its datafile.
 */
async function timeBackToBack(side: Side, datafileText: string): Promise<number> {
  await timeOneLoad(side, datafileText);
  const start = now();
  for (let i = 0; i < BLOCK_LOADS; i++) await timeOneLoad(side, datafileText);
  return (now() - start) / BLOCK_LOADS;
}

/** Which side goes first in round `i`: they take turns. */
export function sidesInTurn(i: number): readonly Side[] {
  return i % 2 === 0 ? ['flagkit', 'reference'] : ['reference', 'flagkit'];
}

/** Milliseconds for FlagKit's `createProjectConfig(text)` alone. */
function timeOneParse(datafileText: string): number {
  const start = now();
  const config = createProjectConfig(datafileText);
  const elapsed = now() - start;
  consume(config.flags.length);
  return elapsed;
}

/**
 * Runs scenario 5: warm-up loads of each side, then `runs` timed loads per side, alternating
 * which side goes first, with a full GC before each so no load pays for another's garbage.
 */
export async function loadTime(
  fixture: DatafileFixture,
  options: LoadTimeOptions,
): Promise<ScenarioResult[]> {
  const text = fixture.text;
  for (let i = 0; i < options.warmupRuns; i++) {
    await timeOneLoad('flagkit', text);
    await timeOneLoad('reference', text);
    await timeLoadAndDecideAll('flagkit', text);
    await timeLoadAndDecideAll('reference', text);
    timeOneParse(text);
  }
  const samples: Record<Side, number[]> = { flagkit: [], reference: [] };
  const firstUseSamples: Record<Side, number[]> = { flagkit: [], reference: [] };
  const parseSamples: number[] = [];
  const blockSamples: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let run = 0; run < options.runs; run++) {
    const order = sidesInTurn(run);
    for (const side of order) {
      collectGarbage();
      samples[side].push(await timeOneLoad(side, text));
    }
    for (const side of order) {
      collectGarbage();
      firstUseSamples[side].push(await timeLoadAndDecideAll(side, text));
    }
    collectGarbage();
    parseSamples.push(timeOneParse(text));
  }
  // A block costs as much as BLOCK_LOADS loads, so fewer of them: a third of the runs.
  for (let block = 0; block < Math.max(3, Math.ceil(options.runs / 3)); block++) {
    for (const side of sidesInTurn(block)) {
      collectGarbage();
      blockSamples[side].push(await timeBackToBack(side, text));
    }
  }
  const kb = Math.round(fixture.bytes / 1024);
  return [
    scenarioResult({
      id: `load-time-${fixture.flagCount}`,
      title: `load: createInstance+onReady (${fixture.flagCount} flags, ${kb} KB)`,
      unit: 'ms',
      flagkit: median(samples.flagkit),
      reference: median(samples.reference),
      target: LOAD_TIME_TARGET,
      samples,
    }),
    scenarioResult({
      id: `load-and-decide-all-${fixture.flagCount}`,
      title: `load + first decideAll (${fixture.flagCount} flags)`,
      unit: 'ms',
      flagkit: median(firstUseSamples.flagkit),
      reference: median(firstUseSamples.reference),
      target: null,
      samples: firstUseSamples,
    }),
    scenarioResult({
      id: `load-back-to-back-${fixture.flagCount}`,
      title: `load, ${BLOCK_LOADS} back to back, no GC between (${fixture.flagCount} flags)`,
      unit: 'ms',
      flagkit: median(blockSamples.flagkit),
      reference: median(blockSamples.reference),
      target: null,
      samples: blockSamples,
    }),
    scenarioResult({
      id: `parse-time-${fixture.flagCount}`,
      title: `load: createProjectConfig only (${fixture.flagCount} flags)`,
      unit: 'ms',
      flagkit: median(parseSamples),
      reference: null,
      target: null,
      samples: { flagkit: parseSamples },
    }),
  ];
}
