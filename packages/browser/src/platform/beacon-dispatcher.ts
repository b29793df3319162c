import type { DispatchResponse, EventDispatcher, LogEvent } from '@flagkit/core';

/**
 * The content type of beacon bodies. `text/plain` is CORS-safelisted, so a cross-origin beacon to
 * logx needs no preflight (which an unloading page could never complete); the body is still JSON.
 */
export const BEACON_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/** The part of `navigator` the beacon dispatcher needs. */
export interface BeaconNavigator {
  sendBeacon(url: string, data: Blob): boolean;
}

/**
 * An {@link EventDispatcher} over `navigator.sendBeacon`, for the last flush of a page (pagehide):
 * the browser delivers the request after the page is gone. "Success" means the browser accepted the
 * beacon; a refused one (no beacon support, over the ~64 KB budget) rejects, so the batch stays
 * pending in the event store and goes out on the next page load.
 */
export function createBeaconDispatcher(nav?: BeaconNavigator): EventDispatcher {
  return {
    dispatchEvent(logEvent: LogEvent): Promise<DispatchResponse> {
      const target = nav ?? (globalThis as { navigator?: Partial<BeaconNavigator> }).navigator;
      if (!target?.sendBeacon) return Promise.reject(new Error('navigator.sendBeacon is not available'));
      const body = new Blob([JSON.stringify(logEvent.params)], { type: BEACON_CONTENT_TYPE });
      // Called as a method: a detached sendBeacon throws "Illegal invocation".
      const accepted = target.sendBeacon(logEvent.url, body);
      return accepted
        ? Promise.resolve({ statusCode: 200 })
        : Promise.reject(new Error('The browser refused the beacon (too large or over its budget)'));
    },
  };
}
