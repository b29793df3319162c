import {
  type DispatchResponse,
  type EventDispatcher,
  FlagKitError,
  type LogEvent,
  type Requester,
} from '@flagkit/core';
import { BatchLogEvent, type BodyWriter } from './batch-log-event';
import { serializeLogxBatchBytes } from './log-event-byte-serializer';
import { serializeLogxBatch } from './log-event-serializer';

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

/**
 * Dispatchers made by {@link createRequesterDispatcher} and {@link createTextRequesterDispatcher},
 * and the serialized body each sends: bytes (`serializeLogxBatchBytes`) to a requester that takes
 * bytes, else text (`serializeLogxBatch`).
 */
const bodyDispatchers = new WeakMap<EventDispatcher, BodyWriter>();

/** The writer of the bodies `dispatcher` sends; undefined when it reads `params`. */
export function bodyWriterOf(dispatcher: EventDispatcher): BodyWriter | undefined {
  return bodyDispatchers.get(dispatcher);
}

/**
 * An {@link EventDispatcher} on the HTTP port: POSTs the batch as JSON and resolves with the
 * status. Rejects only when no response arrived (the requester's network error or timeout).
 * The response body is read and discarded so connections can be reused. A requester with
 * `acceptsByteBody` is given the body as UTF-8 bytes, written without building the text.
 */
export function createRequesterDispatcher(
  requester: Requester,
  options: RequesterDispatcherOptions = {},
): EventDispatcher {
  // Bytes spare the HTTP stack encoding the text again; only a requester that says it takes them gets them.
  return requesterDispatcher(
    requester,
    options,
    requester.acceptsByteBody === true ? serializeLogxBatchBytes : serializeLogxBatch,
  );
}

/**
 * {@link createRequesterDispatcher} for a requester that takes text bodies only (`fetch`): the
 * same requests, always with a text body, and without the byte writer in the bundle.
 */
export function createTextRequesterDispatcher(
  requester: Requester,
  options: RequesterDispatcherOptions = {},
): EventDispatcher {
  return requesterDispatcher(requester, options, serializeLogxBatch);
}

/**
 * {@link createRequesterDispatcher} that sends `JSON.stringify(logEvent.params)`: the same bytes
 * on the wire, without FlagKit's serializers in the bundle (about 0.7 kB gzip). For browsers,
 * where a page sends a few batches and bundle size matters more than microseconds per batch.
 */
export function createStringifyRequesterDispatcher(
  requester: Requester,
  options: RequesterDispatcherOptions = {},
): EventDispatcher {
  return requesterDispatcher(requester, options, undefined);
}

function requesterDispatcher(
  requester: Requester,
  options: RequesterDispatcherOptions,
  body: BodyWriter | undefined,
): EventDispatcher {
  const timeoutMs =
    typeof options.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : 10_000;
  const keepalive = options.keepalive === true;
  const dispatcher: EventDispatcher = {
    async dispatchEvent(logEvent: LogEvent): Promise<DispatchResponse> {
      // The processor's requests carry their JSON already (written from cached fragments).
      const written =
        (body && logEvent instanceof BatchLogEvent && logEvent.serializedBy(body)) || stringify(logEvent);
      const response = await requester.request({
        url: logEvent.url,
        method: 'POST',
        headers: HEADERS,
        body: written,
        timeoutMs,
        keepalive,
      });
      try {
        await response.text();
      } catch {
        // The status is all a dispatch needs; the body is read only so the connection can be reused.
      }
      return { statusCode: response.status };
    },
  };
  if (body !== undefined) bodyDispatchers.set(dispatcher, body);
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
