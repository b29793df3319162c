/**
 * Throughput of operations that are async, or that need untimed work between runs (draining a
 * queue): `chunk` runs a fixed number of operations and returns the milliseconds that count; it
 * may do more work after it stops its clock. Interleaved rounds and medians as in `measure.ts`.
 */
import {
  collectGarbage,
  median,
  type PerSide,
  type Side,
  type Throughput,
  type TimingOptions,
} from './measure';

/** Runs `size` operations; resolves to the timed milliseconds. */
export type Chunk = (size: number) => Promise<number>;

async function opsPerSecond(chunk: Chunk, size: number, minTimeMs: number): Promise<number> {
  let ops = 0;
  let timed = 0;
  while (timed < minTimeMs) {
    timed += await chunk(size);
    ops += size;
  }
  return (ops * 1000) / timed;
}

/** Measures both sides in interleaved rounds after a warm-up, with a full GC before each measurement. */
export async function compareChunkedThroughput(
  chunks: PerSide<Chunk>,
  size: number,
  options: TimingOptions,
): Promise<PerSide<Throughput>> {
  for (const side of ['flagkit', 'reference'] as const) {
    if (options.warmupMs > 0) await opsPerSecond(chunks[side], size, options.warmupMs);
  }
  const samples: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order: readonly Side[] = round % 2 === 0 ? ['flagkit', 'reference'] : ['reference', 'flagkit'];
    for (const side of order) {
      collectGarbage();
      samples[side].push(await opsPerSecond(chunks[side], size, options.minTimeMs));
    }
  }
  return {
    flagkit: { opsPerSec: median(samples.flagkit), rounds: samples.flagkit },
    reference: { opsPerSec: median(samples.reference), rounds: samples.reference },
  };
}
