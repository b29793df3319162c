/**
 * Event scenario 2: end-to-end events/s to a loopback HTTP sink (a raw-socket responder in a
 * child process, answering 204). One run enqueues `count` events (yielding every 200 so I/O
 * proceeds), flushes, and ends when the sink has acknowledged every event; events/s = count / elapsed.
 *
 * Every run gets freshly captured events (outside the timed region), so no per-object cache of
 * either SDK stays warm from an earlier run: each run pays what production pays for new events.
 *
 * Rows: each SDK with its own HTTP stack (the reference's default node dispatcher; FlagKit's
 * requester dispatcher on `@flagkit/node`'s undici requester, as the node entrypoint wires it),
 * which carries the target; the same runs counted in events per CPU-second of the benchmark
 * process (user + system time of all its threads: what each SDK costs its host, and far less
 * sensitive than wall time to other load on a shared machine); and both SDKs on one dispatcher,
 * which isolates the processors.
 */
import type { EventDispatcher, UserEvent } from '@flagkit/core';
import { createBatchEventProcessor, createRequesterDispatcher } from '@flagkit/event-processor';
import { createUndiciRequester } from '@flagkit/node';
import {
  DeliveryCounter,
  LoopbackSink,
  REFERENCE_NODE_DISPATCHER,
  referenceBatchProcessor,
  yieldToEventLoop,
} from '../events/event-fixtures';
import { collectGarbage, median, now, type Side } from '../measure';
import { type ScenarioResult, scenarioResult, type Target } from './scenario-result';

/** FlagKit at least five times the reference's events/s. */
export const EVENTS_END_TO_END_TARGET: Target = { kind: 'at-least', ratio: 5 };

export interface EventsEndToEndOptions {
  /** Events per run. */
  readonly count: number;
  readonly rounds: number;
}

/** Captures `count` new user events (new user contexts, new config) for one run. */
export type CaptureEvents = (count: number) => Promise<UserEvent[]>;

const CHUNK = 200;

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunResult {
  /** Events acknowledged per second of wall time. */
  readonly perSecond: number;
  /** Events acknowledged per second of this process's CPU time. */
  readonly perCpuSecond: number;
}

/** One timed run of one side: `count` fresh events enqueued, flushed and acknowledged. */
export async function runEndToEnd(
  side: Side,
  dispatcher: EventDispatcher,
  sink: LoopbackSink,
  capture: CaptureEvents,
  count: number,
  /** Runs right before the timed region (after the garbage collection), e.g. to start a profiler. */
  beforeTimed?: () => Promise<void>,
): Promise<RunResult> {
  const events = await capture(count);
  // FlagKit posts to the sink through its `endpoint` option and counts acknowledged events itself;
  // the reference's LogEvents name logx, so a wrapper points them at the sink and counts for it.
  const counter = new DeliveryCounter();
  const flagkit =
    side === 'flagkit'
      ? createBatchEventProcessor({
          eventDispatcher: dispatcher,
          endpoint: sink.url,
          batchSize: 10,
          flushInterval: 1000,
          maxQueueSize: count,
        })
      : null;
  const reference =
    side === 'reference'
      ? referenceBatchProcessor({
          eventDispatcher: counter.wrap(dispatcher, sink.url),
          batchSize: 10,
          flushInterval: 1000,
        })
      : null;
  const processor = flagkit ?? reference!;
  const delivered = flagkit ? () => flagkit.getMetrics().dispatched : () => counter.delivered;
  processor.start();
  collectGarbage();
  if (beforeTimed) await beforeTimed();
  const cpuBefore = process.cpuUsage();
  const start = now();
  for (let sent = 0; sent < count; ) {
    for (let i = 0; i < CHUNK && sent < count; i++, sent++) processor.process(events[sent % events.length]!);
    await yieldToEventLoop();
  }
  await yieldToEventLoop();
  void processor.flush();
  // Sleep, not spin, while the last requests are out: a setImmediate loop would burn the CPU the
  // sink (and the CPU-second row) should not be charged for.
  while (delivered() < count) await sleepMs(1);
  const elapsed = now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  if (flagkit) await flagkit.stop();
  else reference!.stop();
  return { perSecond: (count / elapsed) * 1000, perCpuSecond: (count / (cpu.user + cpu.system)) * 1e6 };
}

async function compare(
  id: string,
  title: string,
  dispatchers: Readonly<Record<Side, EventDispatcher>>,
  target: Target | null,
  sink: LoopbackSink,
  capture: CaptureEvents,
  options: EventsEndToEndOptions,
): Promise<{ wall: ScenarioResult; cpu: ScenarioResult }> {
  const warmup = Math.min(options.count, 2000);
  await runEndToEnd('flagkit', dispatchers.flagkit, sink, capture, warmup);
  await runEndToEnd('reference', dispatchers.reference, sink, capture, warmup);
  const wall: Record<Side, number[]> = { flagkit: [], reference: [] };
  const cpu: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order: readonly Side[] = round % 2 === 0 ? ['flagkit', 'reference'] : ['reference', 'flagkit'];
    for (const side of order) {
      const result = await runEndToEnd(side, dispatchers[side], sink, capture, options.count);
      wall[side].push(result.perSecond);
      cpu[side].push(result.perCpuSecond);
    }
  }
  const row = (rowId: string, rowTitle: string, samples: Record<Side, number[]>, rowTarget: Target | null) =>
    scenarioResult({
      id: rowId,
      title: rowTitle,
      unit: 'ops/s',
      flagkit: median(samples.flagkit),
      reference: median(samples.reference),
      target: rowTarget,
      samples,
    });
  return {
    wall: row(id, title, wall, target),
    cpu: row(`${id}-cpu`, title.replace('(events/s)', '(events/CPU-s)'), cpu, null),
  };
}

export async function eventsEndToEnd(
  capture: CaptureEvents,
  options: EventsEndToEndOptions,
): Promise<ScenarioResult[]> {
  const sink = new LoopbackSink();
  const ownRequester = createUndiciRequester();
  const sharedRequester = createUndiciRequester();
  await sink.start();
  try {
    const flagkitDispatcher = createRequesterDispatcher(ownRequester);
    const own = await compare(
      'events-end-to-end',
      'events: end to end to loopback (events/s)',
      { flagkit: flagkitDispatcher, reference: REFERENCE_NODE_DISPATCHER },
      EVENTS_END_TO_END_TARGET,
      sink,
      capture,
      options,
    );
    const shared = createRequesterDispatcher(sharedRequester);
    const same = await compare(
      'events-end-to-end-same-dispatcher',
      'events: end to end, same dispatcher (events/s)',
      { flagkit: shared, reference: shared },
      null,
      sink,
      capture,
      options,
    );
    return [own.wall, own.cpu, same.wall];
  } finally {
    await Promise.all([ownRequester.close(), sharedRequester.close()]);
    await sink.stop();
  }
}
