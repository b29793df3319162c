/** Why an accepted (or offered) event was given up on. */
export type DropReason =
  /** The queue (queued + in flight + pending) held `maxQueueSize` events. */
  | 'queue_full'
  /** `process` was called after `stop()`. */
  | 'closed'
  /** logx answered a 4xx other than 408/429: resending cannot help. */
  | 'rejected'
  /** `stop()` timed out with the event still undelivered and no event store to keep it. */
  | 'close_timeout'
  /** The event cannot be written as JSON (e.g. a BigInt or a cycle in its tags). */
  | 'invalid_event';

/** Every {@link DropReason}. */
export const DROP_REASONS: readonly DropReason[] = [
  'queue_full',
  'closed',
  'rejected',
  'close_timeout',
  'invalid_event',
];

/** The counters and gauge, as numbers of events (`retried` counts requests). */
export interface EventMetricsSnapshot {
  /** Events accepted by `process` (or loaded from the event store). */
  readonly queued: number;
  /** Events logx acknowledged (2xx/3xx). */
  readonly dispatched: number;
  /** Requests sent again after a retryable failure. */
  readonly retried: number;
  /** Events whose request exhausted its retries; they stay pending and go out later. */
  readonly failed: number;
  /** Dropped events by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Events held in memory now: queued, in flight and pending. */
  readonly queueSize: number;
}

/**
 * Receives every metric update, e.g. to feed Prometheus or OpenTelemetry. Calls happen on the
 * hot path: keep them cheap and never throw.
 */
export interface EventMetricsRecorder {
  /** A counter grew by `amount`; `reason` is set for `dropped`. */
  increment(
    counter: 'queued' | 'dispatched' | 'retried' | 'failed' | 'dropped',
    amount: number,
    reason?: DropReason,
  ): void;
  /** The queue-size gauge changed. */
  gauge(name: 'queueSize', value: number): void;
}

/** The counters of {@link EventMetricsSnapshot} that `EventMetrics.count` adds to. */
type Counter = 'queued' | 'dispatched' | 'retried' | 'failed';

/** The processor's own counters; optionally forwarded to a user recorder. */
export class EventMetrics {
  readonly #counts: Record<Counter, number> = { queued: 0, dispatched: 0, retried: 0, failed: 0 };
  readonly #dropped: Record<DropReason, number> = {
    queue_full: 0,
    closed: 0,
    rejected: 0,
    close_timeout: 0,
    invalid_event: 0,
  };
  #queueSize = 0;
  readonly #recorder: EventMetricsRecorder | undefined;

  constructor(recorder: EventMetricsRecorder | undefined) {
    this.#recorder = recorder;
  }

  // A faulty recorder must not cost events: its calls are wrapped in try/catch.

  count(counter: Counter, amount: number): void {
    this.#counts[counter] += amount;
    try {
      this.#recorder?.increment(counter, amount);
    } catch {}
  }

  drop(reason: DropReason, amount: number): void {
    this.#dropped[reason] += amount;
    try {
      this.#recorder?.increment('dropped', amount, reason);
    } catch {}
  }

  setQueueSize(value: number): void {
    if (this.#queueSize === value) return;
    this.#queueSize = value;
    try {
      this.#recorder?.gauge('queueSize', value);
    } catch {}
  }

  snapshot(): EventMetricsSnapshot {
    return { ...this.#counts, dropped: { ...this.#dropped }, queueSize: this.#queueSize };
  }
}
