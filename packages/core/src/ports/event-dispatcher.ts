import type { LogEvent } from '../events/log-event';

/** What a dispatch came to. `statusCode` is absent when no HTTP response arrived. */
export interface DispatchResponse {
  readonly statusCode?: number;
}

/**
 * Sends one logx request. The shape is Optimizely's v6 `EventDispatcher`, so a dispatcher written
 * for their SDK plugs in unchanged.
 *
 * Contract: resolve with the HTTP status for every response (2xx–3xx is success; the event
 * processor decides what to do with the others) and reject only when no response arrived (network
 * error, timeout). Must not retry on its own: retries belong to the processor.
 */
export interface EventDispatcher {
  dispatchEvent(logEvent: LogEvent): Promise<DispatchResponse>;
}
