import type { KeyValueStore } from '@flagkit/core';
import { createFetchRequester } from '@flagkit/edge';
import {
  createOdpManagerWithCache,
  createSmallSegmentsCache,
  type FlagKitOdpManager,
  type OdpManagerOptions,
} from '@flagkit/odp';
import { createLocalStorageStore } from './platform/local-storage-store';

/** Options of the browser's {@link createOdpManager}: the ODP options, with the requester optional. */
export interface BrowserOdpManagerOptions extends Partial<OdpManagerOptions> {
  /** Where the VUID is kept when `enableVuid` is on; default localStorage (memory when blocked). */
  readonly vuidStore?: KeyValueStore;
}

/**
 * An ODP manager for browsers: requests over `fetch`; with `enableVuid: true` the visitor id is kept
 * in localStorage under `optimizely-vuid`, so a visitor keeps one VUID across visits. Segments are
 * cached by a small dependency-free LRU (100 users, 10 minutes) instead of `lru-cache`: a page
 * rarely sees more than one user, and it keeps ~18 kB out of the bundle.
 */
export function createOdpManager(options: BrowserOdpManagerOptions = {}): FlagKitOdpManager {
  const vuidStore =
    options.vuidStore ??
    (options.enableVuid ? createLocalStorageStore({ logger: options.logger }) : undefined);
  // Unused when the options bring a segmentsCache, which the manager prefers.
  const cache = createSmallSegmentsCache({
    size: options.segmentsCacheSize,
    timeoutMs: options.segmentsCacheTimeoutMs,
  });
  return createOdpManagerWithCache(cache, {
    ...options,
    requester: options.requester ?? createFetchRequester(),
    vuidStore,
  });
}
