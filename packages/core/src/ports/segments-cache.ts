/**
 * The ODP segments cache, the contract of Optimizely's custom `segmentsCache`: qualified segments
 * by cache key (`fs_user_id-$-<id>` or `vuid-$-<vuid>`). The default is an in-memory LRU with a TTL;
 * a shared one (Redis) lets several servers reuse each other's fetches.
 *
 * Contract: every method may be sync or async. `lookup` returns undefined/null on a miss or an
 * expired entry. Failures are logged by the caller and treated as a miss.
 */
export interface SegmentsCache {
  lookup(key: string): readonly string[] | null | undefined | Promise<readonly string[] | null | undefined>;
  save(key: string, segments: readonly string[]): void | Promise<void>;
  reset(): void | Promise<void>;
}
