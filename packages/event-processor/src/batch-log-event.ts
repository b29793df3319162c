import type { LogEvent, UserEvent } from '@flagkit/core';
import { buildLogxBatch, endpointForRegion, type LogxBatch } from './log-event-builder';

/** @internal Writes a batch's body as JSON text (`serializeLogxBatch`). */
export type TextBodyWriter = (events: readonly UserEvent[]) => string;

/** @internal Writes a batch's body as UTF-8 bytes (see `serializeLogxBatchBytes`). */
export type ByteBodyWriter = (events: readonly UserEvent[]) => Uint8Array;

/**
 * @internal What a dispatcher that sends batch bodies ready-made writes them with: text or bytes.
 * The writers are passed in, so a bundle whose dispatchers stringify `params` (the browser's)
 * carries neither serializer.
 */
export type BodyWriter = TextBodyWriter | ByteBodyWriter;

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
 * reads it: a custom dispatcher or a LOG_EVENT listener. FlagKit's requester dispatchers send
 * {@link BatchLogEvent.serializedBodyBy} (or its bytes) instead: the same JSON, written from
 * cached fragments.
 */
export class BatchLogEvent implements LogEvent {
  readonly url: string;
  readonly httpVerb = 'POST' as const;
  declare readonly params: LogxBatch;
  readonly #events: readonly UserEvent[];
  #params: LogxBatch | undefined;
  /** Whether `params` was handed out: whoever holds it may change it, so only it is the truth. */
  #paramsShared = false;
  /** The body as `#bodyWriter` wrote it. */
  #body: string | Uint8Array | undefined;
  #bodyWriter: BodyWriter | undefined;
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
   * `JSON.stringify(params)` as `write` (e.g. `serializeLogxBatch`) writes it without building
   * `params`; undefined once `params` was read (it may have been changed since) or when the events
   * cannot be written that way (a BigInt in the tags): then the dispatcher stringifies `params`
   * itself. Written once, then reused by retries.
   */
  serializedBodyBy(write: TextBodyWriter): string | undefined {
    return this.serializedBy(write) as string | undefined;
  }

  /**
   * The UTF-8 bytes of that body, written by `write` (e.g. `serializeLogxBatchBytes`) straight to
   * bytes; undefined exactly when {@link BatchLogEvent.serializedBodyBy} would be. Written once.
   */
  serializedBytesBy(write: ByteBodyWriter): Uint8Array | undefined {
    return this.serializedBy(write) as Uint8Array | undefined;
  }

  /** @internal The body as `write` writes it (see the two methods above), or undefined. */
  serializedBy(write: BodyWriter): string | Uint8Array | undefined {
    if (this.#paramsShared || this.#bodyFailed) return undefined;
    if (this.#bodyWriter !== write) {
      try {
        this.#body = write(this.#events);
        this.#bodyWriter = write;
      } catch {
        this.#bodyFailed = true;
        return undefined;
      }
    }
    return this.#body;
  }

  /**
   * @internal Writes what the dispatcher will send: the body as `write` writes it (when that
   * fails, or for other dispatchers, `params`). Events that cannot make a request at all (a
   * malformed custom event) throw here, where the processor drops them.
   */
  prepare(write: BodyWriter | undefined): void {
    if (write !== undefined && this.serializedBy(write) !== undefined) return;
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
