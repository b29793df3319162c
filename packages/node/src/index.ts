// The public API of @flagkit/node: the Node entrypoint, plus everything a Node user needs from
// core, event-processor and odp, so one import is enough. Each export is named explicitly.

// Core: the client, decide API, config managers, logging, errors, notifications and every port
// type. Core's index is itself the curated list of its public names.
export * from '@flagkit/core';
// Events: the processors and their parts, to tune or replace the defaults.
export {
  BatchEventProcessor,
  type BatchEventProcessorOptions,
  buildLogEvent,
  createBatchEventProcessor,
  createForwardingEventProcessor,
  createKeyValueEventStore,
  createRequesterDispatcher,
  DROP_REASONS,
  type DropReason,
  type EventMetricsRecorder,
  type EventMetricsSnapshot,
  type EventStore,
  type ForwardingEventProcessorOptions,
  InMemoryQueue,
  type KeyValueEventStoreOptions,
  LOGX_ENDPOINTS,
  type Queue,
  type RequesterDispatcherOptions,
} from '@flagkit/event-processor';
// ODP: Real-Time Segments, sendOdpEvent, VUIDs.
export {
  createLruSegmentsCache,
  createOdpManager,
  type FlagKitOdpManager,
  type LruSegmentsCacheOptions,
  OdpEventError,
  type OdpManagerOptions,
  OptimizelySegmentOption,
  SegmentsFetchError,
  type SegmentsFetchFailure,
} from '@flagkit/odp';
// The Node entrypoint itself.
export {
  createInstance,
  NODE_CLIENT_NAME,
  NODE_EVENT_FLUSH_INTERVAL_MS,
  type NodeClient,
  type NodeClientOptions,
} from './create-instance';
export {
  createUndiciRequester,
  type NodeRequester,
  type UndiciRequesterOptions,
} from './platform/undici-requester';
