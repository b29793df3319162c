// The largest bucket value: bucketValue gives integers in [0, 10000).
const MAX_BUCKET_VALUE = 9999;

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
 * The index {@link findBucketIndex} gives for every bucket value in `[0, 10000)`, or undefined
 * when it depends on the value. Lets a caller that logs nothing skip hashing for the common
 * allocations that need no hash: a first range reaching the end (a 100% rule), or no traffic.
 *
 * @param ranges - The traffic allocation, in datafile order.
 */
export function constantBucketIndex(ranges: readonly TrafficRange[]): number | undefined {
  const length = ranges.length;
  if (length === 0) return -1;
  const end = ranges[0]!.endOfRange;
  // Written like findBucketIndex's test, so non-number ends coerce the same way.
  if (end > MAX_BUCKET_VALUE) return 0;
  if (length === 1 && !(end > 0)) return -1;
  return undefined;
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
