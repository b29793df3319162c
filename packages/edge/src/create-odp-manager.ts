import {
  createOdpManager as createCoreOdpManager,
  type FlagKitOdpManager,
  type OdpManagerOptions,
} from '@flagkit/odp';
import { createFetchRequester } from './platform/fetch-requester';

/** Options of the edge {@link createOdpManager}: the ODP options, requester optional. */
export type EdgeOdpManagerOptions = Partial<OdpManagerOptions>;

/** An ODP manager whose requests go over `fetch`. As with events, flush with `waitUntil`. */
export function createOdpManager(options: EdgeOdpManagerOptions = {}): FlagKitOdpManager {
  return createCoreOdpManager({ ...options, requester: options.requester ?? createFetchRequester() });
}
