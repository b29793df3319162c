/**
 * Scenario 2: one decision on a context built before timing — only `decide(flagKey)` is timed,
 * cycling over pre-built contexts (with segments) and the flags.
 */
import type { DatafileFixture } from '../fixtures';
import { type Batch, compareThroughput, type PerSide, type TimingOptions } from '../measure';
import type { BenchUserContext } from '../sdks';
import { type ScenarioResult, scenarioResult, THROUGHPUT_TARGET } from './scenario-result';

/** A batch that decides the next flag for the next pre-built context. */
export function prebuiltContextBatch(
  contexts: readonly BenchUserContext[],
  flagKeys: readonly string[],
): Batch {
  let u = 0;
  let f = 0;
  return (iterations) => {
    let enabled = 0;
    for (let i = 0; i < iterations; i++) {
      if (contexts[u]!.decide(flagKeys[f]!).enabled) enabled++;
      if (++f === flagKeys.length) f = 0;
      if (++u === contexts.length) {
        u = 0;
        if (++f === flagKeys.length) f = 0;
      }
    }
    return enabled;
  };
}

/** Runs scenario 2 on each side's contexts, one per user of `fixture`, in the same order. */
export function decidePrebuiltContext(
  fixture: DatafileFixture,
  contexts: PerSide<readonly BenchUserContext[]>,
  timing: TimingOptions,
): ScenarioResult {
  const result = compareThroughput(
    {
      flagkit: prebuiltContextBatch(contexts.flagkit, fixture.flagKeys),
      reference: prebuiltContextBatch(contexts.reference, fixture.flagKeys),
    },
    timing,
  );
  return scenarioResult({
    id: 'decide-prebuilt-context',
    title: `decide, pre-built context (${fixture.flagCount} flags)`,
    unit: 'ops/s',
    flagkit: result.flagkit.opsPerSec,
    reference: result.reference.opsPerSec,
    target: THROUGHPUT_TARGET,
    samples: { flagkit: result.flagkit.rounds, reference: result.reference.rounds },
  });
}
