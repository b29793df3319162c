import type { SegmentsCache } from '@flagkit/core';
import { DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS } from './lru-segments-cache-defaults';
import { wholeNumberOption } from './whole-number-option';

/** Default number of users the small cache keeps: a browser rarely sees more than one. */
export const DEFAULT_SMALL_SEGMENTS_CACHE_SIZE = 100;

/** Options for {@link createSmallSegmentsCache}. */
export interface SmallSegmentsCacheOptions {
  /** Most users kept; the least recently used goes first. Default 100; 0 disables caching. */
  readonly size?: number;
  /** How long an entry stays fresh, in ms. Default 600 000 (10 min); 0 disables caching. */
  readonly timeoutMs?: number;
  /** The clock (for tests); default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A dependency-free LRU + TTL segments cache for small user counts (browsers): a Map in
 * least-recently-used order. Same behaviour as the `lru-cache` default, a fraction of its size.
 */
export function createSmallSegmentsCache(options: SmallSegmentsCacheOptions = {}): SegmentsCache {
  const size = wholeNumberOption(options.size, DEFAULT_SMALL_SEGMENTS_CACHE_SIZE);
  const timeoutMs = wholeNumberOption(options.timeoutMs, DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  // Size 0 or timeout 0 keeps nothing: a saved entry is evicted at once, or expired when looked up.
  const entries = new Map<string, { readonly segments: readonly string[]; readonly expiresAt: number }>();
  return {
    lookup(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry); // most recently used goes last
      return entry.segments;
    },
    save(key, segments) {
      entries.delete(key);
      entries.set(key, { segments, expiresAt: now() + timeoutMs });
      if (entries.size > size) entries.delete(entries.keys().next().value as string);
    },
    reset() {
      entries.clear();
    },
  };
}
