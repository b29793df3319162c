/** One entry of a traffic allocation: values below `endOfRange` (and above the previous entry's) map to `entityId`. */
export interface TrafficRange {
  /** A variation or experiment id; `""` means "no variation". */
  readonly entityId: string;
  /** Exclusive upper bound of the range, in bucket units (`0..10000`). */
  readonly endOfRange: number;
}

/**
 * The entity id of the first range whose `endOfRange` is greater than `value`, or `null` when
 * `value` is past every range. Ranges are walked in order and not assumed to be sorted, as in
 * Optimizely.
 *
 * @param ranges - The traffic allocation, in datafile order.
 * @param value - A bucket value from `bucketValue`.
 */
export function findBucket(ranges: readonly TrafficRange[], value: number): string | null {
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    if (range.endOfRange > value) return range.entityId;
  }
  return null;
}
