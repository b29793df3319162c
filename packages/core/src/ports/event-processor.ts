import type { UserEventBuilder } from '../events/build-user-event';
import type { LogEvent } from '../events/log-event';
import type { UserEvent } from '../events/user-event';

/**
 * Receives impression and conversion events from the client. `@flagkit/event-processor`
 * implements it (batching, retries, durable storage); the client works without one.
 */
export interface EventProcessor {
  /**
   * Builds the events the client hands to `process`: set it to core's `userEventBuilder`. The
   * processor supplies it so that an app which sends no events does not bundle event building.
   * `createInstance`'s client falls back to core's builder without it; `createDecideClient`'s
   * needs it (without it, it logs an error and sends no events).
   */
  readonly userEventBuilder?: UserEventBuilder;
  /** Called once by the client. */
  start(): void;
  /** Accepts an event. Must not throw; refusal (queue full, closed) is logged and counted by the processor. */
  process(event: UserEvent): void;
  /** Sends everything queued now; resolves when those dispatches have settled. */
  flush(): Promise<void>;
  /** Flushes, then stops timers. Resolves when every in-flight dispatch has settled. Idempotent. */
  stop(): Promise<void>;
  /** Subscribes to every request the processor sends (the LOG_EVENT notification). */
  onDispatch?(listener: (logEvent: LogEvent) => void): () => void;
  /** Builds the request these events would make, for the ACTIVATE and TRACK notification payloads. */
  buildLogEvent?(events: readonly UserEvent[]): LogEvent;
}
