/**
 * Holdouts: global ones (`holdouts`, applied to every flag before its rules; some with
 * `excludeTargetedDeliveries`) and local ones (`localHoldouts`, applied to the rules listed in
 * `includedRules`, experiment and delivery rules alike).
 */
import { makeRuleTargeting } from './audience-conditions';
import type { Holdout } from './datafile-types';
import type { GenerationContext } from './generation-context';

/** Both holdout sections. */
export interface GeneratedHoldouts {
  holdouts: Holdout[];
  localHoldouts: Holdout[];
}

function makeHoldout(
  ctx: GenerationContext,
  name: string,
  status: string,
  traffic: number,
  audienceIds: readonly string[],
): Holdout {
  const { random, options } = ctx;
  const variationId = ctx.ids.id();
  return {
    id: ctx.ids.id(),
    key: ctx.ruleKeys.key(name),
    status,
    variations: [
      {
        id: variationId,
        key: random.chance(0.5) ? 'off' : `${name}_off`,
        featureEnabled: options.quirks && random.chance(0.1),
        variables: [],
      },
    ],
    trafficAllocation: [{ entityId: variationId, endOfRange: traffic }],
    ...makeRuleTargeting(random, audienceIds, ctx.unknownId, { quirks: options.quirks, targetedShare: 0.4 }),
  };
}

/**
 * Generates the holdouts. The first global holdout is running, targets everyone and does not
 * exclude targeted deliveries; when there are several, at least one running global holdout does;
 * when there are three or more, at least one is not running.
 * @param ruleIds - ids of every experiment and delivery rule, for `includedRules`.
 */
export function generateHoldouts(
  ctx: GenerationContext,
  audienceIds: readonly string[],
  ruleIds: readonly string[],
): GeneratedHoldouts {
  const { random, options } = ctx;
  const holdouts: Holdout[] = [];
  for (let i = 0; i < options.holdouts; i++) {
    const status =
      i === 0
        ? 'Running'
        : random.weighted([
            [7, 'Running'],
            [2, 'Draft'],
            [1, 'Concluded'],
          ]);
    // The first global holdout targets everyone, so every datafile holds some users out.
    const holdout = makeHoldout(
      ctx,
      `global_holdout_${i}`,
      status,
      random.int(500, 1500),
      i === 0 ? [] : audienceIds,
    );
    const exclude =
      i === 0
        ? random.pick([false, undefined])
        : random.weighted<boolean | undefined>([
            [4, true],
            [2, false],
            [4, undefined],
          ]);
    if (exclude !== undefined) holdout.excludeTargetedDeliveries = exclude;
    // includedRules on a global holdout is ignored (the section decides the scope).
    if (ruleIds.length > 0 && random.chance(0.15)) holdout.includedRules = random.sample(ruleIds, 2);
    holdouts.push(holdout);
  }
  if (holdouts.length >= 2 && !holdouts.some((h) => h.status === 'Running' && h.excludeTargetedDeliveries)) {
    const last = holdouts[holdouts.length - 1] as Holdout;
    last.status = 'Running';
    last.excludeTargetedDeliveries = true;
  }
  if (holdouts.length >= 3 && holdouts.every((h) => h.status === 'Running')) {
    (holdouts[1] as Holdout).status = 'Draft';
  }

  const localHoldouts: Holdout[] = [];
  for (let i = 0; i < options.localHoldouts && ruleIds.length > 0; i++) {
    const status = random.chance(0.8) ? 'Running' : 'Draft';
    const holdout = makeHoldout(ctx, `local_holdout_${i}`, status, random.int(1000, 3000), audienceIds);
    holdout.includedRules = random.sample(ruleIds, random.int(1, 4));
    if (options.quirks && random.chance(0.2)) holdout.includedRules.push(ctx.unknownId());
    localHoldouts.push(holdout);
  }
  if (options.quirks && random.chance(0.5)) {
    // Without includedRules a local holdout is ignored (and logged).
    const ignored = makeHoldout(ctx, 'local_holdout_without_rules', 'Running', 5000, []);
    if (random.chance(0.5)) ignored.includedRules = [];
    localHoldouts.push(ignored);
  }
  return { holdouts, localHoldouts };
}
