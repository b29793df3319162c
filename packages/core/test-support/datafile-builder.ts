import { bucketValue } from '../src/bucketing/bucket-value';

/**
 * Tiny builders for inline test datafiles. Everything they return is plain, JSON-compatible data,
 * so a test can freeze it, clone it or stringify it. Defaults are chosen so that a rule with no
 * options serves its first variation to everyone.
 */
export type Json = { [key: string]: unknown };

/** A datafile (version 4) with empty entity lists; `parts` replaces or adds top-level fields. */
export function datafile(parts: Json = {}): Json {
  return {
    version: '4',
    accountId: 'acc-1',
    projectId: 'proj-1',
    revision: '1',
    sdkKey: 'sdk-key',
    environmentKey: 'production',
    experiments: [],
    groups: [],
    featureFlags: [],
    rollouts: [],
    audiences: [],
    typedAudiences: [],
    attributes: [],
    events: [],
    ...parts,
  };
}

/** A variation; `variables` maps variable id → raw string value. */
export function variation(
  id: string,
  key: string,
  featureEnabled = true,
  variables?: Record<string, string>,
): Json {
  const v: Json = { id, key, featureEnabled };
  if (variables)
    v.variables = Object.entries(variables).map(([variableId, value]) => ({ id: variableId, value }));
  return v;
}

export interface RuleOptions {
  /** `[entityId, endOfRange]` pairs; default: everyone in the first variation. */
  readonly traffic?: readonly (readonly [string, number])[];
  readonly audienceIds?: readonly string[];
  readonly audienceConditions?: unknown;
  readonly status?: string;
  readonly layerId?: string;
  readonly forcedVariations?: Record<string, string>;
  readonly type?: string;
  readonly cmab?: { trafficAllocation: number; attributeIds: string[] };
}

function traffic(variations: readonly Json[], ranges: RuleOptions['traffic']): Json[] {
  const pairs = ranges ?? (variations[0] ? [[variations[0].id as string, 10000] as const] : []);
  return pairs.map(([entityId, endOfRange]) => ({ entityId, endOfRange }));
}

/** An experiment or rollout (delivery) rule. */
export function rule(id: string, key: string, variations: readonly Json[], options: RuleOptions = {}): Json {
  const r: Json = {
    id,
    key,
    status: options.status ?? 'Running',
    layerId: options.layerId ?? `layer-${id}`,
    variations: [...variations],
    trafficAllocation: traffic(variations, options.traffic),
    audienceIds: [...(options.audienceIds ?? [])],
    forcedVariations: { ...(options.forcedVariations ?? {}) },
  };
  if (options.audienceConditions !== undefined) r.audienceConditions = options.audienceConditions;
  if (options.type !== undefined) r.type = options.type;
  if (options.cmab !== undefined) r.cmab = options.cmab;
  return r;
}

export function rollout(id: string, rules: readonly Json[]): Json {
  return { id, experiments: [...rules] };
}

export function group(
  id: string,
  policy: string,
  ranges: readonly (readonly [string, number])[],
  experiments: readonly Json[],
): Json {
  return {
    id,
    policy,
    trafficAllocation: ranges.map(([entityId, endOfRange]) => ({ entityId, endOfRange })),
    experiments: [...experiments],
  };
}

export function variable(
  id: string,
  key: string,
  type: string,
  defaultValue: string,
  subType?: string,
): Json {
  const v: Json = { id, key, type, defaultValue };
  if (subType !== undefined) v.subType = subType;
  return v;
}

export function flag(
  id: string,
  key: string,
  parts: { experimentIds?: readonly string[]; rolloutId?: string; variables?: readonly Json[] } = {},
): Json {
  return {
    id,
    key,
    rolloutId: parts.rolloutId ?? '',
    experimentIds: [...(parts.experimentIds ?? [])],
    variables: [...(parts.variables ?? [])],
  };
}

export interface HoldoutOptions {
  /** Default: everyone in the first variation. */
  readonly traffic?: readonly (readonly [string, number])[];
  readonly variations?: readonly Json[];
  readonly audienceIds?: readonly string[];
  readonly status?: string;
  readonly includedRules?: readonly string[];
  readonly excludeTargetedDeliveries?: boolean;
}

/** A holdout; its default variation is `<id>-off` (feature disabled). */
export function holdout(id: string, key: string, options: HoldoutOptions = {}): Json {
  const variations = options.variations ?? [variation(`${id}-off`, `${key}_off`, false)];
  const h: Json = {
    id,
    key,
    status: options.status ?? 'Running',
    variations: [...variations],
    trafficAllocation: traffic(variations, options.traffic),
    audienceIds: [...(options.audienceIds ?? [])],
  };
  if (options.includedRules !== undefined) h.includedRules = [...options.includedRules];
  if (options.excludeTargetedDeliveries !== undefined)
    h.excludeTargetedDeliveries = options.excludeTargetedDeliveries;
  return h;
}

/** A `custom_attribute` leaf condition. */
export function attributeCondition(name: string, value: unknown, match?: string): Json {
  const c: Json = { type: 'custom_attribute', name, value };
  if (match !== undefined) c.match = match;
  return c;
}

/** A typed audience: `conditions` is an object tree. */
export function typedAudience(id: string, name: string, conditions: unknown): Json {
  return { id, name, conditions };
}

/** A legacy audience: `conditions` is the JSON text of the tree. */
export function legacyAudience(id: string, name: string, conditions: unknown): Json {
  return { id, name, conditions: JSON.stringify(conditions) };
}

/**
 * The first id `<prefix><n>` whose bucket for `entityId` lies in `[from, to)`: lets a test pick a
 * user that deterministically lands in (or misses) a traffic range.
 */
export function idInBucket(entityId: string, from: number, to: number, prefix = 'user-'): string {
  for (let n = 0; n < 1_000_000; n++) {
    const id = `${prefix}${n}`;
    const value = bucketValue(id, entityId);
    if (value >= from && value < to) return id;
  }
  throw new Error(`no id with a bucket in [${from}, ${to}) for ${entityId}`);
}

/** Freezes a value and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
