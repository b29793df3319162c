import type { ConditionEvaluator } from '../audience/evaluation-user';
import type { TrafficRange } from '../bucketing/find-bucket';
import type { HashSuffix } from '../bucketing/murmurhash3';
import type { ConditionTree, Datafile, DatafileExperiment, DatafileHoldout } from '../datafile/datafile';

/** A variation of an experiment, rollout rule or holdout. */
export interface Variation {
  readonly id: string;
  readonly key: string;
  readonly featureEnabled: boolean;
  /**
   * Variable id → raw value, or null when the datafile gives this variation no `variables`
   * list (then every variable takes its default, as in the reference).
   */
  readonly variableValues: ReadonlyMap<string, string> | null;
}

/** A mutually exclusive (or overlapping) group of experiments. */
export interface Group {
  readonly id: string;
  readonly policy: string;
  readonly trafficAllocation: readonly TrafficRange[];
}

/** What experiments, rollout rules and holdouts share: the things the bucketer needs. */
export interface BucketedEntity {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  /** `status === 'Running'` looked up the way the reference does (by key, last one wins). */
  readonly isRunning: boolean;
  /** Empty for holdouts: their events fall back to the entity id as campaign id. */
  readonly layerId: string;
  readonly variations: readonly Variation[];
  readonly variationsByKey: ReadonlyMap<string, Variation>;
  readonly trafficAllocation: readonly TrafficRange[];
  /** The compiled audience check; null means everyone qualifies. */
  readonly audience: ConditionEvaluator | null;
  /** The conditions as the datafile wrote them, for reasons and OptimizelyConfig. */
  readonly audienceConditions: ConditionTree<string> | readonly string[];
  /** The mutex group this entity buckets through first, when the group's policy is `random`. */
  readonly group: Group | null;
}

/**
 * @internal What `createProjectConfig` adds to every entity it compiles, for the decision path.
 * Not part of the public shape: code given other entities falls back to the config's maps.
 */
export interface CompiledBucketedEntity extends BucketedEntity {
  /**
   * The variation each traffic range buckets into (`variationsById` of its entity id), aligned
   * with `trafficAllocation`; null where no variation has that id.
   */
  readonly rangeVariations: readonly (Variation | null)[];
  /** The entity id, prepared for bucketing (undefined for an id that cannot be). */
  readonly preparedId: HashSuffix | undefined;
  /** The id of `group`, prepared for bucketing; undefined without a group. */
  readonly preparedGroupId: HashSuffix | undefined;
}

/** An experiment rule, a rollout (delivery) rule or a feature-rollout (`fr`) rule. */
export interface Experiment extends BucketedEntity {
  readonly kind: 'experiment';
  readonly isRollout: boolean;
  /** `ab`, `mab`, `cmab`, `td`, `fr` or undefined. */
  readonly type: string | undefined;
  /** userId → variation key, from the datafile's whitelist. */
  readonly forcedVariations: ReadonlyMap<string, string>;
  readonly cmab: { readonly trafficAllocation: number; readonly attributeIds: readonly string[] } | null;
  /** Local holdouts whose `includedRules` name this rule. */
  readonly localHoldouts: readonly Holdout[];
  /** Id of the group the datafile lists this experiment under, if any. */
  readonly groupId: string | undefined;
  /** True when some flag lists this experiment in its `experimentIds`. */
  readonly isFeatureExperiment: boolean;
}

/** @internal What `createProjectConfig` adds to every experiment and rule it compiles. */
export interface CompiledExperiment extends Experiment, CompiledBucketedEntity {
  /** Whether `experimentsById` maps this rule's id to this very rule (no later duplicate id). */
  readonly ownsId: boolean;
}

/** A global or local holdout. */
export interface Holdout extends BucketedEntity {
  readonly kind: 'holdout';
  readonly isGlobal: boolean;
  readonly includedRules: readonly string[];
  readonly excludeTargetedDeliveries: boolean;
}

export type VariableType = 'boolean' | 'double' | 'integer' | 'string' | 'json';

/** A feature variable; `string` variables with `subType: "json"` are promoted to `json`. */
export interface FeatureVariable {
  readonly id: string;
  readonly key: string;
  /** The declared type; an unknown type is kept and values are returned as raw strings. */
  readonly type: VariableType | string;
  readonly defaultValue: string;
}

export interface Rollout {
  readonly id: string;
  readonly rules: readonly Experiment[];
}

/** A feature flag with its rules resolved. */
export interface FeatureFlag {
  readonly id: string;
  readonly key: string;
  readonly rolloutId: string;
  readonly experimentIds: readonly string[];
  /** The flag's experiment rules, in order; ids the datafile does not define are left out. */
  readonly experimentRules: readonly Experiment[];
  /** The rollout's delivery rules, the last being "Everyone Else"; empty without a rollout. */
  readonly rolloutRules: readonly Experiment[];
  /** Whether `rolloutId` is set and whether it names a rollout: for the reference's reasons. */
  readonly rolloutState: 'none' | 'missing' | 'empty' | 'ok';
  readonly variables: readonly FeatureVariable[];
  readonly variablesByKey: ReadonlyMap<string, FeatureVariable>;
  /** Every variation of every rule, looked up by key as the reference does for forced decisions. */
  readonly variationsByKey: ReadonlyMap<string, Variation>;
}

export interface Attribute {
  readonly id: string;
  readonly key: string;
}

export interface EventDefinition {
  readonly id: string;
  readonly key: string;
  readonly experimentIds: readonly string[];
}

/** ODP settings from the datafile's `integrations` entry with key `odp`. */
export interface OdpIntegration {
  readonly integrated: boolean;
  readonly apiHost: string;
  readonly apiKey: string;
  readonly pixelUrl: string;
  /** Every segment named by a `qualified` condition, in first-seen order. */
  readonly segmentsToCheck: readonly string[];
}

/**
 * A datafile indexed for decisions: every lookup the decision path needs is a Map, and every
 * audience is compiled to a function. Built once per datafile revision by `createProjectConfig`.
 */
export interface ProjectConfig {
  /** The datafile as parsed JSON (re-parsed from `datafileText` on first use). */
  readonly datafile: Datafile;
  /** The datafile as a JSON string, for `getDatafile()`. */
  readonly datafileText: string;
  readonly version: string;
  readonly accountId: string;
  readonly projectId: string;
  readonly revision: string;
  readonly sdkKey: string;
  readonly environmentKey: string;
  readonly anonymizeIP: boolean;
  readonly botFiltering: boolean | undefined;
  readonly sendFlagDecisions: boolean;
  readonly region: string;

  /** Flags in the order the reference enumerates them (`Object.keys` order of flag keys). */
  readonly flags: readonly FeatureFlag[];
  readonly flagsByKey: ReadonlyMap<string, FeatureFlag>;
  readonly experimentsByKey: ReadonlyMap<string, Experiment>;
  readonly experimentsById: ReadonlyMap<string, Experiment>;
  /** Every variation by id, experiments, rules and holdouts alike (last one wins). */
  readonly variationsById: ReadonlyMap<string, Variation>;
  readonly groupsById: ReadonlyMap<string, Group>;
  readonly rolloutsById: ReadonlyMap<string, Rollout>;
  readonly attributesByKey: ReadonlyMap<string, Attribute>;
  readonly attributesById: ReadonlyMap<string, Attribute>;
  readonly eventsByKey: ReadonlyMap<string, EventDefinition>;
  readonly audiencesById: ReadonlyMap<string, ConditionEvaluator>;
  readonly globalHoldouts: readonly Holdout[];
  readonly holdoutsById: ReadonlyMap<string, Holdout>;
  readonly odp: OdpIntegration;
}

/** The raw datafile entity a compiled experiment or holdout came from. */
export type RawRule = DatafileExperiment | DatafileHoldout;
