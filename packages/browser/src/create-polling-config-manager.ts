import {
  createPollingConfigManager as createCorePollingConfigManager,
  type PollingConfigManagerOptions,
  type ProjectConfigManager,
} from '@flagkit/core';
import { createFetchRequester } from '@flagkit/edge';

/** Options of the browser's {@link createPollingConfigManager}: the core options, requester optional. */
export type BrowserPollingConfigManagerOptions = Omit<PollingConfigManagerOptions, 'requester'> &
  Partial<Pick<PollingConfigManagerOptions, 'requester'>>;

/**
 * Fetches the datafile from the CDN over `fetch`. As in Optimizely's browser SDK, polling is off by
 * default (`autoUpdate: false`): a page fetches its datafile once; pass `autoUpdate: true` to poll.
 */
export function createPollingConfigManager(
  options: BrowserPollingConfigManagerOptions,
): ProjectConfigManager {
  return createCorePollingConfigManager({
    autoUpdate: false,
    ...options,
    requester: options.requester ?? createFetchRequester(),
  });
}
