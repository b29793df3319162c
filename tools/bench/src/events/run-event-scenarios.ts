/**
 * The event processor scenarios (`events-*`), run from main.ts in one call.
 */
import type { DatafileFixture } from '../fixtures';
import type { TimingOptions } from '../measure';
import type { BenchOptions } from '../options';
import { eventsDeadEndpointMemory } from '../scenarios/events-dead-endpoint-memory';
import { eventsEndToEnd } from '../scenarios/events-end-to-end';
import { eventsEnqueue } from '../scenarios/events-enqueue';
import type { ScenarioResult } from '../scenarios/scenario-result';
import { captureUserEvents } from './event-fixtures';

/** Scenario ids of this group, for `--only`. */
export const EVENT_SCENARIO_IDS = ['events-enqueue', 'events-end-to-end', 'events-dead-endpoint'] as const;

export async function runEventScenarios(
  options: BenchOptions,
  fixture: DatafileFixture,
  timing: TimingOptions,
  isSelected: (id: string) => boolean,
  progress: (message: string) => void,
): Promise<ScenarioResult[]> {
  // The processors' timers never keep Node alive (by design); while a scenario waits on one
  // (retry backoff against a dead endpoint) this interval does.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    return await runAll(options, fixture, timing, isSelected, progress);
  } finally {
    clearInterval(keepAlive);
  }
}

async function runAll(
  options: BenchOptions,
  fixture: DatafileFixture,
  timing: TimingOptions,
  isSelected: (id: string) => boolean,
  progress: (message: string) => void,
): Promise<ScenarioResult[]> {
  const quick = options.timeMs < 1000;
  const events = await captureUserEvents(fixture, 5000);
  const impressions = events.filter((e) => e.type === 'impression').length;
  progress(
    `captured ${events.length} user events (${impressions} impressions) from the ${fixture.flagCount}-flag datafile`,
  );
  const results: ScenarioResult[] = [];
  if (isSelected('events-enqueue')) {
    progress('events: enqueue...');
    results.push(await eventsEnqueue(events, timing));
  }
  if (isSelected('events-end-to-end')) {
    progress('events: end to end to a loopback sink...');
    results.push(
      ...(await eventsEndToEnd((count) => captureUserEvents(fixture, count), {
        count: quick ? 5000 : 20_000,
        rounds: timing.rounds,
      })),
    );
  }
  // Memory last: its events are structured clones, whose object shapes differ from core's, and
  // feeding them first would leave the processors' code polymorphic for the throughput scenarios.
  if (isSelected('events-dead-endpoint')) {
    progress('events: memory with a dead endpoint...');
    results.push(
      ...(await eventsDeadEndpointMemory(events, { count: 15_000, rounds: quick ? 1 : 3 }, progress)),
    );
  }
  return results;
}
