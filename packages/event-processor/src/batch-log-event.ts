import type { LogEvent, UserEvent } from '@flagkit/core';
import { buildLogxBatch, endpointForRegion, type LogxBatch } from './log-event-builder';
import { serializeLogxBatch } from './log-event-serializer';

/** @internal Writes a batch's body as UTF-8 bytes (see `serializeLogxBatchBytes`). */
export type ByteBodyWriter = (events: readonly UserEvent[]) => Uint8Array;

/**
 * @internal The form in which a dispatcher sends a batch body it is given ready-made: text, or
 * bytes from the writer it names (passed in, so bundles without a byte dispatcher leave it out).
 */
export type SerializedBodyKind = 'text' | ByteBodyWriter;

let encoder: TextEncoder | undefined;

// `params` is an own enumerable accessor, so `{ ...logEvent }` and JSON.stringify(logEvent) see it
// as before; one shared descriptor, no closure per request.
const PARAMS: PropertyDescriptor = {
  enumerable: true,
  get(this: BatchLogEvent) {
    return this.takeParams();
  },
};

/**
 * A logx request for a batch of events. `params` (the batch object) is built only when someone
 * reads it: a custom dispatcher or a LOG_EVENT listener. FlagKit's requester dispatcher sends
 * {@link BatchLogEvent.serializedBody} instead, the same JSON text written from cached fragments.
 */
export class BatchLogEvent implements LogEvent {
  readonly url: string;
  readonly httpVerb = 'POST' as const;
  declare readonly params: LogxBatch;
  readonly #events: readonly UserEvent[];
  #params: LogxBatch | undefined;
  /** Whether `params` was handed out: whoever holds it may change it, so only it is the truth. */
  #paramsShared = false;
  #body: string | undefined;
  #bytes: Uint8Array | undefined;
  #bodyFailed = false;

  constructor(events: readonly UserEvent[], url: string) {
    this.url = url;
    this.#events = events;
    Object.defineProperty(this, 'params', PARAMS);
  }

  /** @internal The batch object; from now on it is the request's content. */
  takeParams(): LogxBatch {
    this.#paramsShared = true;
    this.#params ??= buildLogxBatch(this.#events);
    return this.#params;
  }

  /**
   * `JSON.stringify(params)`, written without building `params`; undefined once `params` was read
   * (it may have been changed since) or when the events cannot be written that way (a BigInt in
   * the tags): then the dispatcher stringifies `params` itself.
   */
  get serializedBody(): string | undefined {
    if (this.#paramsShared || this.#bodyFailed) return undefined;
    if (this.#body === undefined) {
      try {
        this.#body = serializeLogxBatch(this.#events);
      } catch {
        this.#bodyFailed = true;
      }
    }
    return this.#body;
  }

  /**
   * The UTF-8 bytes of {@link BatchLogEvent.serializedBody} (for an HTTP stack that sends bytes as
   * they are); undefined exactly when `serializedBody` would be. Written once, then reused.
   */
  get serializedBytes(): Uint8Array | undefined {
    if (this.#paramsShared || this.#bodyFailed) return undefined;
    if (this.#bytes === undefined) {
      const text = this.serializedBody;
      encoder ??= new TextEncoder();
      if (text !== undefined) this.#bytes = encoder.encode(text);
    }
    return this.#bytes;
  }

  /**
   * @internal {@link BatchLogEvent.serializedBytes}, written by `write` straight to bytes (without
   * building the text) when they were not written yet.
   */
  serializedBytesBy(write: ByteBodyWriter): Uint8Array | undefined {
    if (this.#paramsShared || this.#bodyFailed) return undefined;
    if (this.#bytes === undefined) {
      try {
        this.#bytes = write(this.#events);
      } catch {
        this.#bodyFailed = true;
      }
    }
    return this.#bytes;
  }

  /**
   * @internal Writes what the dispatcher will send: the body in the form it sends (when that
   * fails, or for other dispatchers, `params`). Events that cannot make a request at all (a
   * malformed custom event) throw here, where the processor drops them.
   */
  prepare(body: SerializedBodyKind | undefined): void {
    if (body === 'text' && this.serializedBody !== undefined) return;
    if (typeof body === 'function' && this.serializedBytesBy(body) !== undefined) return;
    this.#params ??= buildLogxBatch(this.#events);
  }
}

/**
 * Builds the request for `events`: the batch body, POSTed to `endpoint` when given, else to the
 * logx host of the first event's region. `params` is built when first read.
 */
export function buildLogEvent(events: readonly UserEvent[], endpoint?: string): LogEvent {
  return new BatchLogEvent(events, endpoint ?? endpointForRegion(events[0]?.context.region));
}
