import type { EventDispatcher, HttpResponse, Requester } from '@flagkit/core';
import { createStringifyRequesterDispatcher } from '@flagkit/event-processor';

/**
 * The content type of beacon bodies. `text/plain` is CORS-safelisted, so a cross-origin beacon to
 * logx needs no preflight (which an unloading page could never complete); the body is still JSON.
 */
export const BEACON_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/** The part of `navigator` the beacon dispatcher needs. */
export interface BeaconNavigator {
  sendBeacon(url: string, data: Blob): boolean;
}

/** What a beacon the browser accepted answers: it is never acknowledged, so a plain 200. */
const ACCEPTED: HttpResponse = { status: 200, headers: { get: () => null }, text: () => Promise.resolve('') };

/**
 * A {@link Requester} over `navigator.sendBeacon`: it answers 200 when the browser accepted the
 * beacon and rejects when it refused it (no beacon support, over the ~64 KB budget). Only the URL
 * and the text body are used; the body goes as {@link BEACON_CONTENT_TYPE}.
 */
export function createBeaconRequester(nav?: BeaconNavigator): Requester {
  return {
    async request({ url, body }) {
      const target = nav ?? (globalThis as { navigator?: Partial<BeaconNavigator> }).navigator;
      if (!target?.sendBeacon) throw new Error('navigator.sendBeacon is not available');
      // Called as a method: a detached sendBeacon throws "Illegal invocation".
      if (!target.sendBeacon(url, new Blob([body as string], { type: BEACON_CONTENT_TYPE }))) {
        throw new Error('The browser refused the beacon (too large or over its budget)');
      }
      return ACCEPTED;
    },
  };
}

/**
 * An {@link EventDispatcher} over `navigator.sendBeacon`, for the last flush of a page (pagehide):
 * the browser delivers the request after the page is gone. "Success" means the browser accepted the
 * beacon; a refused one rejects, so the batch stays pending in the event store and goes out on the
 * next page load.
 *
 * It is the page's fetch dispatcher with the beacon requester: the same JSON.stringify body
 * (FlagKit's own serializer stays out of browser bundles), and a batch that cannot be JSON is
 * dropped, not retried.
 */
export function createBeaconDispatcher(nav?: BeaconNavigator): EventDispatcher {
  return createStringifyRequesterDispatcher(createBeaconRequester(nav));
}
