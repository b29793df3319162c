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
  if (value === null) return 'null';
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

function string(parent: Json, key: string): void {
  if (typeof parent[key] !== 'string') fail(key, `expected a string, got ${describe(parent[key])}`);
}

function optionalString(parent: Json, key: string): void {
  const value = parent[key];
  if (value !== undefined && value !== null && typeof value !== 'string') {
    fail(key, `expected a string, got ${describe(value)}`);
  }
}

function optionalBoolean(parent: Json, key: string): void {
  const value = parent[key];
  if (value !== undefined && value !== null && typeof value !== 'boolean') {
    fail(key, `expected a boolean, got ${describe(value)}`);
  }
}

const NONE: readonly unknown[] = [];

function array(parent: Json, key: string, required: boolean): readonly unknown[] {
  const value = parent[key];
  if (value === undefined || (value === null && !required)) {
    if (required) fail(key, 'is missing');
    return NONE;
  }
  if (!Array.isArray(value)) fail(key, `expected an array, got ${describe(value)}`);
  return value;
}

function stringArray(parent: Json, key: string, required: boolean): void {
  const items = array(parent, key, required);
  for (let i = 0; i < items.length; i++) {
    if (typeof items[i] !== 'string') {
      push(key);
      fail(i, `expected a string, got ${describe(items[i])}`);
    }
  }
}

/**
 * Checks each element of `parent[key]` with `check`, which sees the element's path. `check` is
 * always a top-level function, so passing it allocates nothing.
 */
function each(parent: Json, key: string, required: boolean, check: (item: unknown) => void): void {
  const items = array(parent, key, required);
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
  string(range, 'entityId');
  if (typeof range.endOfRange !== 'number' || Number.isNaN(range.endOfRange)) {
    fail('endOfRange', `expected a number, got ${describe(range.endOfRange)}`);
  }
}

function variableUsage(item: unknown): void {
  const usage = object(item, null);
  string(usage, 'id');
  string(usage, 'value');
}

function variation(item: unknown): void {
  const v = object(item, null);
  string(v, 'id');
  string(v, 'key');
  optionalBoolean(v, 'featureEnabled');
  each(v, 'variables', false, variableUsage);
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
  string(e, 'id');
  string(e, 'key');
  string(e, 'status');
  if (hasLayer) optionalString(e, 'layerId');
  each(e, 'variations', true, variation);
  each(e, 'trafficAllocation', true, trafficRange);
  stringArray(e, 'audienceIds', false);
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
    for (const userId in forced) if (Object.hasOwn(forced, userId)) string(forced, userId);
    depth -= 1;
  }
  optionalString(e, 'type');
  if (e.cmab !== undefined && e.cmab !== null) {
    const cmab = object(e.cmab, 'cmab');
    push('cmab');
    if (typeof cmab.trafficAllocation !== 'number') {
      fail('trafficAllocation', `expected a number, got ${describe(cmab.trafficAllocation)}`);
    }
    stringArray(cmab, 'attributeIds', false);
    depth -= 1;
  }
}

function holdout(item: unknown): void {
  const h = object(item, null);
  bucketedEntity(h, false);
  if (h.includedRules !== undefined && h.includedRules !== null) stringArray(h, 'includedRules', false);
  optionalBoolean(h, 'excludeTargetedDeliveries');
}

function group(item: unknown): void {
  const g = object(item, null);
  string(g, 'id');
  string(g, 'policy');
  each(g, 'trafficAllocation', true, trafficRange);
  each(g, 'experiments', false, experiment);
}

function rollout(item: unknown): void {
  const r = object(item, null);
  string(r, 'id');
  each(r, 'experiments', false, experiment);
}

function variable(item: unknown): void {
  const v = object(item, null);
  string(v, 'id');
  string(v, 'key');
  string(v, 'type');
  string(v, 'defaultValue');
  optionalString(v, 'subType');
}

function featureFlag(item: unknown): void {
  const f = object(item, null);
  string(f, 'id');
  string(f, 'key');
  optionalString(f, 'rolloutId');
  stringArray(f, 'experimentIds', false);
  each(f, 'variables', false, variable);
}

function audienceBase(item: unknown): Json {
  const a = object(item, null);
  string(a, 'id');
  optionalString(a, 'name');
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
  string(a, 'id');
  string(a, 'key');
}

function event(item: unknown): void {
  const e = object(item, null);
  string(e, 'id');
  string(e, 'key');
  stringArray(e, 'experimentIds', false);
}

function integration(item: unknown): void {
  const i = object(item, null);
  string(i, 'key');
  optionalString(i, 'host');
  optionalString(i, 'publicKey');
  optionalString(i, 'pixelUrl');
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
  string(df, 'accountId');
  string(df, 'projectId');
  string(df, 'revision');
  optionalString(df, 'sdkKey');
  optionalString(df, 'environmentKey');
  optionalString(df, 'region');
  optionalBoolean(df, 'anonymizeIP');
  optionalBoolean(df, 'botFiltering');
  optionalBoolean(df, 'sendFlagDecisions');

  each(df, 'experiments', false, experiment);
  each(df, 'groups', false, group);
  each(df, 'rollouts', false, rollout);
  each(df, 'featureFlags', false, featureFlag);
  each(df, 'audiences', false, legacyAudience);
  each(df, 'typedAudiences', false, typedAudience);
  each(df, 'attributes', false, attribute);
  each(df, 'events', false, event);
  each(df, 'integrations', false, integration);
  each(df, 'holdouts', false, holdout);
  each(df, 'localHoldouts', false, holdout);
  return df as unknown as Datafile;
}
