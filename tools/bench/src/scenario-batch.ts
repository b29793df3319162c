/**
 * One scenario's timed operation as a batch, for the tools that look at a single SDK running it
 * (the CPU profiler, the instruction counter) rather than comparing both.
 */
import { createFixture } from './fixtures';
import type { Batch, Side } from './measure';
import { DEFAULT_SEED } from './options';
import { decideAllBatch } from './scenarios/decide-all';
import { newContextBatch } from './scenarios/decide-new-context';
import { prebuiltContextBatch } from './scenarios/decide-prebuilt-context';
import { CLIENT_FACTORIES, readyClient, userContextFor } from './sdks';

/** The scenarios a batch can be built for. */
export const PROFILED_SCENARIOS = [
  'decide-new-context',
  'decide-prebuilt-context',
  'decide-all-50',
  'decide-all-200',
  'load-time-200',
];

/** The command-line options both single-SDK tools take; `users` defaults to `defaultUsers`. */
export function scenarioOptions(defaultUsers: string) {
  return {
    scenario: { type: 'string' },
    side: { type: 'string', default: 'flagkit' },
    users: { type: 'string', default: defaultUsers },
    help: { type: 'boolean', default: false },
  } as const;
}

/** Whether `scenario` is one of {@link PROFILED_SCENARIOS} and `side` names an SDK. */
export function isScenarioAndSide(scenario: string, side: string): side is Side {
  return PROFILED_SCENARIOS.includes(scenario) && (side === 'flagkit' || side === 'reference');
}

/** Builds a batch that runs the scenario's operation for `side`; for load-time, one load is one operation. */
export async function scenarioBatch(scenario: string, side: Side, users: number): Promise<Batch> {
  const flags = scenario.endsWith('-200') ? 200 : 50;
  const fixture = createFixture({ flags, users, seed: DEFAULT_SEED + (flags === 200 ? 100 : 0) });
  if (scenario === 'load-time-200') {
    const factory = CLIENT_FACTORIES[side];
    // Loads are asynchronous only through onReady; the config is built synchronously by
    // createInstance in both SDKs, which is what this profiles.
    return (iterations) => {
      for (let i = 0; i < iterations; i++) void factory(fixture.text).close();
      return iterations;
    };
  }
  const client = await readyClient(side, fixture.text);
  if (scenario === 'decide-new-context') return newContextBatch(client, fixture);
  const contexts = fixture.users.map((user) => userContextFor(client, user));
  if (scenario === 'decide-prebuilt-context') return prebuiltContextBatch(contexts, fixture.flagKeys);
  return decideAllBatch(contexts, fixture.flagKeys);
}
