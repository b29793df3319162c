/**
 * Event scenario 3: memory while the endpoint is dead (connections refused on a loopback port).
 * Each side's batch processor, with its defaults, takes `count` distinct events (fresh uuids);
 * after a GC the retained heap (with ArrayBuffer memory) is measured, then the processor is stopped.
 *
 * Rows: FlagKit and the reference at `count` events (informational: the reference stays small
 * because, without an event store, it forgets events whose retries failed), and FlagKit at 3 ×
 * `count` against FlagKit at `count`, which must stay flat: memory is bounded by maxQueueSize.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserEvent } from '@flagkit/core';
import { createBatchEventProcessor, createRequesterDispatcher } from '@flagkit/event-processor';
import { createUndiciRequester } from '@flagkit/node';
import {
  DeliveryCounter,
  REFERENCE_NODE_DISPATCHER,
  referenceBatchProcessor,
  yieldToEventLoop,
} from '../events/event-fixtures';
import { collectGarbage, median, type Side } from '../measure';
import { type ScenarioResult, scenarioResult, type Target } from './scenario-result';

/** FlagKit's heap after 3× the events at most 1.5× its heap after 1× (bounded by maxQueueSize). */
const BOUNDED_TARGET: Target = { kind: 'at-most', ratio: 1.5 };
const CHUNK = 1000;

export interface DeadEndpointOptions {
  /** Events offered in the 1× run; FlagKit's maxQueueSize is its default, 10 000. */
  readonly count: number;
  readonly rounds: number;
}

async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1/events`;
}

/**
 * Memory in use after a full GC, once the loop has settled for `settleMs` (the previous run's
 * abandoned retries and sockets finish within about a second): the JS heap plus ArrayBuffer
 * memory, which holds request bodies written as bytes (and Buffers) outside the heap.
 */
async function heapUsed(settleMs: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  collectGarbage();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
}

async function retainedBytes(side: Side, events: readonly UserEvent[], count: number, url: string) {
  const counter = new DeliveryCounter();
  const before = await heapUsed(1500);
  let dropped = 0;
  let held = 0;
  if (side === 'flagkit') {
    const requester = createUndiciRequester();
    const processor = createBatchEventProcessor({
      eventDispatcher: createRequesterDispatcher(requester),
      endpoint: url,
      closeTimeout: 200,
    });
    processor.start();
    await offer(events, count, (event) => processor.process(event));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // retries run and fail meanwhile
    const after = await heapUsed(0);
    const metrics = processor.getMetrics();
    held = metrics.queueSize;
    dropped = metrics.dropped.queue_full;
    await processor.stop();
    await requester.close();
    return { bytes: after - before, held, dropped };
  }
  const processor = referenceBatchProcessor({
    eventDispatcher: counter.wrap(REFERENCE_NODE_DISPATCHER, url),
    batchSize: 10,
    flushInterval: 30_000,
  });
  processor.start();
  await offer(events, count, (event) => void processor.process(event).catch(() => {}));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const after = await heapUsed(0);
  processor.stop();
  await processor.onTerminated().catch(() => {});
  return { bytes: after - before, held, dropped };
}

async function offer(events: readonly UserEvent[], count: number, process: (event: UserEvent) => void) {
  for (let sent = 0; sent < count; ) {
    for (let i = 0; i < CHUNK && sent < count; i++, sent++) {
      // Distinct events (own attributes, own uuid), as in production: each costs its own memory while held.
      const original = events[sent % events.length]!;
      const copy = structuredClone(original) as { uuid: string; context: unknown };
      copy.uuid = randomUUID();
      copy.context = original.context; // core shares one context object per config revision
      process(copy as UserEvent);
    }
    await yieldToEventLoop();
  }
}

export async function eventsDeadEndpointMemory(
  events: readonly UserEvent[],
  options: DeadEndpointOptions,
  progress: (message: string) => void,
): Promise<ScenarioResult[]> {
  const url = await deadUrl();
  const samples = { flagkit: [] as number[], reference: [] as number[], flagkit3x: [] as number[] };
  for (let round = 0; round < options.rounds; round++) {
    const fk = await retainedBytes('flagkit', events, options.count, url);
    const ref = await retainedBytes('reference', events, options.count, url);
    const fk3 = await retainedBytes('flagkit', events, options.count * 3, url);
    samples.flagkit.push(fk.bytes);
    samples.reference.push(ref.bytes);
    samples.flagkit3x.push(fk3.bytes);
    progress(
      `dead endpoint round ${round + 1}: flagkit holds ${fk.held} (dropped ${fk.dropped} queue_full), ` +
        `at 3x holds ${fk3.held} (dropped ${fk3.dropped}); the reference holds no failed events (lost without a store)`,
    );
  }
  return [
    scenarioResult({
      id: 'events-dead-endpoint-heap',
      title: `events: heap, dead endpoint, ${options.count} events (per processor)`,
      unit: 'bytes/client',
      flagkit: median(samples.flagkit),
      reference: median(samples.reference),
      target: null,
      samples: { flagkit: samples.flagkit, reference: samples.reference },
    }),
    scenarioResult({
      id: 'events-dead-endpoint-bounded',
      title: `events: FlagKit heap, dead endpoint, ${options.count * 3} vs ${options.count} events`,
      unit: 'bytes/client',
      flagkit: median(samples.flagkit3x),
      reference: median(samples.flagkit),
      target: BOUNDED_TARGET,
      samples: { flagkit: samples.flagkit3x, reference: samples.flagkit },
    }),
  ];
}
