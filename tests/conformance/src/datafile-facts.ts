/**
 * Facts about a generated datafile that the conformance tests need: what kind of rule a
 * `ruleKey` names (for the diversity report), each flag's rule and variation keys (for forced
 * decisions), experiment keys (for the legacy API) and typed variable defaults.
 */
import type { Experiment, FeatureVariable, GeneratedDatafile } from '@flagkit/datafile-generator';

/** Where a decision came from, judged by its `ruleKey`. */
export type RuleKind =
  | 'experiment'
  | 'feature-rollout'
  | 'mutex-group'
  | 'overlapping-group'
  | 'targeted-delivery'
  | 'everyone-else'
  | 'global-holdout'
  | 'local-holdout'
  | 'none'
  | 'unknown';

/** Per-flag facts. */
export interface FlagFacts {
  readonly key: string;
  readonly experimentRuleKeys: readonly string[];
  readonly deliveryRuleKeys: readonly string[];
  /** Keys of every variation of every rule of the flag (what forced decisions accept). */
  readonly variationKeys: readonly string[];
  readonly variables: readonly FeatureVariable[];
  /** Each variable's default, cast by type as the SDKs do (null when the cast fails). */
  readonly defaults: Readonly<Record<string, unknown>>;
}

/** Facts about one datafile. */
export interface DatafileFacts {
  readonly flags: readonly FlagFacts[];
  readonly flagsByKey: ReadonlyMap<string, FlagFacts>;
  readonly ruleKinds: ReadonlyMap<string, RuleKind>;
  /** Keys of experiments (top-level and grouped) and of delivery rules. */
  readonly experimentKeys: readonly string[];
  readonly deliveryRuleKeys: readonly string[];
  /** Variation keys per experiment or rule key. */
  readonly variationsByRule: ReadonlyMap<string, readonly string[]>;
  /** Holdout variation keys (never valid in forced decisions). */
  readonly holdoutVariationKeys: readonly string[];
}

/** Casts a variable's string value the way the Optimizely SDK does. */
export function castVariable(variable: FeatureVariable, value: string): unknown {
  const type = variable.type === 'string' && variable.subType === 'json' ? 'json' : variable.type;
  switch (type) {
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : null;
    case 'integer': {
      const n = Number.parseInt(value, 10);
      return Number.isNaN(n) ? null : n;
    }
    case 'double': {
      const n = Number.parseFloat(value);
      return Number.isNaN(n) ? null : n;
    }
    case 'json':
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return null;
      }
    default:
      return value;
  }
}

/** Builds the facts for `df`. */
export function datafileFacts(df: GeneratedDatafile): DatafileFacts {
  const ruleKinds = new Map<string, RuleKind>();
  const variationsByRule = new Map<string, string[]>();
  const byId = new Map<string, Experiment>();
  const note = (rule: Experiment, kind: RuleKind): void => {
    ruleKinds.set(rule.key, kind);
    variationsByRule.set(
      rule.key,
      rule.variations.map((v) => v.key),
    );
    byId.set(rule.id, rule);
  };
  for (const e of df.experiments) note(e, e.type === 'fr' ? 'feature-rollout' : 'experiment');
  for (const g of df.groups)
    for (const e of g.experiments) note(e, g.policy === 'random' ? 'mutex-group' : 'overlapping-group');
  const rolloutsById = new Map(df.rollouts.map((r) => [r.id, r]));
  const deliveryRuleKeys: string[] = [];
  for (const r of df.rollouts) {
    r.experiments.forEach((e, i) => {
      note(e, i === r.experiments.length - 1 ? 'everyone-else' : 'targeted-delivery');
      deliveryRuleKeys.push(e.key);
    });
  }
  for (const h of df.holdouts) ruleKinds.set(h.key, 'global-holdout');
  for (const h of df.localHoldouts) ruleKinds.set(h.key, 'local-holdout');

  const flags: FlagFacts[] = df.featureFlags.map((flag) => {
    const experimentRules = flag.experimentIds.map((id) => byId.get(id)).filter((e) => e !== undefined);
    const deliveryRules = rolloutsById.get(flag.rolloutId)?.experiments ?? [];
    const variationKeys = new Set<string>();
    for (const rule of [...experimentRules, ...deliveryRules])
      for (const v of rule.variations) variationKeys.add(v.key);
    const defaults: Record<string, unknown> = {};
    for (const v of flag.variables) defaults[v.key] = castVariable(v, v.defaultValue);
    return {
      key: flag.key,
      experimentRuleKeys: experimentRules.map((r) => r.key),
      deliveryRuleKeys: deliveryRules.map((r) => r.key),
      variationKeys: [...variationKeys],
      variables: flag.variables,
      defaults,
    };
  });

  return {
    flags,
    flagsByKey: new Map(flags.map((f) => [f.key, f])),
    ruleKinds,
    experimentKeys: [...df.experiments, ...df.groups.flatMap((g) => g.experiments)].map((e) => e.key),
    deliveryRuleKeys,
    variationsByRule,
    holdoutVariationKeys: [...df.holdouts, ...df.localHoldouts].flatMap((h) =>
      h.variations.map((v) => v.key),
    ),
  };
}

/** The kind of rule a decision's `ruleKey` names. */
export function ruleKindOf(facts: DatafileFacts, ruleKey: string | null): RuleKind {
  if (ruleKey === null) return 'none';
  return facts.ruleKinds.get(ruleKey) ?? 'unknown';
}
