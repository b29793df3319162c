/**
 * Scenarios 3 and 4: `decideAll()` on pre-built contexts, cycling over the user pool. One
 * operation decides every flag of the datafile.
 */
import type { DatafileFixture } from '../fixtures';
import { type Batch, compareThroughput, type PerSide, type TimingOptions } from '../measure';
import type { BenchUserContext } from '../sdks';
import { type ScenarioResult, scenarioResult, THROUGHPUT_TARGET } from './scenario-result';

/**
 * A batch that runs `decideAll` for the next context. It reads one flag's decision from each
 * result (a different flag each time) so the result stays observable without adding a loop
 * over all of it.
 */
export function decideAllBatch(contexts: readonly BenchUserContext[], flagKeys: readonly string[]): Batch {
  let u = 0;
  let f = 0;
  return (iterations) => {
    let enabled = 0;
    for (let i = 0; i < iterations; i++) {
      const decisions = contexts[u]!.decideAll();
      if (decisions[flagKeys[f]!]?.enabled) enabled++;
      if (++f === flagKeys.length) f = 0;
      if (++u === contexts.length) u = 0;
    }
    return enabled;
  };
}

/** Runs `decideAll` over `fixture`'s datafile (scenario 3 with 50 flags, 4 with 200). */
export function decideAll(
  fixture: DatafileFixture,
  contexts: PerSide<readonly BenchUserContext[]>,
  timing: TimingOptions,
): ScenarioResult {
  const result = compareThroughput(
    {
      flagkit: decideAllBatch(contexts.flagkit, fixture.flagKeys),
      reference: decideAllBatch(contexts.reference, fixture.flagKeys),
    },
    timing,
  );
  return scenarioResult({
    id: `decide-all-${fixture.flagCount}`,
    title: `decideAll (${fixture.flagCount} flags)`,
    unit: 'ops/s',
    flagkit: result.flagkit.opsPerSec,
    reference: result.reference.opsPerSec,
    target: THROUGHPUT_TARGET,
    samples: { flagkit: result.flagkit.rounds, reference: result.reference.rounds },
  });
}
