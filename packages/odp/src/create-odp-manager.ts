import { createLruSegmentsCache } from './lru-segments-cache';
import { createOdpManagerWithCache, type FlagKitOdpManager, type OdpManagerOptions } from './odp-manager';

/**
 * The ODP manager: qualified segments for audience targeting and `sendOdpEvent`, for
 * `createInstance({ odpManager })`. Segments are cached in memory by `lru-cache` (10 000 users,
 * 10 minutes; `segmentsCacheSize` / `segmentsCacheTimeoutMs`, 0 disables) unless a
 * `segmentsCache` (e.g. Redis) is given. Config comes from each datafile's `odp` integration.
 */
export function createOdpManager(options: OdpManagerOptions): FlagKitOdpManager {
  return createOdpManagerWithCache(
    options.segmentsCache ??
      createLruSegmentsCache({ size: options.segmentsCacheSize, timeoutMs: options.segmentsCacheTimeoutMs }),
    options,
  );
}
