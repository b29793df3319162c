import type { Datafile } from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';

const SUPPORTED_VERSIONS = new Set(['2', '3', '4']);

type Json = Record<string, unknown>;

// Validation runs on every datafile load, right after JSON.parse, while the parsed tree is still
// in V8's young generation: anything it allocates can trigger a scavenge that copies the whole
// tree. So checks allocate nothing on success. The path of the field being checked is kept as a
// stack of segments (field names and indices), turned into text only when a check fails.
// Validation is synchronous, so one module-level stack serves every call. `depth` is the stack's
// size: entries above it are stale (shrinking an array's length is a slow runtime call).
const path: (string | number)[] = [];
let depth = 0;

function push(segment: string | number): void {
  path[depth++] = segment;
}

function pathText(): string {
  let text = '';
  for (let i = 0; i < depth; i++) {
    const segment = path[i]!;
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text;
}

/** Throws a DatafileError for the field at the current path, plus `key` when given. */
function fail(key: string | number | null, problem: string): never {
  if (key !== null) push(key);
  throw new DatafileError(pathText(), problem);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

// Each helper below checks one field of `parent` (at the current path) and fails naming it.
// Optional fields may be absent or null (the reference tolerates that); present ones must have the
// right type.

function object(value: unknown, key: string | number | null): Json {
  if (!isObject(value)) fail(key, `expected an object, got ${describe(value)}`);
  return value;
}

// Callers read the field themselves (`string(e.id, 'id')`): a property read with a fixed name
// at each call site stays monomorphic, where `parent[key]` inside a shared helper would not.

function string(value: unknown, key: string | number): void {
  if (typeof value !== 'string') fail(key, `expected a string, got ${describe(value)}`);
}

function optionalString(value: unknown, key: string): void {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    fail(key, `expected a string, got ${describe(value)}`);
  }
}

function optionalBoolean(value: unknown, key: string): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean') {
    fail(key, `expected a boolean, got ${describe(value)}`);
  }
}

const NONE: readonly unknown[] = [];

function array(value: unknown, key: string, required: boolean): readonly unknown[] {
  if (value === undefined || (value === null && !required)) {
    if (required) fail(key, 'is missing');
    return NONE;
  }
  if (!Array.isArray(value)) fail(key, `expected an array, got ${describe(value)}`);
  return value;
}

function stringArray(value: unknown, key: string, required: boolean): void {
  const items = array(value, key, required);
  for (let i = 0; i < items.length; i++) {
    if (typeof items[i] !== 'string') {
      push(key);
      fail(i, `expected a string, got ${describe(items[i])}`);
    }
  }
}

/**
 * Checks each element of the list `value` (field `key`) with `check`, which sees the element's
 * path. `check` is always a top-level function, so passing it allocates nothing.
 */
function each(value: unknown, key: string, required: boolean, check: (item: unknown) => void): void {
  const items = array(value, key, required);
  if (items.length === 0) return;
  push(key);
  const last = depth++;
  for (let i = 0; i < items.length; i++) {
    path[last] = i;
    check(items[i]);
  }
  depth -= 2;
}

function trafficRange(item: unknown): void {
  const range = object(item, null);
  string(range.entityId, 'entityId');
  if (typeof range.endOfRange !== 'number' || Number.isNaN(range.endOfRange)) {
    fail('endOfRange', `expected a number, got ${describe(range.endOfRange)}`);
  }
}

function variableUsage(item: unknown): void {
  const usage = object(item, null);
  string(usage.id, 'id');
  string(usage.value, 'value');
}

function variation(item: unknown): void {
  const v = object(item, null);
  string(v.id, 'id');
  string(v.key, 'key');
  optionalBoolean(v.featureEnabled, 'featureEnabled');
  each(v.variables, 'variables', false, variableUsage);
}

function conditionTree(value: unknown): void {
  // Audience-id trees: strings and nested arrays only.
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) fail(null, `expected an audience id or a list, got ${describe(value)}`);
  const last = depth++;
  for (let i = 0; i < value.length; i++) {
    path[last] = i;
    conditionTree(value[i]);
  }
  depth -= 1;
}

/** The fields experiments, rollout rules and holdouts share. */
function bucketedEntity(e: Json, hasLayer: boolean): void {
  string(e.id, 'id');
  string(e.key, 'key');
  string(e.status, 'status');
  if (hasLayer) optionalString(e.layerId, 'layerId');
  each(e.variations, 'variations', true, variation);
  each(e.trafficAllocation, 'trafficAllocation', true, trafficRange);
  stringArray(e.audienceIds, 'audienceIds', false);
  if (e.audienceConditions !== undefined && e.audienceConditions !== null) {
    push('audienceConditions');
    conditionTree(e.audienceConditions);
    depth -= 1;
  }
}

function experiment(item: unknown): void {
  const e = object(item, null);
  bucketedEntity(e, true);
  if (e.forcedVariations !== undefined && e.forcedVariations !== null) {
    const forced = object(e.forcedVariations, 'forcedVariations');
    push('forcedVariations');
    for (const userId in forced) if (Object.hasOwn(forced, userId)) string(forced[userId], userId);
    depth -= 1;
  }
  optionalString(e.type, 'type');
  if (e.cmab !== undefined && e.cmab !== null) {
    const cmab = object(e.cmab, 'cmab');
    push('cmab');
    if (typeof cmab.trafficAllocation !== 'number') {
      fail('trafficAllocation', `expected a number, got ${describe(cmab.trafficAllocation)}`);
    }
    stringArray(cmab.attributeIds, 'attributeIds', false);
    depth -= 1;
  }
}

function holdout(item: unknown): void {
  const h = object(item, null);
  bucketedEntity(h, false);
  if (h.includedRules !== undefined && h.includedRules !== null)
    stringArray(h.includedRules, 'includedRules', false);
  optionalBoolean(h.excludeTargetedDeliveries, 'excludeTargetedDeliveries');
}

function group(item: unknown): void {
  const g = object(item, null);
  string(g.id, 'id');
  string(g.policy, 'policy');
  each(g.trafficAllocation, 'trafficAllocation', true, trafficRange);
  each(g.experiments, 'experiments', false, experiment);
}

function rollout(item: unknown): void {
  const r = object(item, null);
  string(r.id, 'id');
  each(r.experiments, 'experiments', false, experiment);
}

function variable(item: unknown): void {
  const v = object(item, null);
  string(v.id, 'id');
  string(v.key, 'key');
  string(v.type, 'type');
  string(v.defaultValue, 'defaultValue');
  optionalString(v.subType, 'subType');
}

function featureFlag(item: unknown): void {
  const f = object(item, null);
  string(f.id, 'id');
  string(f.key, 'key');
  optionalString(f.rolloutId, 'rolloutId');
  stringArray(f.experimentIds, 'experimentIds', false);
  each(f.variables, 'variables', false, variable);
}

function audienceBase(item: unknown): Json {
  const a = object(item, null);
  string(a.id, 'id');
  optionalString(a.name, 'name');
  return a;
}

function legacyAudience(item: unknown): void {
  const conditions = audienceBase(item).conditions;
  if (typeof conditions !== 'string' && !Array.isArray(conditions) && !isObject(conditions)) {
    fail('conditions', `expected conditions, got ${describe(conditions)}`);
  }
}

function typedAudience(item: unknown): void {
  const conditions = audienceBase(item).conditions;
  if (conditions === undefined) fail('conditions', `expected conditions, got ${describe(conditions)}`);
}

function attribute(item: unknown): void {
  const a = object(item, null);
  string(a.id, 'id');
  string(a.key, 'key');
}

function event(item: unknown): void {
  const e = object(item, null);
  string(e.id, 'id');
  string(e.key, 'key');
  stringArray(e.experimentIds, 'experimentIds', false);
}

function integration(item: unknown): void {
  const i = object(item, null);
  string(i.key, 'key');
  optionalString(i.host, 'host');
  optionalString(i.publicKey, 'publicKey');
  optionalString(i.pixelUrl, 'pixelUrl');
}

/**
 * Checks that a parsed datafile has every field FlagKit reads, with the right types, and returns
 * it typed. Throws a {@link DatafileError} naming the first bad field. Does not modify its input.
 */
export function validateDatafile(input: unknown): Datafile {
  depth = 0;
  const df = object(input, null);
  if (typeof df.version !== 'string' || !SUPPORTED_VERSIONS.has(df.version)) {
    fail('version', `unsupported datafile version ${describe(df.version)} (expected "2", "3" or "4")`);
  }
  string(df.accountId, 'accountId');
  string(df.projectId, 'projectId');
  string(df.revision, 'revision');
  optionalString(df.sdkKey, 'sdkKey');
  optionalString(df.environmentKey, 'environmentKey');
  optionalString(df.region, 'region');
  optionalBoolean(df.anonymizeIP, 'anonymizeIP');
  optionalBoolean(df.botFiltering, 'botFiltering');
  optionalBoolean(df.sendFlagDecisions, 'sendFlagDecisions');

  each(df.experiments, 'experiments', false, experiment);
  each(df.groups, 'groups', false, group);
  each(df.rollouts, 'rollouts', false, rollout);
  each(df.featureFlags, 'featureFlags', false, featureFlag);
  each(df.audiences, 'audiences', false, legacyAudience);
  each(df.typedAudiences, 'typedAudiences', false, typedAudience);
  each(df.attributes, 'attributes', false, attribute);
  each(df.events, 'events', false, event);
  each(df.integrations, 'integrations', false, integration);
  each(df.holdouts, 'holdouts', false, holdout);
  each(df.localHoldouts, 'localHoldouts', false, holdout);
  return df as unknown as Datafile;
}
