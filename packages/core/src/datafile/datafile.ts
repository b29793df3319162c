/**
 * The shape of an Optimizely datafile (versions 2, 3 and 4) as FlagKit reads it.
 * These are the raw JSON types; `createProjectConfig` validates a datafile against them
 * and indexes it into a {@link ProjectConfig}.
 */

/** A condition tree: a leaf, or an array whose optional first element is an operator. */
export type ConditionTree<Leaf> = Leaf | readonly (ConditionOperator | ConditionTree<Leaf>)[];

/** The operators of a condition tree. An array without one is an implicit `or`. */
export type ConditionOperator = 'and' | 'or' | 'not';

/** One leaf of an audience's condition tree. */
export interface LeafCondition {
  /** `custom_attribute` or `third_party_dimension`; other types evaluate to unknown. */
  readonly type: string;
  /** The attribute key (custom attributes) or the integration name (ODP). */
  readonly name?: string;
  /** The match type; absent means `exact` for custom attributes and `qualified` for ODP. */
  readonly match?: string;
  readonly value?: unknown;
}

export interface DatafileTrafficAllocation {
  readonly entityId: string;
  readonly endOfRange: number;
}

export interface DatafileVariableValue {
  readonly id: string;
  readonly value: string;
}

export interface DatafileVariation {
  readonly id: string;
  readonly key: string;
  readonly featureEnabled?: boolean;
  readonly variables?: readonly DatafileVariableValue[];
}

export interface DatafileCmab {
  readonly trafficAllocation: number;
  readonly attributeIds: readonly string[];
}

/** An experiment, a rollout rule or a feature-rollout (`fr`) rule. */
export interface DatafileExperiment {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly layerId: string;
  readonly variations: readonly DatafileVariation[];
  readonly trafficAllocation: readonly DatafileTrafficAllocation[];
  readonly audienceIds: readonly string[];
  readonly audienceConditions?: ConditionTree<string>;
  readonly forcedVariations?: Readonly<Record<string, string>>;
  /** `ab`, `mab`, `cmab`, `td` or `fr`. */
  readonly type?: string;
  readonly cmab?: DatafileCmab;
}

export interface DatafileGroup {
  readonly id: string;
  readonly policy: string;
  readonly trafficAllocation: readonly DatafileTrafficAllocation[];
  readonly experiments: readonly DatafileExperiment[];
}

export type VariableType = 'boolean' | 'double' | 'integer' | 'string' | 'json';

export interface DatafileVariable {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly subType?: string;
}

export interface DatafileFeatureFlag {
  readonly id: string;
  readonly key: string;
  readonly rolloutId: string;
  readonly experimentIds: readonly string[];
  readonly variables: readonly DatafileVariable[];
}

export interface DatafileRollout {
  readonly id: string;
  readonly experiments: readonly DatafileExperiment[];
}

export interface DatafileAudience {
  readonly id: string;
  readonly name: string;
  /** A JSON string in `audiences`, an object tree in `typedAudiences`. */
  readonly conditions: string | ConditionTree<LeafCondition>;
}

export interface DatafileAttribute {
  readonly id: string;
  readonly key: string;
}

export interface DatafileEvent {
  readonly id: string;
  readonly key: string;
  readonly experimentIds: readonly string[];
}

export interface DatafileIntegration {
  readonly key: string;
  readonly host?: string;
  readonly publicKey?: string;
  readonly pixelUrl?: string;
}

export interface DatafileHoldout {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly variations: readonly DatafileVariation[];
  readonly trafficAllocation: readonly DatafileTrafficAllocation[];
  readonly audienceIds: readonly string[];
  readonly audienceConditions?: ConditionTree<string>;
  /** Rule ids a local holdout applies to. Ignored for global holdouts. */
  readonly includedRules?: readonly string[];
  /** Global holdouts only: skip experiment rules but still evaluate deliveries. */
  readonly excludeTargetedDeliveries?: boolean;
}

/** An Optimizely datafile. */
export interface Datafile {
  readonly version: string;
  readonly accountId: string;
  readonly projectId: string;
  readonly revision: string;
  readonly sdkKey?: string;
  readonly environmentKey?: string;
  readonly anonymizeIP?: boolean;
  readonly botFiltering?: boolean;
  readonly sendFlagDecisions?: boolean;
  readonly region?: string;
  readonly experiments: readonly DatafileExperiment[];
  readonly groups: readonly DatafileGroup[];
  readonly featureFlags?: readonly DatafileFeatureFlag[];
  readonly rollouts?: readonly DatafileRollout[];
  readonly audiences: readonly DatafileAudience[];
  readonly typedAudiences?: readonly DatafileAudience[];
  readonly attributes: readonly DatafileAttribute[];
  readonly events: readonly DatafileEvent[];
  readonly integrations?: readonly DatafileIntegration[];
  readonly holdouts?: readonly DatafileHoldout[];
  readonly localHoldouts?: readonly DatafileHoldout[];
}
