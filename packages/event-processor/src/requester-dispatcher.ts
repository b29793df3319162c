import {
  type DispatchResponse,
  type EventDispatcher,
  FlagKitError,
  type LogEvent,
  type Requester,
} from '@flagkit/core';
import { BatchLogEvent } from './batch-log-event';

/** The `FlagKitError` code a dispatcher throws for events that cannot be written as JSON; the processor drops them. */
export const EVENT_NOT_SERIALIZABLE = 'EVENT_NOT_SERIALIZABLE';

/** Options of {@link createRequesterDispatcher}. */
export interface RequesterDispatcherOptions {
  /** Ms the whole request may take before it fails (and is retried); default 10 000. */
  readonly timeoutMs?: number;
  /** Browsers: let requests outlive the page; default false. */
  readonly keepalive?: boolean;
}

const HEADERS = Object.freeze({ 'content-type': 'application/json' });

/** Dispatchers made by {@link createRequesterDispatcher}: they send `BatchLogEvent.serializedBody`. */
const bodyDispatchers = new WeakSet<EventDispatcher>();

/** Whether `dispatcher` sends the processor's serialized body (else it reads `params`). */
export function sendsSerializedBody(dispatcher: EventDispatcher): boolean {
  return bodyDispatchers.has(dispatcher);
}

/**
 * An {@link EventDispatcher} on the HTTP port: POSTs the batch as JSON and resolves with the
 * status. Rejects only when no response arrived (the requester's network error or timeout).
 * The response body is read and discarded so connections can be reused.
 */
export function createRequesterDispatcher(
  requester: Requester,
  options: RequesterDispatcherOptions = {},
): EventDispatcher {
  const timeoutMs =
    typeof options.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : 10_000;
  const keepalive = options.keepalive === true;
  const dispatcher: EventDispatcher = {
    async dispatchEvent(logEvent: LogEvent): Promise<DispatchResponse> {
      // The processor's requests carry their JSON text already (written from cached fragments).
      let body = logEvent instanceof BatchLogEvent ? logEvent.serializedBody : undefined;
      if (body === undefined) body = stringify(logEvent);
      const response = await requester.request({
        url: logEvent.url,
        method: 'POST',
        headers: HEADERS,
        body,
        timeoutMs,
        keepalive,
      });
      await response.text().catch(() => '');
      return { statusCode: response.status };
    },
  };
  bodyDispatchers.add(dispatcher);
  return dispatcher;
}

function stringify(logEvent: LogEvent): string {
  try {
    return JSON.stringify(logEvent.params);
  } catch (cause) {
    // e.g. a BigInt or a cycle in the tags: resending cannot help, so the processor drops it.
    throw new FlagKitError(EVENT_NOT_SERIALIZABLE, `The events cannot be sent as JSON: ${String(cause)}`, {
      cause,
    });
  }
}
