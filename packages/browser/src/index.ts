// The public API of @flagkit/browser: core's client plus factories with browser defaults, in the
// shape of Optimizely's v6 browser entry. Only what an app imports ends up in its bundle:
// `createInstance({ datafile })` alone carries no event, ODP or polling code.

// Core: the client, decide API, logging, errors, notifications and every port type. Core's index
// is itself the curated list of its public names; `createInstance` is core's own.
export * from '@flagkit/core';
// The same fetch-based, fetch-once-by-default manager as the edge entry (Optimizely's browser
// SDK also defaults to `autoUpdate: false`; pass `autoUpdate: true` to poll).
export {
  createFetchRequester,
  createPollingConfigManager,
  type EdgePollingConfigManagerOptions as BrowserPollingConfigManagerOptions,
  type FetchRequesterOptions,
} from '@flagkit/edge';
export {
  BatchEventProcessor,
  type BatchEventProcessorOptions,
  buildLogEvent,
  createForwardingEventProcessor,
  createKeyValueEventStore,
  createRequesterDispatcher,
  createStringifyRequesterDispatcher,
  DROP_REASONS,
  type DropReason,
  type EventMetricsRecorder,
  type EventMetricsSnapshot,
  type EventStore,
  InMemoryQueue,
  LOGX_ENDPOINTS,
  type Queue,
} from '@flagkit/event-processor';
export {
  createLruSegmentsCache,
  type FlagKitOdpManager,
  OdpEventError,
  type OdpManagerOptions,
  OptimizelySegmentOption,
  SegmentsFetchError,
} from '@flagkit/odp';
// The browser's own factories and platform parts.
export {
  BROWSER_EVENT_FLUSH_INTERVAL_MS,
  BROWSER_EVENT_STORE_MAX_SIZE,
  BROWSER_EVENT_STORE_TTL_MS,
  type BrowserBatchEventProcessorOptions,
  type BrowserEventProcessor,
  createBatchEventProcessor,
} from './create-batch-event-processor';
export { type BrowserOdpManagerOptions, createOdpManager } from './create-odp-manager';
export {
  type CrossTabEventStore,
  type CrossTabEventStoreOptions,
  createCrossTabEventStore,
} from './cross-tab-event-store';
export { onPageHide, type PageLifecycleHandler, type PageShowHandler } from './page-lifecycle';
export {
  BEACON_CONTENT_TYPE,
  type BeaconNavigator,
  createBeaconDispatcher,
} from './platform/beacon-dispatcher';
export {
  createLocalStorageStore,
  type LocalStorageStore,
  type LocalStorageStoreOptions,
  type WebStorageLike,
} from './platform/local-storage-store';
