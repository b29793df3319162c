// The public API of @flagkit/odp. Each export is named explicitly so the surface stays visible.

export type { CommonEventData } from './build-odp-event';
export { createOdpManager } from './create-odp-manager';
export { DEFAULT_SEGMENTS_API_TIMEOUT_MS, GraphqlSegmentsClient } from './graphql-segments-client';
export {
  createLruSegmentsCache,
  DEFAULT_SEGMENTS_CACHE_SIZE,
  DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS,
  type LruSegmentsCacheOptions,
} from './lru-segments-cache';
export { type OdpConfig, toOdpConfig } from './odp-config';
export {
  DEFAULT_ODP_EVENT_TYPE,
  ODP_ACTION_CLIENT_INITIALIZED,
  ODP_ACTION_IDENTIFIED,
  type OdpEvent,
  serializeOdpEvents,
} from './odp-event';
export { OdpEventError, type OdpEventField } from './odp-event-error';
export type { OdpEventManagerOptions, OdpEventMetrics } from './odp-event-manager';
export { createOdpManagerWithCache, type FlagKitOdpManager, type OdpManagerOptions } from './odp-manager';
export { OptimizelySegmentOption } from './optimizely-segment-option';
export { segmentsCacheKey } from './segment-manager';
export { SegmentsFetchError, type SegmentsFetchFailure } from './segments-fetch-error';
export { type OdpUserKey, segmentsQueryBody } from './segments-query';
export {
  createSmallSegmentsCache,
  DEFAULT_SMALL_SEGMENTS_CACHE_SIZE,
  type SmallSegmentsCacheOptions,
} from './small-segments-cache';
export { isVuid, makeVuid, VUID_PREFIX, VUID_STORAGE_KEY } from './vuid';
