/**
 * Standalone (legacy) A/B experiments: not attached to any flag, no variables. They are what
 * the legacy `activate` / `getVariation` APIs were built for.
 */
import { makeRuleTargeting } from './audience-conditions';
import type { Experiment, Variation } from './datafile-types';
import { WHITELIST_USER_IDS } from './generate-flags';
import type { GenerationContext } from './generation-context';
import { splitTraffic } from './traffic-allocation';

/** Generates `options.standaloneExperiments` experiments. */
export function generateStandaloneExperiments(
  ctx: GenerationContext,
  audienceIds: readonly string[],
): Experiment[] {
  const { random, options } = ctx;
  const out: Experiment[] = [];
  for (let i = 0; i < options.standaloneExperiments; i++) {
    const key = ctx.ruleKeys.key(`legacy_experiment_${i}`);
    const variations: Variation[] = ['control', 'treatment', 'treatment_b']
      .slice(0, random.int(1, 3))
      .map((name) => {
        const v: Variation = { id: ctx.ids.id(), key: name };
        if (random.chance(0.3)) v.featureEnabled = false;
        if (random.chance(0.5)) v.variables = [];
        return v;
      });
    const experiment: Experiment = {
      id: ctx.ids.id(),
      key,
      status: random.chance(options.pausedShare) ? 'Paused' : 'Running',
      layerId: ctx.ids.id(),
      variations,
      trafficAllocation: splitTraffic(
        random,
        variations.map((v) => v.id),
        { partialShare: 0.3, holeShare: 0.1, unknownEntityShare: 0, unknownId: ctx.unknownId },
      ),
      ...makeRuleTargeting(random, audienceIds, ctx.unknownId, {
        quirks: options.quirks,
        targetedShare: options.targetedShare,
      }),
      forcedVariations: {},
    };
    if (random.chance(0.4)) {
      const userId = random.pick(WHITELIST_USER_IDS);
      experiment.forcedVariations[userId] = random.pick(variations).key;
    }
    out.push(experiment);
  }
  return out;
}
