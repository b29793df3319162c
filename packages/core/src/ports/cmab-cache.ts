/** What the CMAB cache keeps for one user and rule. */
export interface CmabCacheEntry {
  /** Hash of the attributes the prediction was made for; another hash means the entry is stale. */
  readonly attributesHash: string;
  readonly variationId: string;
  readonly cmabUuid: string;
}

/**
 * Where CMAB predictions are kept between calls. The default is in memory (LRU, with a TTL);
 * a shared store (Redis, a KV) can stand in. Methods may return promises.
 */
export interface CmabCache {
  lookup(key: string): CmabCacheEntry | undefined | Promise<CmabCacheEntry | undefined>;
  save(key: string, entry: CmabCacheEntry): void | Promise<void>;
  remove(key: string): void | Promise<void>;
  /** Forgets every entry. */
  reset(): void | Promise<void>;
}
