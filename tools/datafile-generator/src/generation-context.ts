/**
 * The options of {@link generateDatafile} and the shared state the generation steps use.
 */
import { IdAllocator, KeyAllocator } from './identifiers';
import { Random } from './random';

/** Options of `generateDatafile`. Only `seed` and `flags` are required. */
export interface GenerateDatafileOptions {
  /** Selects the datafile: the same options always give a deep-equal result. */
  seed: number;
  /** Number of feature flags. */
  flags: number;
  /** Maximum experiment rules per flag (each flag gets 0..max). Default 3. */
  maxExperimentRules?: number;
  /** Maximum targeted delivery rules per rollout, before Everyone Else. Default 3. */
  maxDeliveryRules?: number;
  /** Number of exclusion groups (the first is `random`, the second `overlapping`). Default `max(2, flags / 8)`. */
  groups?: number;
  /** Share of experiment rules placed in a group. Default 0.25. */
  groupShare?: number;
  /** Number of typed audiences. Default `max(12, 0.8 * flags)`. */
  typedAudiences?: number;
  /** Number of legacy-only audiences (besides those shadowed by typed ones). Default `max(3, flags / 4)`. */
  legacyAudiences?: number;
  /** Experiments not attached to any flag (legacy A/B tests). Default `max(2, flags / 10)`. */
  standaloneExperiments?: number;
  /** Global holdouts (`holdouts`). Default random 1..3. */
  holdouts?: number;
  /** Rule-scoped holdouts (`localHoldouts`). Default random 1..3. */
  localHoldouts?: number;
  /** Number of ODP segment names used by `qualified` conditions. Default 6. */
  segments?: number;
  /** Share of experiment rules that are not running (`Paused` / `Not started`). Default 0.15. */
  pausedShare?: number;
  /** Share of experiment rules of type `fr` (feature rollout). Default 0.15. */
  featureRolloutShare?: number;
  /** Share of experiment rules that are CMAB rules (skipped by synchronous decisions). Default 0.03. */
  cmabShare?: number;
  /** Probability a rule targets audiences at all. Default 0.6. */
  targetedShare?: number;
  /** Whether to add an ODP integration. Default: random (60 %). */
  odp?: boolean;
  /**
   * Also emit inputs the official SDK handles in surprising but deterministic ways: empty operator
   * arrays, leaf-first condition arrays, invalid condition values, malformed variable values,
   * non-running delivery rules, unknown traffic entities, whitelists on delivery rules, a local
   * holdout without rules, `on` holdout variations, a bare audience id as `audienceConditions`,
   * an unknown audience id directly under `not`. The official SDK decides all of them; its
   * `getOptimizelyConfig()` returns null (and logs) on the last two. Default true.
   */
  quirks?: boolean;
  /**
   * Emit conditions on `constructor` / `__proto__`, whose results in the official SDK depend on
   * `Object.prototype` lookups (e.g. `exists` on `constructor` is true for everyone). Default false.
   */
  prototypeKeyConditions?: boolean;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<GenerateDatafileOptions>;

/** Applies defaults; draws the random ones from `random`. */
export function resolveOptions(options: GenerateDatafileOptions, random: Random): ResolvedOptions {
  const { flags } = options;
  if (!Number.isInteger(flags) || flags < 0)
    throw new RangeError(`flags must be a non-negative integer: ${flags}`);
  return {
    seed: options.seed,
    flags,
    maxExperimentRules: options.maxExperimentRules ?? 3,
    maxDeliveryRules: options.maxDeliveryRules ?? 3,
    groups: options.groups ?? Math.max(2, Math.round(flags / 8)),
    groupShare: options.groupShare ?? 0.25,
    typedAudiences: options.typedAudiences ?? Math.max(12, Math.round(flags * 0.8)),
    legacyAudiences: options.legacyAudiences ?? Math.max(3, Math.round(flags / 4)),
    standaloneExperiments: options.standaloneExperiments ?? Math.max(2, Math.round(flags / 10)),
    holdouts: options.holdouts ?? random.int(1, 3),
    localHoldouts: options.localHoldouts ?? random.int(1, 3),
    segments: options.segments ?? 6,
    pausedShare: options.pausedShare ?? 0.15,
    featureRolloutShare: options.featureRolloutShare ?? 0.15,
    cmabShare: options.cmabShare ?? 0.03,
    targetedShare: options.targetedShare ?? 0.6,
    odp: options.odp ?? random.chance(0.6),
    quirks: options.quirks ?? true,
    prototypeKeyConditions: options.prototypeKeyConditions ?? false,
  };
}

/** State shared by the generation steps of one datafile. */
export class GenerationContext {
  readonly random: Random;
  readonly ids: IdAllocator;
  /** Keys of experiments, rules and holdouts (one namespace, as `experimentKeyMap` needs). */
  readonly ruleKeys = new KeyAllocator();
  readonly flagKeys = new KeyAllocator();
  readonly options: ResolvedOptions;
  /** Ids of the declared attributes, once generated. */
  attributeIds: string[] = [];

  constructor(options: GenerateDatafileOptions) {
    this.random = new Random(options.seed);
    this.ids = new IdAllocator(this.random.fork());
    this.options = resolveOptions(options, this.random);
  }

  /** A fresh id that no entity will ever have (for dangling references). */
  readonly unknownId = (): string => this.ids.id();
}
