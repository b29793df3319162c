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

/** Something done to each held client before the heap is measured. */
type ClientUse = (client: BenchClient) => void;

/** Bytes of heap per client while `count` ready clients of `side` are held. */
async function heapPerClient(
  side: Side,
  datafileText: string,
  count: number,
  use?: ClientUse,
): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const held: BenchClient[] = [];
  for (let i = 0; i < count; i++) {
    const client = await readyClient(side, datafileText);
    use?.(client);
    held.push(client);
  }
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
  const samples = await heapSamples(fixture, options);
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

/** One `decideAll` for one user: afterwards every flag has been decided (and, for FlagKit, compiled). */
const decideEveryFlag: ClientUse = (client) => {
  const context = client.createUserContext('heap-user', {});
  consume(Object.keys(context!.decideAll()).length);
};

/**
 * Informational: like scenario 6, but each held client has decided every flag once, so the
 * heap includes what each SDK builds on first use (FlagKit compiles rules lazily).
 */
export async function heapAfterDecideAll(
  fixture: DatafileFixture,
  options: HeapOptions,
): Promise<ScenarioResult> {
  const samples = await heapSamples(fixture, options, decideEveryFlag);
  return scenarioResult({
    id: `heap-after-decide-all-${fixture.flagCount}`,
    title: `heap per client after a decideAll (${fixture.flagCount} flags)`,
    unit: 'bytes/client',
    flagkit: median(samples.flagkit),
    reference: median(samples.reference),
    target: null,
    samples,
  });
}

async function heapSamples(
  fixture: DatafileFixture,
  options: HeapOptions,
  use?: ClientUse,
): Promise<Record<Side, number[]>> {
  if (!gcFunction()) throw new Error('heap scenarios need node --expose-gc');
  for (const side of ['flagkit', 'reference'] as const) {
    const client = await readyClient(side, fixture.text);
    use?.(client);
    await client.close();
  }
  const samples: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order: readonly Side[] = round % 2 === 0 ? ['reference', 'flagkit'] : ['flagkit', 'reference'];
    for (const side of order)
      samples[side].push(await heapPerClient(side, fixture.text, options.clients, use));
  }
  collectGarbage();
  return samples;
}
