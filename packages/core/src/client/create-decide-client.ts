import type { ClientOptions } from './client-options';
import { DecideClient } from './decide-client';
import { resolveConfigManager } from './resolve-config-manager';

/**
 * Creates a decide-only client: user contexts, `decide`/`decideForKeys`/`decideAll` (and their
 * async forms), `trackEvent` on user contexts, notifications, ODP and the lifecycle
 * (`onReady`/`flush`/`close`). It takes the same options as {@link createInstance} and decides
 * exactly as the full client does, but leaves out Optimizely's pre-decide API and
 * `getOptimizelyConfig`, so a browser bundle carries less code. Choose it for new code written
 * against the decide API; choose `createInstance` when existing code calls `activate`,
 * `getVariation`, `track`, `isFeatureEnabled`, `getFeatureVariable*` or `getOptimizelyConfig`.
 *
 * Events are built by the event processor's `userEventBuilder` (FlagKit's processors carry
 * core's), so a client without a processor bundles no event code. A custom processor passed here
 * must set `userEventBuilder` (to core's `userEventBuilder`); `createInstance` does not need it.
 */
export function createDecideClient(options: ClientOptions): DecideClient {
  return new DecideClient({ ...options, projectConfigManager: resolveConfigManager(options) });
}
