/**
 * Scenario 1: one decision per new user context — `createUserContext` + set segments +
 * `decide(flagKey)` — cycling over the user pool and the flags. This is the usual server-side
 * pattern: a context per request, a flag or two per context.
 */
import type { DatafileFixture } from '../fixtures';
import { type Batch, compareThroughput, type PerSide, type TimingOptions } from '../measure';
import type { BenchClient } from '../sdks';
import { type ScenarioResult, scenarioResult, THROUGHPUT_TARGET } from './scenario-result';

/**
 * A batch that creates a context for the next user and decides the next flag for it. The flag
 * index also moves one step each time the user pool wraps, so over time every user meets every
 * flag (the pool size is usually a multiple of the flag count).
 */
export function newContextBatch(client: BenchClient, fixture: DatafileFixture): Batch {
  const { users, flagKeys } = fixture;
  let u = 0;
  let f = 0;
  return (iterations) => {
    let enabled = 0;
    for (let i = 0; i < iterations; i++) {
      const user = users[u]!;
      const context = client.createUserContext(user.userId, user.attributes)!;
      context.qualifiedSegments = user.segments;
      if (context.decide(flagKeys[f]!).enabled) enabled++;
      if (++f === flagKeys.length) f = 0;
      if (++u === users.length) {
        u = 0;
        if (++f === flagKeys.length) f = 0;
      }
    }
    return enabled;
  };
}

/** Runs scenario 1 on ready clients of `fixture`'s datafile. */
export function decideNewContext(
  fixture: DatafileFixture,
  clients: PerSide<BenchClient>,
  timing: TimingOptions,
): ScenarioResult {
  const result = compareThroughput(
    {
      flagkit: newContextBatch(clients.flagkit, fixture),
      reference: newContextBatch(clients.reference, fixture),
    },
    timing,
  );
  return scenarioResult({
    id: 'decide-new-context',
    title: `decide, new context (${fixture.flagCount} flags)`,
    unit: 'ops/s',
    flagkit: result.flagkit.opsPerSec,
    reference: result.reference.opsPerSec,
    target: THROUGHPUT_TARGET,
    samples: { flagkit: result.flagkit.rounds, reference: result.reference.rounds },
  });
}
