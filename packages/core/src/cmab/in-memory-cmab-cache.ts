import type { CmabCache, CmabCacheEntry } from '../ports/cmab-cache';

/** Optimizely's defaults: 10 000 entries, kept for 30 minutes. */
export const DEFAULT_CMAB_CACHE_SIZE = 10_000;
export const DEFAULT_CMAB_CACHE_TTL_MS = 30 * 60 * 1000;

interface Stored {
  readonly entry: CmabCacheEntry;
  readonly expiresAt: number;
}

/**
 * The default CMAB cache: least recently used entries go first once `maxSize` is reached, and an
 * entry older than `ttlMs` is a miss. A Map keeps insertion order, so re-inserting on a hit is
 * what makes the first key the least recently used one.
 */
export class InMemoryCmabCache implements CmabCache {
  readonly #entries = new Map<string, Stored>();
  readonly #maxSize: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(
    maxSize: number = DEFAULT_CMAB_CACHE_SIZE,
    ttlMs: number = DEFAULT_CMAB_CACHE_TTL_MS,
    now: () => number = Date.now,
  ) {
    this.#maxSize = Math.max(1, Math.floor(maxSize) || DEFAULT_CMAB_CACHE_SIZE);
    this.#ttlMs = ttlMs > 0 ? ttlMs : DEFAULT_CMAB_CACHE_TTL_MS;
    this.#now = now;
  }

  lookup(key: string): CmabCacheEntry | undefined {
    const stored = this.#entries.get(key);
    if (stored === undefined) return undefined;
    this.#entries.delete(key);
    if (stored.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, stored);
    return stored.entry;
  }

  save(key: string, entry: CmabCacheEntry): void {
    this.#entries.delete(key);
    this.#entries.set(key, { entry, expiresAt: this.#now() + this.#ttlMs });
    if (this.#entries.size > this.#maxSize) this.#entries.delete(this.#entries.keys().next().value!);
  }

  remove(key: string): void {
    this.#entries.delete(key);
  }

  reset(): void {
    this.#entries.clear();
  }

  /** How many entries are kept (expired ones included until they are looked up). */
  get size(): number {
    return this.#entries.size;
  }
}
