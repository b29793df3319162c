// The public API of @flagkit/edge: core's client plus fetch-only factories for Cloudflare Workers,
// Vercel Edge, Deno and other runtimes without DOM or Node APIs.

// Core: the client, decide API, logging, errors, notifications and every port type. Core's index
// is itself the curated list of its public names; `createInstance` is core's own.
export * from '@flagkit/core';
export {
  createBatchEventProcessor,
  type EdgeBatchEventProcessorOptions,
} from './create-batch-event-processor';
export { createOdpManager, type EdgeOdpManagerOptions } from './create-odp-manager';
export {
  createPollingConfigManager,
  type EdgePollingConfigManagerOptions,
} from './create-polling-config-manager';
export {
  createFetchRequester,
  type FetchFunction,
  type FetchRequesterOptions,
} from './platform/fetch-requester';
