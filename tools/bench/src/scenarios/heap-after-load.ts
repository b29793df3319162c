/**
 * Scenario 6: heap held per loaded client. For each SDK in its own phase: full GC, note
 * `heapUsed`, create and hold K ready clients of the datafile, full GC, note `heapUsed` again;
 * the difference over K is the heap one client keeps. The datafile text is shared by all
 * clients and created beforehand, so it is not counted for either SDK.
 */
import type { DatafileFixture } from '../fixtures';
import { collectGarbage, consume, gcFunction, median, type Side } from '../measure';
import { type BenchClient, readyClient } from '../sdks';
import { HEAP_TARGET, type ScenarioResult, scenarioResult } from './scenario-result';

/** How many clients to hold per measurement, and how many measurements per side. */
export interface HeapOptions {
  readonly clients: number;
  readonly rounds: number;
}

/** Bytes of heap per client while `count` ready clients of `side` are held. */
async function heapPerClient(side: Side, datafileText: string, count: number): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const held: BenchClient[] = [];
  for (let i = 0; i < count; i++) held.push(await readyClient(side, datafileText));
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  consume(held.length);
  for (const client of held) await client.close();
  held.length = 0;
  return (after - before) / count;
}

/**
 * Runs scenario 6. One untimed client of each side is created first so lazily built module
 * state is not counted; then the sides alternate phases. Throws without `--expose-gc`, since
 * the numbers would mean nothing.
 */
export async function heapAfterLoad(fixture: DatafileFixture, options: HeapOptions): Promise<ScenarioResult> {
  if (!gcFunction()) throw new Error('heap-after-load needs node --expose-gc');
  for (const side of ['flagkit', 'reference'] as const) await (await readyClient(side, fixture.text)).close();
  const samples: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order: readonly Side[] = round % 2 === 0 ? ['reference', 'flagkit'] : ['flagkit', 'reference'];
    for (const side of order) samples[side].push(await heapPerClient(side, fixture.text, options.clients));
  }
  collectGarbage();
  return scenarioResult({
    id: `heap-after-load-${fixture.flagCount}`,
    title: `heap per loaded client (${fixture.flagCount} flags, ${options.clients} held)`,
    unit: 'bytes/client',
    flagkit: median(samples.flagkit),
    reference: median(samples.reference),
    target: HEAP_TARGET,
    samples,
  });
}
