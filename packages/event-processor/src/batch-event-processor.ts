import {
  areEventContextsEqual,
  type EventDispatcher,
  type EventProcessor,
  FlagKitError,
  type LogEvent,
  type Logger,
  noopLogger,
  type UserEvent,
  userEventBuilder,
  uuidV4,
} from '@flagkit/core';
import { type BatchLogEvent, type BodyWriter, buildLogEvent } from './batch-log-event';
import { createStoreId, type EventStore, isStoreIdOfRun } from './event-store';
import {
  type DropReason,
  EventMetrics,
  type EventMetricsRecorder,
  type EventMetricsSnapshot,
} from './metrics';
import { InMemoryQueue, type Queue } from './queue';
import { bodyWriterOf, EVENT_NOT_SERIALIZABLE } from './requester-dispatcher';
import {
  type BackoffOptions,
  backoffDelay,
  classifyResponse,
  DEFAULT_BACKOFF,
  sleep,
  startTimer,
} from './retry';

/** Defaults of {@link BatchEventProcessorOptions}. */
export const BATCH_DEFAULTS = Object.freeze({
  batchSize: 10,
  /** Node's default; the browser entrypoint passes 1 000 ms. */
  flushInterval: 30_000,
  /** Events held in memory at most (queued + in flight + pending retry), about 10 MB of events. */
  maxQueueSize: 10_000,
  maxRetries: 3,
  closeTimeout: 10_000,
  /** Requests in flight at once; more batches wait their turn (a flood of sockets is slower). */
  maxConcurrentRequests: 32,
});

/** Options of {@link BatchEventProcessor.flush}. */
export interface FlushOptions {
  /**
   * `false` sends only queued events and leaves pending ones (whose requests already failed) for
   * later. Browsers flush this way on pagehide: a beacon is never acknowledged, so events that the
   * endpoint may be refusing are better kept in the store for the next page than sent blind.
   */
  readonly pending?: boolean;
}

/** Options of {@link createBatchEventProcessor}. Names follow Optimizely's where theirs exist. */
export interface BatchEventProcessorOptions {
  /** Sends each logx request (see `createRequesterDispatcher`). */
  readonly eventDispatcher: EventDispatcher;
  /** Events per request; default 10. A full batch is sent at once. */
  readonly batchSize?: number;
  /** Ms before a partial batch is sent; default 30 000 (browsers: 1 000). Also paces resends of pending events. */
  readonly flushInterval?: number;
  /** Events held in memory at most; beyond it new events are dropped (`queue_full`). Default 10 000. */
  readonly maxQueueSize?: number;
  /** Where events wait for their batch; default a bounded in-memory queue of `maxQueueSize`. */
  readonly queue?: Queue<UserEvent>;
  /** Overrides the logx URL for every region (default: US or EU host by datafile region). */
  readonly endpoint?: string;
  /** Durable pending events (see `createKeyValueEventStore`); default none. */
  readonly eventStore?: EventStore;
  /** Receives every metric update; `getMetrics()` works without it. */
  readonly metrics?: EventMetricsRecorder;
  /** Retries per request after the first attempt; default 3. Afterwards the events stay pending. */
  readonly maxRetries?: number;
  /** Backoff between retries; default 200 ms doubling to 1 s, plus up to 50 ms jitter. */
  readonly backoff?: Partial<BackoffOptions>;
  /** Ms `stop()` waits for delivery before it settles anyway; default 10 000. */
  readonly closeTimeout?: number;
  /**
   * Requests in flight at once; further batches wait for a free slot (they still count as in
   * flight). Default 32: a few dozen keep-alive connections move events faster than thousands of sockets.
   */
  readonly maxConcurrentRequests?: number;
  readonly logger?: Logger;
}

type Listener = (logEvent: LogEvent) => void;

// Number.isInteger and Number.isFinite are false for anything that is not a number.
const isPositiveInteger = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 1;
const isNonNegativeInteger = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0;
const isNonNegative = (value: unknown): value is number => Number.isFinite(value) && (value as number) >= 0;
const isPositive = (value: unknown): value is number => Number.isFinite(value) && (value as number) > 0;

/** Whether the `n`th occurrence of a repeated failure is logged: the first, then every 1000th. */
const isLoggedOccurrence = (n: number): boolean => n === 1 || n % 1000 === 0;

/**
 * Batches events by context, dispatches them with retries and keeps what could not be delivered,
 * so no event is lost silently: each accepted event is either acknowledged by logx once or counted
 * as dropped with a reason (see {@link EventMetricsSnapshot}).
 *
 * An event is always in exactly one place: the queue, one in-flight request, or the pending list
 * (retries exhausted; resent on the next flush). That is what keeps delivery exactly-once by uuid.
 */
export class BatchEventProcessor implements EventProcessor {
  /** Core's event builder: the client builds events with it only when a processor is wired. */
  readonly userEventBuilder = userEventBuilder;
  readonly #dispatcher: EventDispatcher;
  /** FlagKit's requester dispatcher sends the serialized body (text or bytes); others read `params`. */
  readonly #bodyWriter: BodyWriter | undefined;
  readonly #batchSize: number;
  readonly #flushInterval: number;
  readonly #maxQueueSize: number;
  readonly #maxRetries: number;
  readonly #closeTimeout: number;
  readonly #maxConcurrentRequests: number;
  readonly #backoff: BackoffOptions;
  readonly #endpoint: string | undefined;
  readonly #queue: Queue<UserEvent>;
  readonly #store: EventStore | undefined;
  readonly #logger: Logger;
  readonly #metrics: EventMetrics;
  readonly #listeners = new Set<Listener>();

  /** Retries exhausted; resent with the next flush. */
  #pending: UserEvent[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  /** Requests being sent now, and the sends waiting for a slot, longest waiting first. */
  #activeRequests = 0;
  readonly #slotWaiters: (() => void)[] = [];
  /** Queue + pending + in flight: what `maxQueueSize` bounds. */
  #held = 0;
  #timer: unknown;
  #started = false;
  #stopping = false;
  /** `stop()` timed out: retries end, leftovers are counted. */
  #abandoned = false;
  #stopPromise: Promise<void> | undefined;
  #loading: Promise<void> = Promise.resolve();
  /** With a store: each held event's store id. */
  readonly #storeIds = new Map<UserEvent, string>();
  /** In this run's store ids, so loading the store never picks up this run's own events. */
  readonly #runToken = uuidV4().slice(0, 8);
  readonly #dropLogCounts: Partial<Record<DropReason, number>> = {};
  #storeFailures = 0;

  constructor(options: BatchEventProcessorOptions) {
    this.#logger = options.logger ?? noopLogger;
    this.#dispatcher = options.eventDispatcher;
    this.#bodyWriter = bodyWriterOf(options.eventDispatcher);
    const option = <T>(name: string, value: unknown, valid: (v: unknown) => v is T, fallback: T): T => {
      // An invalid option (only when actually given) is logged and replaced.
      if (value === undefined || valid(value)) return (value as T | undefined) ?? fallback;
      this.#logger.log('warn', `Invalid ${name} ${String(value)}; using ${String(fallback)}.`);
      return fallback;
    };
    const count = (name: keyof typeof BATCH_DEFAULTS, valid: (v: unknown) => v is number) =>
      option(name, options[name], valid, BATCH_DEFAULTS[name]);
    const backoff = options.backoff ?? {};
    const delay = (name: keyof BackoffOptions) =>
      option(`backoff.${name}`, backoff[name], isNonNegative, DEFAULT_BACKOFF[name]);
    this.#batchSize = count('batchSize', isPositiveInteger);
    this.#flushInterval = count('flushInterval', isPositive);
    this.#maxQueueSize = count('maxQueueSize', isPositiveInteger);
    this.#maxRetries = count('maxRetries', isNonNegativeInteger);
    this.#closeTimeout = count('closeTimeout', isNonNegative);
    this.#maxConcurrentRequests = count('maxConcurrentRequests', isPositiveInteger);
    this.#backoff = { initialMs: delay('initialMs'), maxMs: delay('maxMs'), jitterMs: delay('jitterMs') };
    this.#endpoint = option(
      'endpoint',
      options.endpoint,
      (v): v is string => typeof v === 'string' && v.length > 0,
      undefined,
    );
    this.#queue = options.queue ?? new InMemoryQueue<UserEvent>(this.#maxQueueSize);
    this.#store = options.eventStore;
    this.#metrics = new EventMetrics(options.metrics);
  }

  /** Sends what an earlier run left in the event store. Called once by the client. */
  start(): void {
    if (this.#started || this.#stopping) return;
    this.#started = true;
    if (this.#store) this.#loading = this.#loadStored(this.#store);
  }

  async #loadStored(store: EventStore): Promise<void> {
    let stored: Awaited<ReturnType<EventStore['load']>>;
    try {
      stored = await store.load();
    } catch (error) {
      this.#logger.log('error', `Could not load pending events from the event store: ${String(error)}`);
      return;
    }
    let loaded = 0;
    for (const { id, event } of stored) {
      if (isStoreIdOfRun(id, this.#runToken)) continue; // saved by this run: held or settled already
      if (this.#held + loaded >= this.#maxQueueSize) break; // the rest stay stored for a later run
      this.#storeIds.set(event, id);
      this.#pending.push(event);
      loaded++;
    }
    if (loaded === 0) return;
    this.#hold(loaded);
    this.#logger.log('info', `Sending ${loaded} pending events from the event store.`);
    if (!this.#stopping) this.#flushPending();
  }

  /** Accepts an event. Never throws; refusals are logged and counted as drops. */
  process(event: UserEvent): void {
    if (this.#stopping) {
      this.#drop('closed', 1, 'the event processor is closed');
      return;
    }
    if (this.#held >= this.#maxQueueSize) {
      this.#dropQueueFull();
      return;
    }
    if (typeof event?.context !== 'object' || !event.context) {
      this.#drop('invalid_event', 1, 'process() was given a non-event');
      return;
    }
    const queue = this.#queue;
    const last = queue.last();
    // Contexts are shared per config revision, so the identity check settles almost every call.
    if (last !== undefined && last.context !== event.context && !areEventContextsEqual(last, event)) {
      this.#flushQueue();
    }
    if (!queue.add(event)) {
      this.#dropQueueFull();
      return;
    }
    this.#hold(1);
    if (this.#store) this.#save(this.#store, event);
    if (queue.size() >= this.#batchSize) this.#flushQueue();
    else this.#armTimer();
  }

  /** Sends everything queued and pending now; resolves when those requests (and their retries) settle. */
  async flush(options?: FlushOptions): Promise<void> {
    this.#flushQueue();
    if (options?.pending !== false) {
      this.#flushPending();
      await this.#loading; // stored events of an earlier run join `pending` when loaded
      this.#flushPending();
    }
    await Promise.all(this.#inFlight);
  }

  /**
   * Stops accepting events, sends everything (retrying while the endpoint is down) and settles
   * once every request has settled or `closeTimeout` passed. Idempotent; never rejects.
   */
  stop(): Promise<void> {
    this.#stopPromise ??= this.#drain();
    return this.#stopPromise;
  }

  /** The counters and the queue-size gauge now. */
  getMetrics(): EventMetricsSnapshot {
    return this.#metrics.snapshot();
  }

  /** Subscribes to every logx request, before it is sent (the LOG_EVENT notification). */
  onDispatch(listener: (logEvent: LogEvent) => void): () => void {
    // A wrapper per subscription, so subscribing the same function twice calls it twice.
    const subscription: Listener = (logEvent) => listener(logEvent);
    this.#listeners.add(subscription);
    return () => {
      this.#listeners.delete(subscription);
    };
  }

  /** The request these events would make (same endpoint rules as dispatches). */
  buildLogEvent(events: readonly UserEvent[]): LogEvent {
    return buildLogEvent(events, this.#endpoint);
  }

  async #drain(): Promise<void> {
    this.#stopping = true;
    this.#clearTimer();
    let timedOut = false;
    // Cancelled once delivery ends: a pending 10 s timer would keep this processor (and whatever
    // it references) alive long after close, which adds up when clients are short-lived.
    const closeTimer = sleep(this.#closeTimeout);
    const timeout = closeTimer.done.then(() => {
      timedOut = true;
    });
    // Every wait races the close timeout.
    await Promise.race([this.#loading, timeout]);
    while (!timedOut) {
      this.#flushQueue();
      this.#flushPending();
      if (this.#inFlight.size === 0) break;
      await Promise.race([Promise.all(this.#inFlight), timeout]);
      // Retries exhausted with the endpoint still down: pause before the next round.
      if (this.#pending.length > 0) await Promise.race([sleep(this.#backoff.maxMs).done, timeout]);
    }
    closeTimer.cancel();
    if (this.#held === 0) return;
    this.#abandoned = true;
    const undelivered = this.#held;
    this.#releaseUndelivered(this.#queue.remove(Number.MAX_SAFE_INTEGER).length + this.#takePending().length);
    this.#logger.log(
      'error',
      `Event processor closed after ${this.#closeTimeout} ms with ${undelivered} events undelivered${this.#store ? ' (kept in the event store)' : ''}.`,
    );
  }

  /** Counts `count` more events as held (accepted, or loaded from the store). */
  #hold(count: number): void {
    this.#held += count;
    this.#metrics.count('queued', count);
    this.#metrics.setQueueSize(this.#held);
  }

  /** Counts `count` events as no longer held. */
  #release(count: number): void {
    this.#held -= count;
    this.#metrics.setQueueSize(this.#held);
  }

  /** After a close timeout: stored events wait for the next run; others are counted as dropped. */
  #releaseUndelivered(count: number): void {
    if (count === 0) return;
    this.#release(count);
    if (!this.#store) this.#metrics.drop('close_timeout', count);
  }

  #armTimer(): void {
    if (this.#timer !== undefined || this.#stopping) return;
    this.#timer = startTimer(() => {
      this.#timer = undefined;
      this.#flushPending();
      this.#flushQueue();
    }, this.#flushInterval);
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flushQueue(): void {
    this.#clearTimer();
    // A loop: a custom queue may hand out fewer events than asked for.
    while (this.#queue.size() > 0) this.#dispatchBatches(this.#queue.remove(Number.MAX_SAFE_INTEGER));
    if (this.#pending.length > 0) this.#armTimer();
  }

  #flushPending(): void {
    if (this.#pending.length > 0) this.#dispatchBatches(this.#takePending());
  }

  #takePending(): UserEvent[] {
    const events = this.#pending;
    this.#pending = [];
    return events;
  }

  /**
   * Dispatches `events` in order, one request per run of equal contexts and at most `batchSize`
   * events. (The queue only ever holds one context; pending and stored events may mix them.)
   */
  #dispatchBatches(events: UserEvent[]): void {
    const length = events.length;
    let start = 0;
    for (let i = 1; i <= length; i++) {
      const a = events[i - 1]!;
      const b = events[i];
      if (
        i === length ||
        i - start === this.#batchSize ||
        (a.context !== b!.context && !areEventContextsEqual(a, b!))
      ) {
        this.#dispatch(start === 0 && i === length ? events : events.slice(start, i));
        start = i;
      }
    }
  }

  #dispatch(batch: UserEvent[]): void {
    const request = this.#send(batch).finally(() => this.#inFlight.delete(request));
    this.#inFlight.add(request);
  }

  /**
   * The request for a batch whose turn has come: written only now, so batches waiting for a slot
   * hold their events but no body. Null (and the batch dropped) when it cannot be written at all:
   * only a malformed custom UserEvent gets there, and resending cannot fix it.
   */
  #prepare(batch: UserEvent[]): BatchLogEvent | null {
    let logEvent: BatchLogEvent;
    try {
      logEvent = buildLogEvent(batch, this.#endpoint) as BatchLogEvent; // always one; typed LogEvent publicly
      logEvent.prepare(this.#bodyWriter); // written once, here, and reused by every retry
    } catch (error) {
      this.#settle(batch);
      this.#drop('invalid_event', batch.length, `the batch could not be built: ${String(error)}`);
      return null;
    }
    for (const listener of this.#listeners) {
      try {
        listener(logEvent);
      } catch (error) {
        this.#logger.log('error', `A LOG_EVENT listener threw: ${String(error)}`);
      }
    }
    return logEvent;
  }

  async #send(batch: UserEvent[]): Promise<void> {
    const count = batch.length;
    let logEvent: BatchLogEvent | null = null;
    for (let attempt = 0; ; attempt++) {
      let outcome: 'success' | 'retry' | 'drop' | 'invalid';
      let detail: string;
      const slot = this.#acquireSlot();
      if (slot) await slot;
      logEvent ??= this.#prepare(batch);
      if (logEvent === null) {
        this.#releaseSlot();
        return;
      }
      try {
        const response = await this.#dispatcher.dispatchEvent(logEvent);
        outcome = classifyResponse(response);
        detail = `HTTP ${response?.statusCode ?? 'no status'}`;
      } catch (error) {
        // A batch that cannot be serialised never will be; anything else may be the network.
        outcome =
          FlagKitError.isInstance(error) && error.code === EVENT_NOT_SERIALIZABLE ? 'invalid' : 'retry';
        detail = error instanceof Error ? error.message : String(error);
      } finally {
        this.#releaseSlot();
      }
      if (outcome !== 'retry') {
        this.#settle(batch);
        if (outcome === 'success') this.#metrics.count('dispatched', count);
        else if (outcome === 'drop') this.#drop('rejected', count, `logx rejected the request (${detail})`);
        else this.#drop('invalid_event', count, detail);
        return;
      }
      if (attempt >= this.#maxRetries || this.#abandoned) {
        this.#metrics.count('failed', count);
        if (this.#abandoned) {
          this.#releaseUndelivered(count);
          return;
        }
        if (this.#logger.isEnabled('warn')) {
          this.#logger.log(
            'warn',
            `Dispatch of ${count} events failed after ${attempt + 1} attempts (${detail}); they stay pending.`,
          );
        }
        for (let i = 0; i < count; i++) this.#pending.push(batch[i]!);
        this.#armTimer();
        return;
      }
      this.#metrics.count('retried', 1);
      await sleep(backoffDelay(attempt + 1, this.#backoff)).done;
    }
  }

  /** Takes a request slot: at once (undefined) when one is free, else a promise of the next one. */
  #acquireSlot(): Promise<void> | undefined {
    if (this.#activeRequests < this.#maxConcurrentRequests) {
      this.#activeRequests++;
      return undefined;
    }
    return new Promise((resolve) => this.#slotWaiters.push(resolve));
  }

  /** Hands the slot to the longest waiting send, or frees it. */
  #releaseSlot(): void {
    const next = this.#slotWaiters.shift();
    if (next) next();
    else this.#activeRequests--;
  }

  /** The events left for good (delivered or dropped): release them and their stored copies. */
  #settle(batch: readonly UserEvent[]): void {
    this.#release(batch.length);
    const store = this.#store;
    if (!store) return;
    for (const event of batch) {
      const id = this.#storeIds.get(event);
      if (id === undefined) continue;
      this.#storeIds.delete(event);
      this.#callStore(store, 'remove', id, event);
    }
  }

  #save(store: EventStore, event: UserEvent): void {
    const id = createStoreId(event, this.#runToken);
    this.#storeIds.set(event, id);
    this.#callStore(store, 'save', id, event);
  }

  /** `store.save(id, event)` or `store.remove(id)`; a failure (sync or async) is logged, never thrown. */
  #callStore(store: EventStore, operation: 'save' | 'remove', id: string, event: UserEvent): void {
    // A full or broken store must not flood the log (see isLoggedOccurrence).
    const fail = (error: unknown) => {
      if (isLoggedOccurrence(++this.#storeFailures)) {
        this.#logger.log(
          'error',
          `Could not ${operation} an event in the event store (it is kept in memory; ${this.#storeFailures} store failures so far): ${String(error)}`,
        );
      }
    };
    try {
      const result = operation === 'save' ? store.save(id, event) : store.remove(id);
      if (result && typeof result.then === 'function') result.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }

  #dropQueueFull(): void {
    this.#drop('queue_full', 1, 'the queue is full');
  }

  #drop(reason: DropReason, count: number, why: string): void {
    this.#metrics.drop(reason, count);
    // Logged per reason (see isLoggedOccurrence), so a dead endpoint can't flood logs.
    const seen = (this.#dropLogCounts[reason] ?? 0) + 1;
    this.#dropLogCounts[reason] = seen;
    if (isLoggedOccurrence(seen) && this.#logger.isEnabled('warn')) {
      this.#logger.log('warn', `Dropped ${count} event(s), ${reason}: ${why} (${seen} such drops so far).`);
    }
  }
}

/** Creates a {@link BatchEventProcessor}: the name Optimizely's SDK uses. */
export function createBatchEventProcessor(options: BatchEventProcessorOptions): BatchEventProcessor {
  return new BatchEventProcessor(options);
}
