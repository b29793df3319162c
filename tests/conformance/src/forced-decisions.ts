/**
 * Random forced decisions (`setForcedDecision`) for a user: flag-level and rule-level, with
 * valid variation keys, keys of other flags, holdout variation keys, unknown keys, unknown
 * rules and unknown flags.
 */
import type { Random } from '@flagkit/datafile-generator';
import type { DatafileFacts } from './datafile-facts';

/** One `setForcedDecision(context, decision)` call. */
export interface ForcedDecision {
  readonly context: { flagKey: string; ruleKey?: string };
  readonly decision: { variationKey: string };
}

/** One to three forced decisions (none when the datafile has no flags). */
export function randomForcedDecisions(random: Random, facts: DatafileFacts): ForcedDecision[] {
  if (facts.flags.length === 0) return [];
  const out: ForcedDecision[] = [];
  for (let i = random.int(1, 3); i > 0; i--) {
    const flag = random.pick(facts.flags);
    const other = random.pick(facts.flags);
    const variationKey = random.weighted<() => string>([
      [flag.variationKeys.length > 0 ? 7 : 0, () => random.pick(flag.variationKeys)],
      [other.variationKeys.length > 0 ? 1 : 0, () => random.pick(other.variationKeys)],
      [facts.holdoutVariationKeys.length > 0 ? 1 : 0, () => random.pick(facts.holdoutVariationKeys)],
      [1, () => 'no_such_variation'],
    ])();
    const ruleKey = random.weighted<() => string | undefined>([
      [3, () => undefined],
      [flag.experimentRuleKeys.length > 0 ? 3 : 0, () => random.pick(flag.experimentRuleKeys)],
      [flag.deliveryRuleKeys.length > 0 ? 3 : 0, () => random.pick(flag.deliveryRuleKeys)],
      [other.deliveryRuleKeys.length > 0 ? 1 : 0, () => random.pick(other.deliveryRuleKeys)],
      [1, () => 'no_such_rule'],
    ])();
    out.push({
      context: ruleKey === undefined ? { flagKey: flag.key } : { flagKey: flag.key, ruleKey },
      decision: { variationKey },
    });
  }
  if (random.chance(0.1))
    out.push({ context: { flagKey: 'no_such_flag' }, decision: { variationKey: 'on' } });
  return out;
}
