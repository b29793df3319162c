import { Client } from './client';
import type { ClientOptions } from './client-options';
import { resolveConfigManager } from './resolve-config-manager';

/**
 * Creates the full client, a drop-in for Optimizely's `createInstance`: the decide API plus
 * Optimizely's pre-decide API (`activate`, `getVariation`, `track`, `isFeatureEnabled`,
 * `getFeatureVariable*`, forced variations) and `getOptimizelyConfig`. Use it when porting code
 * that calls those methods. Code that only uses user contexts and `decide*` can call
 * {@link createDecideClient} instead: same options, and about 2.5 kB gzip (the legacy API and
 * OptimizelyConfig) less in a browser bundle.
 *
 * `createInstance({ datafile })` alone gives a working client; pass a config manager, event
 * processor, ODP manager, user profile service and logger to add polling, events, segments, sticky
 * bucketing and logs.
 */
export function createInstance(options: ClientOptions): Client {
  return new Client({ ...options, projectConfigManager: resolveConfigManager(options) });
}
