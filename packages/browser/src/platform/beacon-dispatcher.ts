import { type DispatchResponse, type EventDispatcher, FlagKitError, type LogEvent } from '@flagkit/core';
import { EVENT_NOT_SERIALIZABLE } from '@flagkit/event-processor';

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
      // JSON.stringify, as the page's fetch dispatcher does: FlagKit's own serializer (faster
      // per batch, the same bytes) stays out of browser bundles.
      let text: string;
      try {
        text = JSON.stringify(logEvent.params);
      } catch (cause) {
        // As the fetch dispatcher does: a batch that cannot be JSON is dropped, not retried.
        return Promise.reject(
          new FlagKitError(EVENT_NOT_SERIALIZABLE, `The events cannot be sent as JSON: ${String(cause)}`, {
            cause,
          }),
        );
      }
      const body = new Blob([text], { type: BEACON_CONTENT_TYPE });
      // Called as a method: a detached sendBeacon throws "Illegal invocation".
      const accepted = target.sendBeacon(logEvent.url, body);
      return accepted
        ? Promise.resolve({ statusCode: 200 })
        : Promise.reject(new Error('The browser refused the beacon (too large or over its budget)'));
    },
  };
}
