/**
 * Feature flags with their variables, experiment rules (`ab`, `fr`, `mab`, `td`, `cmab`, or no
 * type) and rollouts (targeted delivery rules, then Everyone Else). Flags share a pool of
 * variations among their rules, as Optimizely Feature Experimentation does.
 */
import { makeRuleTargeting } from './audience-conditions';
import type { Experiment, FeatureFlag, FeatureVariable, Rollout, Variation } from './datafile-types';
import type { GenerationContext } from './generation-context';
import { MAX_TRAFFIC, splitTraffic } from './traffic-allocation';
import {
  effectiveType,
  VARIABLE_FLAVORS,
  type VariableFlavor,
  variableTypeOf,
  variableValue,
} from './variable-values';

/** User ids that experiments whitelist (`forcedVariations`). */
export const WHITELIST_USER_IDS: readonly string[] = [
  'qa_user_1',
  'qa-tester@example.com',
  'forced_ユーザー',
  '👩‍💻dev',
  '12345',
  'whitelisted user',
  'Ünïcødé-QA',
];

/** A variation key that no rule has, used in some whitelists. */
export const INVALID_WHITELIST_VARIATION_KEY = 'no_such_variation';

const FLAG_WORDS = [
  'checkout',
  'search',
  'banner',
  'pricing',
  'onboarding',
  'dark_mode',
  'recs',
  'ünïcode',
  'beta',
];

/** The flags and everything attached to them. */
export interface GeneratedFlags {
  featureFlags: FeatureFlag[];
  rollouts: Rollout[];
  /** Every experiment rule of every flag, in flag order. */
  experimentRules: Experiment[];
  /** Ids of experiment rules chosen to go into exclusion groups. */
  groupCandidates: Set<string>;
  /** Ids of every delivery rule, Everyone Else included. */
  deliveryRuleIds: string[];
}

/** A deep copy of a variation, so rules never share objects. */
function copyVariation(v: Variation): Variation {
  return JSON.parse(JSON.stringify(v)) as Variation;
}

/** Builds a variation overriding each variable with probability `overrideShare`. */
function makeVariation(
  ctx: GenerationContext,
  key: string,
  featureEnabled: boolean,
  variables: readonly FeatureVariable[],
  overrideShare: number,
): Variation {
  const { random, options } = ctx;
  const variation: Variation = {
    id: ctx.ids.id(),
    key,
    featureEnabled,
    variables: random.subset(variables, overrideShare).map((variable) => ({
      id: variable.id,
      value: variableValue(random, effectiveType(variable), options.quirks ? 0.04 : 0),
    })),
  };
  if (options.quirks && variation.variables?.length === 0 && random.chance(0.2)) delete variation.variables;
  return variation;
}

/** Adds a whitelist to `rule` sometimes; occasionally with a key the rule lacks. */
function whitelist(ctx: GenerationContext, rule: Experiment): void {
  const { random } = ctx;
  if (rule.variations.length === 0 || !random.chance(0.25)) return;
  for (const userId of random.sample(WHITELIST_USER_IDS, random.int(1, 3))) {
    rule.forcedVariations[userId] = random.chance(0.1)
      ? INVALID_WHITELIST_VARIATION_KEY
      : random.pick(rule.variations).key;
  }
}

function makeFlagVariables(ctx: GenerationContext, flagIndex: number): FeatureVariable[] {
  const { random, options } = ctx;
  const flavors: VariableFlavor[] =
    flagIndex === 0
      ? [...VARIABLE_FLAVORS]
      : Array.from(
          {
            length: random.weighted([
              [2, 0],
              [3, 1],
              [3, 2],
              [2, 3],
              [1, 5],
            ]),
          },
          () => random.pick(VARIABLE_FLAVORS),
        );
  return flavors.map((flavor, j) => {
    const typed = variableTypeOf(flavor);
    const variable: FeatureVariable = {
      id: ctx.ids.id(),
      key: j === 2 ? `größe_${j}` : `${flavor.replace('-', '_')}_${j}`,
      type: typed.type,
      defaultValue: variableValue(random, effectiveType(typed), options.quirks ? 0.04 : 0),
    };
    if (typed.subType) variable.subType = typed.subType;
    return variable;
  });
}

function makeExperimentRule(
  ctx: GenerationContext,
  flagKey: string,
  index: number,
  pool: readonly Variation[],
  variables: readonly FeatureVariable[],
  audienceIds: readonly string[],
): { rule: Experiment; groupable: boolean } {
  const { random, options } = ctx;
  const type: string | undefined = random.chance(options.featureRolloutShare)
    ? 'fr'
    : random.chance(options.cmabShare)
      ? 'cmab'
      : random.weighted<string | undefined>([
          [70, 'ab'],
          [20, undefined],
          [5, 'mab'],
          [5, 'td'],
        ]);
  const key = ctx.ruleKeys.key(type === 'fr' ? `${flagKey}_rollout_${index}` : `${flagKey}_exp_${index}`);
  const on = pool.find((v) => v.featureEnabled) ?? pool[0];
  let variations: Variation[];
  if (type === 'fr' && on) {
    variations = [copyVariation(on)];
  } else {
    variations = random
      .sample(pool, random.int(Math.min(2, pool.length), Math.min(3, pool.length)))
      .map(copyVariation);
    if (random.chance(0.15)) {
      variations.push(makeVariation(ctx, `${key}_only`, random.chance(0.8), variables, 0.6));
    }
  }
  const traffic =
    type === 'fr'
      ? [{ entityId: variations[0]?.id ?? '', endOfRange: random.int(0, 100) * 100 }]
      : splitTraffic(
          random,
          variations.map((v) => v.id),
          {
            partialShare: 0.3,
            holeShare: 0.1,
            unknownEntityShare: options.quirks ? 0.03 : 0,
            unknownId: ctx.unknownId,
          },
        );
  const targeting = makeRuleTargeting(random, audienceIds, ctx.unknownId, {
    quirks: options.quirks,
    targetedShare: options.targetedShare,
  });
  const rule: Experiment = {
    id: ctx.ids.id(),
    key,
    status: random.chance(options.pausedShare) ? random.pick(['Paused', 'Not started']) : 'Running',
    layerId: ctx.ids.id(),
    variations,
    trafficAllocation: traffic,
    ...targeting,
    forcedVariations: {},
  };
  if (type !== undefined) rule.type = type;
  if (type === 'cmab') {
    rule.cmab = {
      trafficAllocation: random.int(0, MAX_TRAFFIC),
      attributeIds: random.sample(ctx.attributeIds, 2),
    };
  }
  whitelist(ctx, rule);
  const groupable = (type === 'ab' || type === undefined) && random.chance(options.groupShare);
  return { rule, groupable };
}

function makeRollout(
  ctx: GenerationContext,
  flag: { id: string; key: string },
  pool: readonly Variation[],
  audienceIds: readonly string[],
): Rollout {
  const { random, options } = ctx;
  const rolloutId = ctx.ids.id();
  const on = pool.find((v) => v.key === 'on') ?? (pool[0] as Variation);
  const off = pool.find((v) => v.key === 'off') ?? (pool[0] as Variation);
  const experiments: Experiment[] = [];
  const targetedCount = random.int(0, options.maxDeliveryRules);
  for (let j = 0; j < targetedCount; j++) {
    const variation = random.weighted<Variation>([
      [7, on],
      [2, off],
      [1, random.pick(pool)],
    ]);
    const endOfRange = random.weighted([
      [45, MAX_TRAFFIC],
      [45, random.int(0, 100) * 100],
      [7, random.int(0, MAX_TRAFFIC)],
      [3, -1],
    ]);
    const rule: Experiment = {
      id: ctx.ids.id(),
      key: ctx.ruleKeys.key(`${flag.key}_targeted_delivery_${j}`),
      status: options.quirks && random.chance(0.05) ? 'Paused' : 'Running',
      layerId: ctx.ids.id(),
      variations: [copyVariation(variation)],
      trafficAllocation: endOfRange < 0 ? [] : [{ entityId: variation.id, endOfRange }],
      ...makeRuleTargeting(random, audienceIds, ctx.unknownId, {
        quirks: options.quirks,
        targetedShare: 0.85,
      }),
      forcedVariations: {},
    };
    // Delivery rules ignore whitelists; the official SDK never reads them there.
    if (options.quirks && random.chance(0.1)) whitelist(ctx, rule);
    experiments.push(rule);
  }
  const everyoneElse = random.chance(0.5) ? off : on;
  experiments.push({
    id: ctx.ids.id(),
    key: ctx.ruleKeys.key(`default-rollout-${rolloutId}-${flag.id}`),
    status: 'Running',
    layerId: ctx.ids.id(),
    variations: [copyVariation(everyoneElse)],
    trafficAllocation: [
      { entityId: everyoneElse.id, endOfRange: random.chance(0.8) ? MAX_TRAFFIC : random.int(0, 100) * 100 },
    ],
    audienceIds: [],
    ...(random.chance(0.5) ? { audienceConditions: [] } : {}),
    forcedVariations: {},
  });
  if (options.quirks && random.chance(0.02)) return { id: rolloutId, experiments: [] };
  return { id: rolloutId, experiments };
}

/** Generates `options.flags` flags with their rules and rollouts. */
export function generateFlags(ctx: GenerationContext, audienceIds: readonly string[]): GeneratedFlags {
  const { random, options } = ctx;
  const out: GeneratedFlags = {
    featureFlags: [],
    rollouts: [],
    experimentRules: [],
    groupCandidates: new Set(),
    deliveryRuleIds: [],
  };
  for (let i = 0; i < options.flags; i++) {
    const flag = { id: ctx.ids.id(), key: ctx.flagKeys.key(`flag_${i}_${random.pick(FLAG_WORDS)}`) };
    const variables = makeFlagVariables(ctx, i);
    const pool: Variation[] = [
      makeVariation(ctx, 'off', false, variables, 0.3),
      makeVariation(ctx, 'on', true, variables, 0.7),
    ];
    for (let k = 1, extra = random.int(0, 2); k <= extra; k++) {
      pool.push(makeVariation(ctx, `variation_${k}`, random.chance(0.8), variables, 0.6));
    }
    const experimentIds: string[] = [];
    const ruleCount = random.weighted([
      [3, 0],
      [4, 1],
      [3, 2],
      [2, 3],
    ]);
    for (let j = 0; j < Math.min(ruleCount, options.maxExperimentRules); j++) {
      const { rule, groupable } = makeExperimentRule(ctx, flag.key, j, pool, variables, audienceIds);
      out.experimentRules.push(rule);
      experimentIds.push(rule.id);
      if (groupable) out.groupCandidates.add(rule.id);
    }
    let rolloutId = '';
    if (!random.chance(0.03)) {
      const rollout = makeRollout(ctx, flag, pool, audienceIds);
      out.rollouts.push(rollout);
      out.deliveryRuleIds.push(...rollout.experiments.map((r) => r.id));
      rolloutId = rollout.id;
    }
    out.featureFlags.push({ ...flag, rolloutId, experimentIds, variables });
  }
  return out;
}
