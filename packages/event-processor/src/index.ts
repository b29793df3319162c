// The public API of @flagkit/event-processor. Each export is named explicitly.

export {
  BATCH_DEFAULTS,
  BatchEventProcessor,
  type BatchEventProcessorOptions,
  createBatchEventProcessor,
  type FlushOptions,
} from './batch-event-processor';
export { BatchLogEvent, buildLogEvent } from './batch-log-event';
export {
  createKeyValueEventStore,
  createStoreId,
  type EventStore,
  EventStoreFullError,
  isStoreIdOfRun,
  type KeyValueEventStoreOptions,
  type StoredEvent,
} from './event-store';
export {
  createForwardingEventProcessor,
  type ForwardingEventProcessorOptions,
} from './forwarding-event-processor';
export {
  buildLogxBatch,
  endpointForRegion,
  LOGX_ENDPOINTS,
  type LogxBatch,
} from './log-event-builder';
export { serializeLogxBatchBytes } from './log-event-byte-serializer';
export { serializeLogxBatch } from './log-event-serializer';
export {
  DROP_REASONS,
  type DropReason,
  type EventMetricsRecorder,
  type EventMetricsSnapshot,
} from './metrics';
export { InMemoryQueue, type Queue } from './queue';
export {
  createRequesterDispatcher,
  createStringifyRequesterDispatcher,
  createTextRequesterDispatcher,
  EVENT_NOT_SERIALIZABLE,
  type RequesterDispatcherOptions,
} from './requester-dispatcher';
export {
  type BackoffOptions,
  backoffDelay,
  classifyResponse,
  DEFAULT_BACKOFF,
  type DispatchOutcome,
} from './retry';
