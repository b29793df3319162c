import type { SegmentsCache } from '@flagkit/core';
import type { LRUCache } from 'lru-cache';

import {
  DEFAULT_SEGMENTS_CACHE_SIZE,
  DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS,
} from './lru-segments-cache-defaults';
import { wholeNumberOption } from './whole-number-option';

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

// lru-cache is loaded when the first cache is made, not when this package is imported: it is a
// few milliseconds of a Node entry's cold start. Until it arrives (a fetch takes longer anyway),
// cache calls wait for it, in order, so no save or reset is lost or reordered.
let lruModule: typeof import('lru-cache') | undefined;
let loading: Promise<typeof import('lru-cache')> | undefined;
const loadLru = (): Promise<typeof import('lru-cache')> => {
  loading ??= import('lru-cache').then((module) => {
    lruModule = module;
    return module;
  });
  return loading;
};

/**
 * The default segments cache: in memory, least recently used, each entry expiring `timeoutMs`
 * after it was saved (reads do not extend it). Synchronous once `lru-cache` has loaded, so a hit
 * costs no promise.
 */
export function createLruSegmentsCache(options: LruSegmentsCacheOptions = {}): SegmentsCache {
  const size = wholeNumberOption(options.size, DEFAULT_SEGMENTS_CACHE_SIZE);
  const timeoutMs = wholeNumberOption(options.timeoutMs, DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS);
  if (size === 0 || timeoutMs === 0) return NO_CACHE;
  let entries: LRUCache<string, readonly string[]> | undefined;
  const make = (module: typeof import('lru-cache')) => {
    entries ??= new module.LRUCache<string, readonly string[]>({ max: size, ttl: timeoutMs });
    return entries;
  };
  if (lruModule) make(lruModule);
  else void loadLru().then(make, () => {});
  return {
    lookup: (key) => (entries ? entries.get(key) : loadLru().then((module) => make(module).get(key))),
    save: (key, segments) => {
      if (entries) entries.set(key, segments);
      else
        return loadLru().then((module) => {
          make(module).set(key, segments);
        });
    },
    reset: () => {
      if (entries) entries.clear();
      else return loadLru().then((module) => make(module).clear());
    },
  };
}
