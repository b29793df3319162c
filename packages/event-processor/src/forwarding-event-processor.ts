import type { EventDispatcher } from '@flagkit/core';
import { BatchEventProcessor, type BatchEventProcessorOptions } from './batch-event-processor';

/** Options of {@link createForwardingEventProcessor}: the batch options without batching. */
export type ForwardingEventProcessorOptions = Omit<
  BatchEventProcessorOptions,
  'eventDispatcher' | 'batchSize'
>;

/**
 * One request per event, sent as soon as it is processed. Unlike Optimizely's forwarding
 * processor it keeps the batch processor's guarantees: retries, pending events, the event store,
 * metrics and a bounded close. It is the batch processor with a batch size of one.
 */
export function createForwardingEventProcessor(
  eventDispatcher: EventDispatcher,
  options: ForwardingEventProcessorOptions = {},
): BatchEventProcessor {
  return new BatchEventProcessor({ ...options, eventDispatcher, batchSize: 1 });
}
