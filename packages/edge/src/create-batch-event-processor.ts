import {
  type BatchEventProcessor,
  type BatchEventProcessorOptions,
  createBatchEventProcessor as createCoreBatchEventProcessor,
  createTextRequesterDispatcher,
} from '@flagkit/event-processor';
import { createFetchRequester } from './platform/fetch-requester';

/** Options of the edge {@link createBatchEventProcessor}: the core options, dispatcher optional. */
export type EdgeBatchEventProcessorOptions = Partial<BatchEventProcessorOptions>;

/**
 * A batch event processor for edge runtimes: `fetch` to logx, a 1 s flush interval. An isolate's
 * timers do not outlive the request that woke it, so hand the flush to the platform at the end of
 * each request: `ctx.waitUntil(client.flush())` (Cloudflare Workers) or `waitUntil(client.flush())`
 * (Vercel Edge, from `@vercel/functions`).
 */
export function createBatchEventProcessor(options: EdgeBatchEventProcessorOptions = {}): BatchEventProcessor {
  return createCoreBatchEventProcessor({
    flushInterval: 1_000,
    ...options,
    eventDispatcher: options.eventDispatcher ?? createTextRequesterDispatcher(createFetchRequester()),
  });
}
