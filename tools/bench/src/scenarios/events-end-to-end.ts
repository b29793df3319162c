/**
 * Event scenario 2: end-to-end events/s to a loopback HTTP sink (a node:http server in this
 * process, answering 204). One run enqueues `count` events (yielding every 200 so I/O proceeds),
 * flushes, and ends when the sink has acknowledged every event; events/s = count / elapsed.
 *
 * Two rows: each SDK with its own HTTP stack (the reference's default node dispatcher; FlagKit's
 * requester dispatcher on a keep-alive node:http requester, as the node entrypoint supplies),
 * which carries the target; and both with the same dispatcher, which isolates the processors.
 */
import type { EventDispatcher, UserEvent } from '@flagkit/core';
import { createBatchEventProcessor, createRequesterDispatcher } from '@flagkit/event-processor';
import {
  DeliveryCounter,
  LoopbackSink,
  REFERENCE_NODE_DISPATCHER,
  referenceBatchProcessor,
  yieldToEventLoop,
} from '../events/event-fixtures';
import { createNodeRequester } from '../events/node-requester';
import { collectGarbage, median, now, type Side } from '../measure';
import { type ScenarioResult, scenarioResult, type Target } from './scenario-result';

/** FlagKit at least five times the reference's events/s. */
export const EVENTS_END_TO_END_TARGET: Target = { kind: 'at-least', ratio: 5 };

export interface EventsEndToEndOptions {
  /** Events per run. */
  readonly count: number;
  readonly rounds: number;
}

const CHUNK = 200;

async function run(
  side: Side,
  dispatcher: EventDispatcher,
  sink: LoopbackSink,
  events: readonly UserEvent[],
  count: number,
): Promise<number> {
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
  const start = now();
  for (let sent = 0; sent < count; ) {
    for (let i = 0; i < CHUNK && sent < count; i++, sent++) processor.process(events[sent % events.length]!);
    await yieldToEventLoop();
  }
  await yieldToEventLoop();
  void processor.flush();
  while (delivered() < count) await yieldToEventLoop();
  const elapsed = now() - start;
  if (flagkit) await flagkit.stop();
  else reference!.stop();
  return (count / elapsed) * 1000;
}

async function compare(
  id: string,
  title: string,
  dispatchers: Readonly<Record<Side, EventDispatcher>>,
  target: Target | null,
  sink: LoopbackSink,
  events: readonly UserEvent[],
  options: EventsEndToEndOptions,
): Promise<ScenarioResult> {
  const warmup = Math.min(options.count, 2000);
  await run('flagkit', dispatchers.flagkit, sink, events, warmup);
  await run('reference', dispatchers.reference, sink, events, warmup);
  const samples: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order: readonly Side[] = round % 2 === 0 ? ['flagkit', 'reference'] : ['reference', 'flagkit'];
    for (const side of order) {
      collectGarbage();
      samples[side].push(await run(side, dispatchers[side], sink, events, options.count));
    }
  }
  return scenarioResult({
    id,
    title,
    unit: 'ops/s',
    flagkit: median(samples.flagkit),
    reference: median(samples.reference),
    target,
    samples,
  });
}

export async function eventsEndToEnd(
  events: readonly UserEvent[],
  options: EventsEndToEndOptions,
): Promise<ScenarioResult[]> {
  const sink = new LoopbackSink();
  await sink.start();
  try {
    const flagkitDispatcher = createRequesterDispatcher(createNodeRequester());
    const own = await compare(
      'events-end-to-end',
      'events: end to end to loopback (events/s)',
      { flagkit: flagkitDispatcher, reference: REFERENCE_NODE_DISPATCHER },
      EVENTS_END_TO_END_TARGET,
      sink,
      events,
      options,
    );
    const shared = createRequesterDispatcher(createNodeRequester());
    const same = await compare(
      'events-end-to-end-same-dispatcher',
      'events: end to end, same dispatcher (events/s)',
      { flagkit: shared, reference: shared },
      null,
      sink,
      events,
      options,
    );
    return [own, same];
  } finally {
    await sink.stop();
  }
}
