/**
 * Timing helpers: time-based throughput loops, interleaved A/B rounds, medians, and a sink that
 * keeps benchmark results observable so the JIT cannot drop the work being measured.
 */

/**
 * Runs `iterations` operations and returns a number derived from their results (for example
 * how many decisions were enabled). The number is folded into {@link checksum}.
 */
export type Batch = (iterations: number) => number;

/** How long and how often to measure. */
export interface TimingOptions {
  /** Untimed run of each side before the first round, in milliseconds. */
  readonly warmupMs: number;
  /** Minimum timed duration of one measurement, in milliseconds. */
  readonly minTimeMs: number;
  /** Number of interleaved rounds; each round measures every side once. */
  readonly rounds: number;
}

/** The result of one side of a comparison. */
export interface Throughput {
  /** Median operations per second over the rounds. */
  readonly opsPerSec: number;
  /** Operations per second of each round, in the order measured. */
  readonly rounds: readonly number[];
}

/** The two sides of every comparison. */
export type Side = 'flagkit' | 'reference';

/** Per-side values. */
export type PerSide<T> = Readonly<Record<Side, T>>;

let sink = 0;

/** Folds `value` into the running checksum. */
export function consume(value: number): void {
  sink = (sink + value) % 2_147_483_647;
}

/** The running checksum of everything passed to {@link consume}; print it so it stays live. */
export function checksum(): number {
  return sink;
}

/** Milliseconds from a monotonic high-resolution clock. */
export function now(): number {
  return performance.now();
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `global.gc` when node runs with `--expose-gc`, else undefined. */
export function gcFunction(): (() => void) | undefined {
  const candidate: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof candidate === 'function' ? (candidate as () => void) : undefined;
}

/** Runs a full garbage collection a few times (no-op without `--expose-gc`). */
export function collectGarbage(): void {
  const gc = gcFunction();
  if (!gc) return;
  for (let i = 0; i < 3; i++) gc();
}

/**
 * Runs `batch` repeatedly for at least `minTimeMs` and returns operations per second. The batch
 * size grows until one batch takes about 1/20 of the budget, so timer overhead stays negligible.
 */
export function opsPerSecond(batch: Batch, minTimeMs: number): number {
  let size = 1;
  // Calibrate: double the batch until it takes long enough to time reliably.
  const targetBatchMs = Math.max(1, minTimeMs / 20);
  for (;;) {
    const start = now();
    consume(batch(size));
    const elapsed = now() - start;
    if (elapsed >= targetBatchMs || size >= 1 << 24) break;
    size *= 2;
  }
  let ops = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < minTimeMs) {
    consume(batch(size));
    ops += size;
    elapsed = now() - start;
  }
  return (ops * 1000) / elapsed;
}

/** Runs `batch` untimed for about `ms` milliseconds so the JIT can optimise it. */
export function warmUp(batch: Batch, ms: number): void {
  if (ms > 0) opsPerSecond(batch, ms);
}

/**
 * Measures both sides in interleaved rounds: after a warm-up of each, round `r` measures
 * FlagKit first when `r` is even and the reference first when it is odd, with a full GC before
 * every measurement so one side's garbage is not collected on the other's clock.
 */
export function compareThroughput(batches: PerSide<Batch>, options: TimingOptions): PerSide<Throughput> {
  warmUp(batches.flagkit, options.warmupMs);
  warmUp(batches.reference, options.warmupMs);
  const samples: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order: readonly Side[] = round % 2 === 0 ? ['flagkit', 'reference'] : ['reference', 'flagkit'];
    for (const side of order) {
      collectGarbage();
      samples[side].push(opsPerSecond(batches[side], options.minTimeMs));
    }
  }
  return {
    flagkit: { opsPerSec: median(samples.flagkit), rounds: samples.flagkit },
    reference: { opsPerSec: median(samples.reference), rounds: samples.reference },
  };
}
