import type {
  DispatchResponse,
  EventDispatcher,
  KeyValueStore,
  LogEvent,
  Logger,
  LogLevel,
  UserEvent,
} from '@flagkit/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeContext, makeConversion, makeImpression } from '../test-support/events';
import { BatchEventProcessor, createBatchEventProcessor } from './batch-event-processor';
import { createKeyValueEventStore } from './event-store';
import { createForwardingEventProcessor } from './forwarding-event-processor';
import type { LogxBatch } from './log-event-builder';

/** Records each request; answers with the next scripted result (a status, or an Error to reject). */
class RecordingDispatcher implements EventDispatcher {
  readonly requests: LogEvent[] = [];
  script: (number | Error)[] = [];
  dispatchEvent(logEvent: LogEvent): Promise<DispatchResponse> {
    this.requests.push(logEvent);
    const next = this.script.shift() ?? 204;
    return next instanceof Error ? Promise.reject(next) : Promise.resolve({ statusCode: next });
  }
  uuids(): string[] {
    return this.requests.flatMap((r) =>
      (r.params as LogxBatch).visitors.map(
        (v) => (v as { snapshots: { events: { uuid: string }[] }[] }).snapshots[0]!.events[0]!.uuid,
      ),
    );
  }
}

class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  isEnabled(): boolean {
    return true;
  }
  log(level: LogLevel, message: string): void {
    this.lines.push(`${level}: ${message}`);
  }
}

class MemoryKeyValueStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  get(key: string) {
    return this.data.get(key);
  }
  set(key: string, value: string) {
    this.data.set(key, value);
  }
  remove(key: string) {
    this.data.delete(key);
  }
  keys() {
    return [...this.data.keys()];
  }
}

const NO_JITTER = { initialMs: 200, maxMs: 1000, jitterMs: 0 };

describe('BatchEventProcessor', () => {
  let dispatcher: RecordingDispatcher;
  let logger: MemoryLogger;

  beforeEach(() => {
    vi.useFakeTimers();
    dispatcher = new RecordingDispatcher();
    logger = new MemoryLogger();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a full batch at once and the rest when the flush interval passes', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 3,
      flushInterval: 1000,
    });
    processor.start();
    for (let i = 0; i < 4; i++) processor.process(makeImpression());
    expect(dispatcher.requests).toHaveLength(1);
    expect((dispatcher.requests[0]!.params as LogxBatch).visitors).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(dispatcher.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(dispatcher.requests).toHaveLength(2);
    expect((dispatcher.requests[1]!.params as LogxBatch).visitors).toHaveLength(1);
    expect(processor.getMetrics()).toMatchObject({ queued: 4, dispatched: 4, queueSize: 0 });
  });

  it('flushes before an event of another context joins the queue', () => {
    const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, batchSize: 10 });
    const eu = makeContext({ region: 'EU' });
    const otherRevision = makeContext({ revision: '8' });
    processor.process(makeImpression());
    processor.process(makeConversion());
    // An equal context in another object batches together.
    processor.process(makeImpression({ context: makeContext() }));
    processor.process(makeImpression({ context: eu }));
    processor.process(makeImpression({ context: otherRevision }));
    expect(dispatcher.requests.map((r) => (r.params as LogxBatch).visitors.length)).toEqual([3, 1]);
    expect(dispatcher.requests[0]!.url).toBe('https://logx.optimizely.com/v1/events');
    expect(dispatcher.requests[1]!.url).toBe('https://eu.logx.optimizely.com/v1/events');
  });

  it('posts to the configured endpoint for every region', () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 1,
      endpoint: 'http://127.0.0.1:1/x',
    });
    processor.process(makeImpression({ context: makeContext({ region: 'EU' }) }));
    expect(dispatcher.requests[0]!.url).toBe('http://127.0.0.1:1/x');
    expect(processor.buildLogEvent([makeImpression()]).url).toBe('http://127.0.0.1:1/x');
  });

  it('retries 5xx, 408, 429 and network errors with backoff, then delivers', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 1,
      backoff: NO_JITTER,
    });
    dispatcher.script = [500, 408, new Error('ECONNRESET'), 429];
    processor.process(makeImpression());
    expect(dispatcher.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(dispatcher.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(400);
    expect(dispatcher.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(800);
    expect(dispatcher.requests).toHaveLength(4);
    // Retries exhausted (3): the event stays pending for the next flush.
    expect(processor.getMetrics()).toMatchObject({ retried: 3, failed: 1, dispatched: 0, queueSize: 1 });
    await processor.flush();
    expect(dispatcher.requests).toHaveLength(5);
    expect(processor.getMetrics()).toMatchObject({ dispatched: 1, queueSize: 0 });
    expect(new Set(dispatcher.uuids()).size).toBe(1);
  });

  it('resends pending events when the flush interval passes', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 1,
      maxRetries: 0,
      flushInterval: 5000,
    });
    dispatcher.script = [503];
    processor.process(makeImpression());
    await vi.advanceTimersByTimeAsync(0);
    expect(processor.getMetrics()).toMatchObject({ failed: 1, queueSize: 1 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(dispatcher.requests).toHaveLength(2);
    expect(processor.getMetrics()).toMatchObject({ dispatched: 1, queueSize: 0 });
  });

  it('drops other 4xx with a counted, logged reason and does not retry them', async () => {
    const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, batchSize: 2, logger });
    dispatcher.script = [400];
    processor.process(makeImpression());
    processor.process(makeConversion());
    await vi.advanceTimersByTimeAsync(5000);
    expect(dispatcher.requests).toHaveLength(1);
    expect(processor.getMetrics().dropped.rejected).toBe(2);
    expect(processor.getMetrics().queueSize).toBe(0);
    expect(logger.lines.some((l) => l.startsWith('warn') && l.includes('rejected'))).toBe(true);
  });

  it('resends pending events together, split only where the context changes or a batch is full', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 3,
      maxRetries: 0,
    });
    const eu = makeContext({ region: 'EU' });
    dispatcher.script = [503, 503];
    processor.process(makeImpression());
    processor.process(makeImpression());
    for (let i = 0; i < 3; i++) processor.process(makeImpression({ context: eu }));
    await vi.advanceTimersByTimeAsync(0);
    expect(dispatcher.requests.map((r) => (r.params as LogxBatch).visitors.length)).toEqual([2, 3]);
    expect(processor.getMetrics()).toMatchObject({ failed: 5, queueSize: 5 });
    dispatcher.requests.length = 0;
    await processor.flush();
    expect(dispatcher.requests.map((r) => (r.params as LogxBatch).visitors.length)).toEqual([2, 3]);
    expect(processor.getMetrics()).toMatchObject({ dispatched: 5, queueSize: 0 });
  });

  it('calls a listener subscribed twice twice, until each subscription ends', () => {
    const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, batchSize: 1 });
    let calls = 0;
    const listener = () => calls++;
    const first = processor.onDispatch(listener);
    processor.onDispatch(listener);
    processor.process(makeImpression());
    expect(calls).toBe(2);
    first();
    processor.process(makeImpression());
    expect(calls).toBe(3);
  });

  it('treats a response without status as delivered (dispatchers written for Optimizely may resolve {})', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: { dispatchEvent: () => Promise.resolve({}) },
      batchSize: 1,
    });
    processor.process(makeImpression());
    await processor.flush();
    expect(processor.getMetrics().dispatched).toBe(1);
  });

  it('rejects events beyond maxQueueSize (queued, in flight and pending) with a counted drop', async () => {
    const never: EventDispatcher = { dispatchEvent: () => new Promise(() => {}) };
    const processor = createBatchEventProcessor({
      eventDispatcher: never,
      batchSize: 2,
      maxQueueSize: 5,
      logger,
    });
    for (let i = 0; i < 8; i++) processor.process(makeImpression());
    expect(processor.getMetrics()).toMatchObject({ queued: 5, queueSize: 5 });
    expect(processor.getMetrics().dropped.queue_full).toBe(3);
    expect(logger.lines.filter((l) => l.includes('queue_full'))).toHaveLength(1);
  });

  it('emits one LOG_EVENT per dispatched batch, before sending, and survives a throwing listener', () => {
    const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, batchSize: 2, logger });
    const seen: LogEvent[] = [];
    processor.onDispatch(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = processor.onDispatch((e) => seen.push(e));
    for (let i = 0; i < 4; i++) processor.process(makeImpression());
    expect(seen).toEqual(dispatcher.requests);
    unsubscribe();
    processor.process(makeImpression());
    processor.process(makeImpression());
    expect(seen).toHaveLength(2);
    expect(dispatcher.requests).toHaveLength(3);
  });

  it('stop() flushes everything, then refuses new events without throwing', async () => {
    const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, batchSize: 10, logger });
    processor.process(makeImpression());
    processor.process(makeImpression());
    await processor.stop();
    expect(dispatcher.requests).toHaveLength(1);
    expect(() => processor.process(makeImpression())).not.toThrow();
    expect(processor.getMetrics().dropped.closed).toBe(1);
    expect(dispatcher.requests).toHaveLength(1);
    expect(processor.stop()).toBe(processor.stop());
  });

  it('stop() keeps retrying until delivered, within the close timeout', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 10,
      maxRetries: 1,
      backoff: NO_JITTER,
    });
    dispatcher.script = [500, 500, 500, 500, 500];
    processor.process(makeImpression());
    const stopped = processor.stop();
    await vi.advanceTimersByTimeAsync(5000);
    await stopped;
    expect(dispatcher.requests).toHaveLength(6);
    expect(processor.getMetrics()).toMatchObject({ dispatched: 1, queueSize: 0 });
  });

  it('stop() settles after closeTimeout and counts what it could not deliver', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: { dispatchEvent: () => Promise.resolve({ statusCode: 503 }) },
      batchSize: 10,
      closeTimeout: 3000,
      backoff: NO_JITTER,
      logger,
    });
    processor.process(makeImpression());
    processor.process(makeImpression());
    let settled = false;
    const stopped = processor.stop().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(2999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(settled).toBe(true);
    await vi.advanceTimersByTimeAsync(5000); // the abandoned request winds down
    const metrics = processor.getMetrics();
    expect(metrics.dropped.close_timeout).toBe(2);
    expect(metrics.queueSize).toBe(0);
    expect(logger.lines.some((l) => l.startsWith('error') && l.includes('undelivered'))).toBe(true);
  });

  it('refuses something that is not a user event without throwing', () => {
    const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, batchSize: 1 });
    expect(() => processor.process(null as unknown as UserEvent)).not.toThrow();
    expect(() => processor.process({} as UserEvent)).not.toThrow();
    expect(processor.getMetrics().dropped.invalid_event).toBe(2);
    expect(dispatcher.requests).toHaveLength(0);
  });

  it('pauses between delivery rounds while stop() waits for a dead endpoint', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: { dispatchEvent: () => Promise.reject(new Error('ECONNREFUSED')) },
      maxRetries: 0,
      closeTimeout: 5000,
      backoff: NO_JITTER,
    });
    let attempts = 0;
    processor.onDispatch(() => attempts++);
    processor.process(makeImpression());
    const stopped = processor.stop();
    await vi.advanceTimersByTimeAsync(5000);
    await stopped;
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(attempts).toBeLessThanOrEqual(6); // one round per backoff.maxMs (1 s), not a busy loop
  });

  it('logs invalid options and uses the defaults; omitted options log nothing', () => {
    new BatchEventProcessor({ eventDispatcher: dispatcher, logger });
    expect(logger.lines).toEqual([]);
    const processor = new BatchEventProcessor({
      eventDispatcher: dispatcher,
      logger,
      batchSize: 0,
      flushInterval: -1,
      maxQueueSize: Number.NaN,
    });
    expect(logger.lines).toHaveLength(3);
    for (let i = 0; i < 9; i++) processor.process(makeImpression());
    expect(dispatcher.requests).toHaveLength(0);
    processor.process(makeImpression());
    expect(dispatcher.requests).toHaveLength(1); // the default batch size, 10
  });

  it('accepts only numbers of the right kind for each option', () => {
    new BatchEventProcessor({
      eventDispatcher: dispatcher,
      logger,
      maxRetries: 0,
      closeTimeout: 0,
      flushInterval: 0.5,
      backoff: { initialMs: 0, maxMs: 1.5, jitterMs: 0 },
    });
    expect(logger.lines).toEqual([]);
    new BatchEventProcessor({
      eventDispatcher: dispatcher,
      logger,
      batchSize: '5' as unknown as number,
      maxQueueSize: 2.5,
      maxRetries: Number.POSITIVE_INFINITY,
      closeTimeout: Number.POSITIVE_INFINITY,
      flushInterval: 0,
      maxConcurrentRequests: -1,
      backoff: { initialMs: -1, maxMs: Number.NaN, jitterMs: '1' as unknown as number },
    });
    expect(logger.lines).toEqual([
      'warn: Invalid batchSize 5; using 10.',
      'warn: Invalid flushInterval 0; using 30000.',
      'warn: Invalid maxQueueSize 2.5; using 10000.',
      'warn: Invalid maxRetries Infinity; using 3.',
      'warn: Invalid closeTimeout Infinity; using 10000.',
      'warn: Invalid maxConcurrentRequests -1; using 32.',
      'warn: Invalid backoff.initialMs -1; using 200.',
      'warn: Invalid backoff.maxMs NaN; using 1000.',
      'warn: Invalid backoff.jitterMs 1; using 50.',
    ]);
  });

  it('forwards every metric update to the recorder, and a throwing recorder costs no events', async () => {
    const updates: string[] = [];
    const processor = new BatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 2,
      metrics: {
        increment: (counter, amount, reason) =>
          updates.push(`${counter} ${amount}${reason ? ` ${reason}` : ''}`),
        gauge: (name, value) => updates.push(`${name}=${value}`),
      },
    });
    processor.process(makeImpression());
    processor.process(makeImpression());
    await processor.flush();
    await processor.stop();
    processor.process(makeImpression());
    expect(updates).toEqual([
      'queued 1',
      'queueSize=1',
      'queued 1',
      'queueSize=2',
      'queueSize=0',
      'dispatched 2',
      'dropped 1 closed',
    ]);

    const throwing = new BatchEventProcessor({
      eventDispatcher: dispatcher,
      batchSize: 1,
      metrics: {
        increment: () => {
          throw new Error('recorder down');
        },
        gauge: () => {
          throw new Error('recorder down');
        },
      },
    });
    throwing.process(makeImpression());
    await throwing.flush();
    expect(dispatcher.requests).toHaveLength(2);
    expect(throwing.getMetrics()).toMatchObject({ queued: 1, dispatched: 1, queueSize: 0 });
  });

  it('keeps at most maxConcurrentRequests requests in flight; the others wait their turn', async () => {
    let active = 0;
    let peak = 0;
    const pending: (() => void)[] = [];
    const slow: EventDispatcher = {
      dispatchEvent: () => {
        active++;
        peak = Math.max(peak, active);
        return new Promise((resolve) =>
          pending.push(() => {
            active--;
            resolve({ statusCode: 204 });
          }),
        );
      },
    };
    const processor = createBatchEventProcessor({
      eventDispatcher: slow,
      batchSize: 1,
      maxConcurrentRequests: 3,
    });
    for (let i = 0; i < 10; i++) processor.process(makeImpression());
    expect(active).toBe(3);
    while (processor.getMetrics().dispatched < 10) {
      pending.shift()?.();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(peak).toBe(3);
    expect(processor.getMetrics()).toMatchObject({ dispatched: 10, queueSize: 0 });
  });

  it('timers do not keep Node alive', () => {
    vi.useRealTimers();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, flushInterval: 60_000 });
    processor.process(makeImpression());
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBe(before);
  });
});

describe('BatchEventProcessor with an event store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps undelivered events in the store and sends them from the next run', async () => {
    const kv = new MemoryKeyValueStore();
    const failing = new RecordingDispatcher();
    failing.script = Array(100).fill(500);
    const first = createBatchEventProcessor({
      eventDispatcher: failing,
      eventStore: createKeyValueEventStore(kv),
      batchSize: 2,
      closeTimeout: 2000,
      backoff: NO_JITTER,
    });
    first.start();
    const events = [makeImpression(), makeConversion(), makeImpression()];
    for (const event of events) first.process(event);
    await vi.advanceTimersByTimeAsync(0);
    expect(kv.data.size).toBe(3);
    const stopped = first.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    await stopped;
    expect(first.getMetrics().dropped.close_timeout).toBe(0); // kept, not dropped
    expect(kv.data.size).toBe(3);

    const working = new RecordingDispatcher();
    const second = createBatchEventProcessor({
      eventDispatcher: working,
      eventStore: createKeyValueEventStore(kv),
      batchSize: 2,
    });
    second.start();
    await second.flush();
    expect(working.uuids().sort()).toEqual(events.map((e) => e.uuid).sort());
    expect(second.getMetrics()).toMatchObject({ queued: 3, dispatched: 3 });
    await vi.advanceTimersByTimeAsync(0);
    expect(kv.data.size).toBe(0);
  });

  it('still delivers when the store is full or throws, logging the failure once', async () => {
    const logger = new MemoryLogger();
    const broken: KeyValueStore = {
      get: () => undefined,
      set: () => {
        throw new Error('quota exceeded');
      },
      remove: () => {},
      keys: () => [],
    };
    const dispatcher = new RecordingDispatcher();
    const processor = createBatchEventProcessor({
      eventDispatcher: dispatcher,
      eventStore: createKeyValueEventStore(broken),
      batchSize: 5,
      logger,
    });
    processor.start();
    for (let i = 0; i < 5; i++) processor.process(makeImpression());
    await processor.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(processor.getMetrics().dispatched).toBe(5);
    expect(logger.lines.filter((l) => l.includes('event store'))).toHaveLength(1);
  });

  it('does not resend an event of this run that the store also lists', async () => {
    const kv = new MemoryKeyValueStore();
    const processor = createBatchEventProcessor({
      eventDispatcher: new RecordingDispatcher(),
      eventStore: createKeyValueEventStore(kv),
      batchSize: 10,
    });
    processor.process(makeImpression()); // saved before start() loads the store
    processor.start();
    await processor.flush();
    expect(processor.getMetrics()).toMatchObject({ queued: 1, dispatched: 1 });
  });
});

describe('createForwardingEventProcessor', () => {
  it('sends one request per event', async () => {
    const dispatcher = new RecordingDispatcher();
    const processor = createForwardingEventProcessor(dispatcher);
    processor.process(makeImpression());
    processor.process(makeConversion());
    await processor.stop();
    expect(dispatcher.requests.map((r) => (r.params as LogxBatch).visitors.length)).toEqual([1, 1]);
  });
});

describe('batching (property)', () => {
  it('batches never exceed batchSize, never mix contexts, and keep the order of events', async () => {
    const { default: fc } = await import('fast-check');
    const contexts = [makeContext(), makeContext({ projectId: '9' }), makeContext({ anonymizeIP: false })];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        (contextIndexes, batchSize) => {
          const dispatcher = new RecordingDispatcher();
          const processor = createBatchEventProcessor({ eventDispatcher: dispatcher, batchSize });
          const events = contextIndexes.map((i) => makeImpression({ context: contexts[i]! }));
          for (const event of events) processor.process(event);
          void processor.flush();
          expect(dispatcher.uuids()).toEqual(events.map((e) => e.uuid));
          for (const request of dispatcher.requests) {
            const batch = request.params as LogxBatch;
            expect(batch.visitors.length).toBeLessThanOrEqual(batchSize);
            expect(batch.visitors.length).toBeGreaterThan(0);
          }
          // A new batch starts exactly where the context changes or the batch is full.
          let index = 0;
          for (const request of dispatcher.requests) {
            const size = (request.params as LogxBatch).visitors.length;
            const slice = events.slice(index, index + size);
            expect(new Set(slice.map((e) => e.context)).size).toBe(1);
            const next = events[index + size];
            if (next && size < batchSize) expect(next.context).not.toBe(slice[0]!.context);
            index += size;
          }
        },
      ),
    );
  });
});
