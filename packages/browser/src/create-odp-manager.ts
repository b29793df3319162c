import type { KeyValueStore } from '@flagkit/core';
import { createFetchRequester } from '@flagkit/edge';
import {
  createOdpManager as createCoreOdpManager,
  type FlagKitOdpManager,
  type OdpManagerOptions,
} from '@flagkit/odp';
import { createLocalStorageStore } from './platform/local-storage-store';

/** Options of the browser's {@link createOdpManager}: the ODP options, with the requester optional. */
export interface BrowserOdpManagerOptions extends Partial<OdpManagerOptions> {
  /** Where the VUID is kept when `enableVuid` is on; default localStorage (memory when blocked). */
  readonly vuidStore?: KeyValueStore;
}

/**
 * An ODP manager for browsers: requests over `fetch`; with `enableVuid: true` the visitor id is kept
 * in localStorage under `optimizely-vuid`, so a visitor keeps one VUID across visits.
 */
export function createOdpManager(options: BrowserOdpManagerOptions = {}): FlagKitOdpManager {
  const vuidStore =
    options.vuidStore ??
    (options.enableVuid
      ? createLocalStorageStore(options.logger ? { logger: options.logger } : {})
      : undefined);
  return createCoreOdpManager({
    ...options,
    requester: options.requester ?? createFetchRequester(),
    ...(vuidStore ? { vuidStore } : {}),
  });
}
