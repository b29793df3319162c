/**
 * Plain-JSON types of the Optimizely datafile (version 4) as this generator emits it.
 * They mirror the public datafile format and are deliberately independent of `@flagkit/core`.
 */

/** A logical operator at the head of a condition array. */
export type ConditionOperator = 'and' | 'or' | 'not';

/**
 * A condition tree: a leaf, or an array whose optional first element is an operator.
 * An array without a leading operator is an implicit `or`.
 */
export type ConditionTree<Leaf> = Leaf | readonly (ConditionOperator | ConditionTree<Leaf>)[];

/** One leaf of an audience's condition tree. */
export interface LeafCondition {
  /** `custom_attribute`, `third_party_dimension`, or (deliberately) something unknown. */
  type: string;
  /** Attribute key, or the ODP dimension name. */
  name?: string;
  /** Match type; absent means `exact` (custom attributes) or `qualified` (ODP). */
  match?: string;
  value?: string | number | boolean | null;
}

/** `{entityId, endOfRange}`; an empty `entityId` is a hole in the allocation. */
export interface TrafficAllocation {
  entityId: string;
  endOfRange: number;
}

/** A variable value inside a variation (always a string, cast by the variable's type). */
export interface VariableUsage {
  id: string;
  value: string;
}

export interface Variation {
  id: string;
  key: string;
  featureEnabled?: boolean;
  variables?: VariableUsage[];
}

/** An experiment, feature-test rule, feature-rollout (`fr`) rule or delivery (rollout) rule. */
export interface Experiment {
  id: string;
  key: string;
  status: string;
  layerId: string;
  variations: Variation[];
  trafficAllocation: TrafficAllocation[];
  audienceIds: string[];
  /** Absent means "use `audienceIds`". */
  audienceConditions?: ConditionTree<string>;
  forcedVariations: Record<string, string>;
  /** `ab`, `mab`, `cmab`, `td`, `fr`; often absent in older datafiles. */
  type?: string;
  cmab?: { trafficAllocation: number; attributeIds: string[] };
}

export interface Group {
  id: string;
  /** `random` (mutually exclusive) or `overlapping`. */
  policy: string;
  trafficAllocation: TrafficAllocation[];
  experiments: Experiment[];
}

/** `boolean`, `double`, `integer`, `string` or `json`; `string` + `subType: "json"` is JSON too. */
export type VariableType = 'boolean' | 'double' | 'integer' | 'string' | 'json';

export interface FeatureVariable {
  id: string;
  key: string;
  type: VariableType;
  defaultValue: string;
  subType?: 'json';
}

export interface FeatureFlag {
  id: string;
  key: string;
  /** An empty string means "no rollout" (legacy feature flags). */
  rolloutId: string;
  experimentIds: string[];
  variables: FeatureVariable[];
}

export interface Rollout {
  id: string;
  /** Targeted delivery rules, then the "Everyone Else" rule last. */
  experiments: Experiment[];
}

/** A legacy audience: `conditions` is a JSON-encoded condition tree. */
export interface LegacyAudience {
  id: string;
  name: string;
  conditions: string;
}

/** A typed audience: `conditions` is an object tree. Overrides a legacy audience with the same id. */
export interface TypedAudience {
  id: string;
  name: string;
  conditions: ConditionTree<LeafCondition>;
}

export interface Attribute {
  id: string;
  key: string;
}

export interface EventType {
  id: string;
  key: string;
  experimentIds: string[];
}

export interface Integration {
  key: string;
  host?: string;
  publicKey?: string;
  pixelUrl?: string;
}

/** A global (`holdouts`) or rule-scoped (`localHoldouts`) holdout. */
export interface Holdout {
  id: string;
  key: string;
  /** `Running`, `Draft`, `Concluded` or `Archived`; only `Running` holds users out. */
  status: string;
  variations: Variation[];
  trafficAllocation: TrafficAllocation[];
  audienceIds: string[];
  audienceConditions?: ConditionTree<string>;
  /** Required (non-empty) for local holdouts; ignored on global ones. */
  includedRules?: string[];
  /** Global holdouts only (SDK 6.6+): skip experiment rules, still serve deliveries. */
  excludeTargetedDeliveries?: boolean;
}

/** A generated Optimizely datafile, version 4. */
export interface GeneratedDatafile {
  version: '4';
  accountId: string;
  projectId: string;
  revision: string;
  sdkKey: string;
  environmentKey: string;
  region?: 'US' | 'EU';
  anonymizeIP: boolean;
  botFiltering: boolean;
  sendFlagDecisions: boolean;
  experiments: Experiment[];
  groups: Group[];
  featureFlags: FeatureFlag[];
  rollouts: Rollout[];
  audiences: LegacyAudience[];
  typedAudiences: TypedAudience[];
  attributes: Attribute[];
  events: EventType[];
  integrations: Integration[];
  holdouts: Holdout[];
  localHoldouts: Holdout[];
  /** Present in some real datafiles; ignored by the SDKs. */
  variables?: unknown[];
}
