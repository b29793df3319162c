/**
 * Event scenario 1: enqueue throughput. One operation is `process(event)` on each SDK's batch
 * processor (batch size 10), including the batching and request building it triggers; the
 * dispatcher answers at once without any I/O, so this is the processor's own cost. The loop
 * yields to the event loop every 1 000 events so the reference's asynchronous enqueue completes
 * inside the timed region.
 */
import type { EventDispatcher, UserEvent } from '@flagkit/core';
import { createBatchEventProcessor } from '@flagkit/event-processor';
import { referenceBatchProcessor, yieldToEventLoop } from '../events/event-fixtures';
import { collectGarbage, median, now, type Side, type TimingOptions } from '../measure';
import { type ScenarioResult, scenarioResult } from './scenario-result';

const CHUNK = 1000;
const instant: EventDispatcher = { dispatchEvent: () => Promise.resolve({ statusCode: 204 }) };

async function measure(side: Side, events: readonly UserEvent[], minTimeMs: number): Promise<number> {
  const processor =
    side === 'flagkit'
      ? createBatchEventProcessor({ eventDispatcher: instant, batchSize: 10, flushInterval: 600_000 })
      : referenceBatchProcessor({ eventDispatcher: instant, batchSize: 10, flushInterval: 600_000 });
  processor.start();
  let ops = 0;
  let next = 0;
  const start = now();
  while (now() - start < minTimeMs) {
    for (let i = 0; i < CHUNK; i++) {
      processor.process(events[next]!);
      next = next + 1 === events.length ? 0 : next + 1;
    }
    ops += CHUNK;
    await yieldToEventLoop();
  }
  const elapsed = now() - start;
  if (side === 'flagkit') await (processor as { stop(): Promise<void> }).stop();
  else processor.stop();
  return (ops / elapsed) * 1000;
}

export async function eventsEnqueue(
  events: readonly UserEvent[],
  timing: TimingOptions,
): Promise<ScenarioResult> {
  await measure('flagkit', events, timing.warmupMs);
  await measure('reference', events, timing.warmupMs);
  const samples: Record<Side, number[]> = { flagkit: [], reference: [] };
  for (let round = 0; round < timing.rounds; round++) {
    const order: readonly Side[] = round % 2 === 0 ? ['flagkit', 'reference'] : ['reference', 'flagkit'];
    for (const side of order) {
      collectGarbage();
      samples[side].push(await measure(side, events, timing.minTimeMs));
    }
  }
  return scenarioResult({
    id: 'events-enqueue',
    title: 'events: enqueue (process, batch 10)',
    unit: 'ops/s',
    flagkit: median(samples.flagkit),
    reference: median(samples.reference),
    target: null,
    samples,
  });
}
