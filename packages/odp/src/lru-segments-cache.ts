import type { SegmentsCache } from '@flagkit/core';
import { LRUCache } from 'lru-cache';

import {
  DEFAULT_SEGMENTS_CACHE_SIZE,
  DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS,
} from './lru-segments-cache-defaults';

export { DEFAULT_SEGMENTS_CACHE_SIZE, DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS };

/** Options for {@link createLruSegmentsCache}. */
export interface LruSegmentsCacheOptions {
  /** Most users kept; the least recently used goes first. Default 10 000; 0 disables caching. */
  readonly size?: number;
  /** How long an entry stays fresh, in ms. Default 600 000 (10 min); 0 disables caching. */
  readonly timeoutMs?: number;
}

/** A cache that keeps nothing: every lookup misses. Used when size or timeout is 0. */
const NO_CACHE: SegmentsCache = {
  lookup: () => undefined,
  save: () => {},
  reset: () => {},
};

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * The default segments cache: in memory, least recently used, each entry expiring `timeoutMs`
 * after it was saved (reads do not extend it). Synchronous, so a hit costs no promise.
 */
export function createLruSegmentsCache(options: LruSegmentsCacheOptions = {}): SegmentsCache {
  const size = Math.floor(nonNegative(options.size, DEFAULT_SEGMENTS_CACHE_SIZE));
  const timeoutMs = nonNegative(options.timeoutMs, DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS);
  if (size === 0 || timeoutMs === 0) return NO_CACHE;
  const entries = new LRUCache<string, readonly string[]>({ max: size, ttl: timeoutMs });
  return {
    lookup: (key) => entries.get(key),
    save: (key, segments) => {
      entries.set(key, segments);
    },
    reset: () => entries.clear(),
  };
}
