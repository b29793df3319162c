import { type HashSuffix, murmurhash3ConcatBucket, murmurhash3SuffixBucket } from './murmurhash3';

/** Bucket values lie in `[0, MAX_TRAFFIC_VALUE)`; traffic allocation ranges end at most here. */
export const MAX_TRAFFIC_VALUE = 10000;

/**
 * The bucket of `bucketingId + entityId` (no separator), in `[0, 10000)`.
 *
 * Computed as `floor(hash × 10000 / 2^32)`. Optimizely computes `floor(hash / 2^32 × 10000)`;
 * both are exact here (`hash × 10000 < 2^53` and dividing by a power of two is exact), so they
 * always agree.
 *
 * @param bucketingId - The user's bucketing id (the user id unless `$opt_bucketing_id` is set).
 * @param entityId - The experiment, rule, holdout or group id.
 * @param preparedId - `entityId` as `prepareHashSuffix` prepared it at datafile load, when it was;
 *   the hash then mixes its words instead of reading the id again.
 */
export function bucketValue(bucketingId: string, entityId: string, preparedId?: HashSuffix): number {
  return preparedId === undefined
    ? murmurhash3ConcatBucket(bucketingId, entityId, MAX_TRAFFIC_VALUE)
    : murmurhash3SuffixBucket(bucketingId, preparedId, MAX_TRAFFIC_VALUE);
}
