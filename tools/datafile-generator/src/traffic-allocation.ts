/**
 * Traffic allocations: ordered `{entityId, endOfRange}` ranges over buckets `[0, 10000)`,
 * with optional partial totals, holes (`entityId: ""`) and references to unknown entities.
 */
import type { TrafficAllocation } from './datafile-types';
import type { Random } from './random';

/** The exclusive upper bound of a bucket value. */
export const MAX_TRAFFIC = 10_000;

/** Knobs for {@link splitTraffic}. */
export interface SplitOptions {
  /** Probability the ranges end below 10000 (the rest of the buckets get nothing). */
  readonly partialShare: number;
  /** Probability of inserting an `entityId: ""` hole between two ranges. */
  readonly holeShare: number;
  /** Probability of one range naming an entity that does not exist. */
  readonly unknownEntityShare: number;
  /** A fresh id that no entity has. */
  readonly unknownId: () => string;
}

/**
 * Splits traffic among `entityIds`, in order. Splits are often even (as the Optimizely UI
 * makes them) and sometimes uneven; a range may be empty.
 */
export function splitTraffic(
  random: Random,
  entityIds: readonly string[],
  options: SplitOptions,
): TrafficAllocation[] {
  if (entityIds.length === 0) return [];
  const total = random.chance(options.partialShare)
    ? random.weighted([
        [3, random.int(1, 99) * 100],
        [1, random.int(1, 9999)],
        [1, 0],
      ])
    : MAX_TRAFFIC;
  const n = entityIds.length;
  let ends: number[];
  if (random.chance(0.6)) {
    ends = entityIds.map((_, i) => Math.round(((i + 1) * total) / n));
  } else {
    ends = entityIds.map(() => random.int(0, total)).sort((a, b) => a - b);
    ends[n - 1] = total;
  }
  const out: TrafficAllocation[] = [];
  let previous = 0;
  ends.forEach((end, i) => {
    let entityId = entityIds[i] as string;
    if (random.chance(options.unknownEntityShare / n)) entityId = options.unknownId();
    if (end - previous > 2 && random.chance(options.holeShare)) {
      // Give the middle of this range to nobody.
      const holeStart = random.int(previous + 1, end - 1);
      out.push({ entityId, endOfRange: holeStart });
      out.push({ entityId: '', endOfRange: random.int(holeStart, end) });
      out.push({ entityId, endOfRange: end });
    } else {
      out.push({ entityId, endOfRange: end });
    }
    previous = end;
  });
  return out;
}
