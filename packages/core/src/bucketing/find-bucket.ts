/** One entry of a traffic allocation: values below `endOfRange` (and above the previous entry's) map to `entityId`. */
export interface TrafficRange {
  /** A variation or experiment id; `""` means "no variation". */
  readonly entityId: string;
  /** Exclusive upper bound of the range, in bucket units (`0..10000`). */
  readonly endOfRange: number;
}

/**
 * The index of the first range whose `endOfRange` is greater than `value`, or -1 when `value` is
 * past every range. Ranges are walked in order and not assumed to be sorted, as in Optimizely.
 *
 * @param ranges - The traffic allocation, in datafile order.
 * @param value - A bucket value from `bucketValue`.
 */
export function findBucketIndex(ranges: readonly TrafficRange[], value: number): number {
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i]!.endOfRange > value) return i;
  }
  return -1;
}

/**
 * The entity id of the first range whose `endOfRange` is greater than `value`, or `null` when
 * `value` is past every range (see {@link findBucketIndex}).
 *
 * @param ranges - The traffic allocation, in datafile order.
 * @param value - A bucket value from `bucketValue`.
 */
export function findBucket(ranges: readonly TrafficRange[], value: number): string | null {
  const index = findBucketIndex(ranges, value);
  return index === -1 ? null : ranges[index]!.entityId;
}
