import {
  createPollingConfigManager as createCorePollingConfigManager,
  type PollingConfigManagerOptions,
  type ProjectConfigManager,
} from '@flagkit/core';
import { createFetchRequester } from './platform/fetch-requester';

/** Options of the edge {@link createPollingConfigManager}: the core options, requester optional. */
export type EdgePollingConfigManagerOptions = Omit<PollingConfigManagerOptions, 'requester'> &
  Partial<Pick<PollingConfigManagerOptions, 'requester'>>;

/**
 * Fetches the datafile over `fetch`, once by default (`autoUpdate: false`): isolates are
 * short-lived, so keep the client in module scope and it serves many requests from one fetch.
 */
export function createPollingConfigManager(options: EdgePollingConfigManagerOptions): ProjectConfigManager {
  return createCorePollingConfigManager({
    autoUpdate: false,
    ...options,
    requester: options.requester ?? createFetchRequester(),
  });
}
