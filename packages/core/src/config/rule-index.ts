import type { Datafile, DatafileExperiment, DatafileFeatureFlag } from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';
import { fitted } from '../util/fitted';
import { isArrayIndex } from '../util/object-key-order';
import type { Experiment } from './project-config';

/**
 * A raw experiment with what its position in the datafile says about it, and the compiled
 * experiment once a config has built it (kept here rather than in a map of its own).
 */
export interface ExperimentEntry {
  readonly raw: DatafileExperiment;
  readonly groupId: string | undefined;
  readonly isRollout: boolean;
  compiled: Experiment | null;
}

export interface RolloutEntry {
  readonly id: string;
  readonly rules: readonly ExperimentEntry[];
}

/**
 * A raw flag with its rules resolved. `variationCounts` says how many variations of each rule
 * (experiment rules, then delivery rules) the flag's forced-decision lookup sees: a
 * feature-rollout rule gains the Everyone Else variation from each flag that lists it, and a flag
 * only sees the ones added up to itself, as in the reference, which adds them in flag order.
 */
export interface FlagEntry {
  readonly raw: DatafileFeatureFlag;
  readonly experiments: readonly ExperimentEntry[];
  readonly rollout: readonly ExperimentEntry[] | undefined;
  readonly variationCounts: readonly number[];
}

/** How a datafile's flags, rules and rollouts refer to each other; built on first decision. */
export interface RuleIndex {
  /** Top-level experiments, then those of groups, then rollout rules (the reference's order). */
  readonly experiments: readonly ExperimentEntry[];
  /** Last definition of an id wins. */
  readonly experimentsById: ReadonlyMap<string, ExperimentEntry>;
  readonly rolloutsById: ReadonlyMap<string, RolloutEntry>;
  /** Flags by key in the reference's enumeration order; the last definition of a key wins. */
  readonly flagsByKey: ReadonlyMap<string, FlagEntry>;
  /** Per feature-rollout rule, the rules whose first variation it gains (one per listing flag). */
  readonly everyoneElseOf: ReadonlyMap<DatafileExperiment, readonly DatafileExperiment[]>;
  /** Experiments some flag lists in its `experimentIds`. */
  readonly featureExperiments: ReadonlySet<DatafileExperiment>;
}

/**
 * Fails like the reference does on a flag whose `experimentIds` names no experiment. Done at
 * load, with nothing else of {@link indexRules}, so loading stays cheap.
 */
export function checkFlagRules(df: Datafile): void {
  // Flags list experiments (top-level or grouped), hardly ever rollout rules: add the rules'
  // ids only when an id is not found among the experiments.
  const ids = new Set<string>();
  for (const raw of df.experiments ?? []) ids.add(raw.id);
  for (const group of df.groups ?? []) for (const raw of group.experiments ?? []) ids.add(raw.id);
  let withRules = false;
  const flags = df.featureFlags ?? [];
  for (let f = 0; f < flags.length; f++) {
    const experimentIds = flags[f]!.experimentIds ?? [];
    for (let i = 0; i < experimentIds.length; i++) {
      if (ids.has(experimentIds[i]!)) continue;
      if (!withRules) {
        withRules = true;
        for (const rollout of df.rollouts ?? []) for (const raw of rollout.experiments ?? []) ids.add(raw.id);
        if (ids.has(experimentIds[i]!)) continue;
      }
      throw new DatafileError(
        `featureFlags[${f}].experimentIds[${i}]`,
        `no experiment has id "${experimentIds[i]}"`,
      );
    }
  }
}

/**
 * Indexes experiments, rollouts and flags. Expects a datafile {@link checkFlagRules} accepted.
 * Flags are in the order the reference enumerates its object of flag keys: integer-like keys
 * ascending first, then insertion order; a repeated key keeps its first position and last value.
 */
export function indexRules(df: Datafile): RuleIndex {
  const experiments: ExperimentEntry[] = [];
  for (const raw of df.experiments ?? [])
    experiments.push({ raw, groupId: undefined, isRollout: false, compiled: null });
  for (const group of df.groups ?? [])
    for (const raw of group.experiments ?? [])
      experiments.push({ raw, groupId: group.id, isRollout: false, compiled: null });
  const rolloutsById = new Map<string, RolloutEntry>();
  for (const rollout of df.rollouts ?? []) {
    const rules: ExperimentEntry[] = [];
    for (const raw of rollout.experiments ?? []) {
      const entry: ExperimentEntry = { raw, groupId: undefined, isRollout: true, compiled: null };
      rules.push(entry);
      experiments.push(entry);
    }
    rolloutsById.set(rollout.id, { id: rollout.id, rules: fitted(rules) });
  }
  const experimentsById = new Map<string, ExperimentEntry>();
  for (const entry of experiments) experimentsById.set(entry.raw.id, entry);

  const everyoneElseOf = new Map<DatafileExperiment, DatafileExperiment[]>();
  const featureExperiments = new Set<DatafileExperiment>();
  const countSoFar = (raw: DatafileExperiment) =>
    raw.variations.length + (everyoneElseOf.get(raw)?.length ?? 0);
  const flagEntries: FlagEntry[] = [];
  for (const raw of df.featureFlags ?? []) {
    const rollout = raw.rolloutId ? rolloutsById.get(raw.rolloutId)?.rules : undefined;
    const lastRule = rollout?.[rollout.length - 1]?.raw;
    // The Everyone Else variation is the last delivery rule's first one (which, for a rule with
    // no variations of its own, is the first it gained itself).
    const everyoneElseRule =
      lastRule && (lastRule.variations.length > 0 || everyoneElseOf.has(lastRule)) ? lastRule : undefined;
    const rules: ExperimentEntry[] = [];
    const variationCounts: number[] = [];
    for (const experimentId of raw.experimentIds ?? []) {
      const entry = experimentsById.get(experimentId)!;
      featureExperiments.add(entry.raw);
      if (entry.raw.type === 'fr' && everyoneElseRule) {
        const gained = everyoneElseOf.get(entry.raw);
        if (gained) gained.push(everyoneElseRule);
        else everyoneElseOf.set(entry.raw, [everyoneElseRule]);
      }
      rules.push(entry);
      variationCounts.push(countSoFar(entry.raw));
    }
    for (const rule of rollout ?? []) variationCounts.push(countSoFar(rule.raw));
    flagEntries.push({ raw, experiments: fitted(rules), rollout, variationCounts: fitted(variationCounts) });
  }

  const flagsByKey = new Map<string, FlagEntry>();
  const integerLike: FlagEntry[] = [];
  for (const entry of flagEntries) {
    if (isArrayIndex(entry.raw.key)) integerLike.push(entry);
    else flagsByKey.set(entry.raw.key, entry);
  }
  if (integerLike.length > 0) {
    const ordered = new Map<string, FlagEntry>();
    for (const entry of integerLike.sort((a, b) => Number(a.raw.key) - Number(b.raw.key)))
      ordered.set(entry.raw.key, entry);
    // Map.set keeps a repeated key's first position, so `ordered` now has each integer key once,
    // ascending, with its last value (a stable sort keeps definitions in datafile order).
    for (const [key, entry] of flagsByKey) ordered.set(key, entry);
    return {
      experiments,
      experimentsById,
      rolloutsById,
      flagsByKey: ordered,
      everyoneElseOf,
      featureExperiments,
    };
  }
  return { experiments, experimentsById, rolloutsById, flagsByKey, everyoneElseOf, featureExperiments };
}
