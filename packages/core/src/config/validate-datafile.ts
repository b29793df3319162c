import type { Datafile } from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';

const SUPPORTED_VERSIONS = new Set(['2', '3', '4']);

type Json = Record<string, unknown>;

// Validation runs on every datafile load, usually once per process, so most of its code runs in
// V8's interpreter: each call costs far more than the typeof check it wraps. So the checks are
// written inline and a function is called only to report a failure. The path of a bad field is
// not tracked on the way down either: the failure is thrown as an `Invalid` holding the field's
// key, and each list or nested object it passes through on the way up adds its own segment.
// Nothing allocates on success, which also matters: the freshly parsed tree is still in V8's
// young generation, and a scavenge would copy all of it.

/** A failed check travelling up to `validateDatafile`: its path, innermost segment first. */
class Invalid {
  readonly segments: (string | number)[] = [];

  constructor(
    key: string | number | null,
    readonly problem: string,
  ) {
    if (key !== null) this.segments.push(key);
  }
}

/** Adds `segments` (outermost last) to a failure passing through; rethrows anything else. */
function within(error: unknown, ...segments: (string | number)[]): unknown {
  if (error instanceof Invalid) error.segments.push(...segments);
  return error;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** The failure of field `key` (null: the value itself) holding `value`, which should be `expected`. */
function mistyped(key: string | number | null, value: unknown, expected: string): Invalid {
  return new Invalid(key, `expected ${expected}, got ${describe(value)}`);
}

/** Fails `value` itself, which should have been `expected`. */
function badValue(value: unknown, expected: string): never {
  throw mistyped(null, value, expected);
}

/** Fails the field `key` of `parent`, which should have been `expected`. */
function bad(parent: Json, key: string, expected: string): never {
  throw mistyped(key, parent[key], expected);
}

// For fields read once per datafile or per small entity, a call is cheap enough and shorter.
function str(parent: Json, key: string): void {
  if (typeof parent[key] !== 'string') bad(parent, key, STRING);
}

function optStr(parent: Json, key: string): void {
  if (parent[key] != null && typeof parent[key] !== 'string') bad(parent, key, STRING);
}

function optBool(parent: Json, key: string): void {
  if (parent[key] != null && typeof parent[key] !== 'boolean') bad(parent, key, BOOLEAN);
}

const STRING = 'a string';
const BOOLEAN = 'a boolean';
const OBJECT = 'an object';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown): Json {
  if (!isObject(value)) badValue(value, OBJECT);
  return value;
}

const NONE: readonly unknown[] = [];

/** The list in field `key`; absent (or null, when optional) reads as empty. */
function list(value: unknown, key: string, required: boolean): readonly unknown[] {
  if (value === undefined || (value === null && !required)) {
    if (required) throw new Invalid(key, 'is missing');
    return NONE;
  }
  if (!Array.isArray(value)) throw mistyped(key, value, 'an array');
  return value;
}

function stringArray(value: unknown, key: string): void {
  const items = list(value, key, false);
  for (let i = 0; i < items.length; i++) {
    if (typeof items[i] !== 'string') throw within(mistyped(i, items[i], STRING), key);
  }
}

/**
 * Checks each element of the list `value` (field `key`) with `check`. `check` is always a
 * top-level function, so passing it allocates nothing; the try costs nothing until it catches.
 */
function each(value: unknown, key: string, required: boolean, check: (item: unknown) => void): void {
  const items = list(value, key, required);
  let i = 0;
  try {
    for (; i < items.length; i++) check(items[i]);
  } catch (error) {
    throw within(error, i, key);
  }
}

function trafficRange(item: unknown): void {
  const range = object(item);
  if (typeof range.entityId !== 'string') bad(range, 'entityId', STRING);
  if (typeof range.endOfRange !== 'number' || Number.isNaN(range.endOfRange))
    bad(range, 'endOfRange', 'a number');
}

function variableUsage(item: unknown): void {
  const usage = object(item);
  if (typeof usage.id !== 'string') bad(usage, 'id', STRING);
  if (typeof usage.value !== 'string') bad(usage, 'value', STRING);
}

function variation(item: unknown): void {
  const v = object(item);
  if (typeof v.id !== 'string') bad(v, 'id', STRING);
  if (typeof v.key !== 'string') bad(v, 'key', STRING);
  if (v.featureEnabled != null && typeof v.featureEnabled !== 'boolean') bad(v, 'featureEnabled', BOOLEAN);
  if (v.variables != null) each(v.variables, 'variables', false, variableUsage);
}

/** Audience-id trees: strings and nested arrays only. */
function conditionTree(value: unknown): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) badValue(value, 'an audience id or a list');
  let i = 0;
  try {
    for (; i < value.length; i++) conditionTree(value[i]);
  } catch (error) {
    throw within(error, i);
  }
}

/** The fields experiments, rollout rules and holdouts share. */
function bucketedEntity(e: Json, hasLayer: boolean): void {
  if (typeof e.id !== 'string') bad(e, 'id', STRING);
  if (typeof e.key !== 'string') bad(e, 'key', STRING);
  if (typeof e.status !== 'string') bad(e, 'status', STRING);
  if (hasLayer && e.layerId != null && typeof e.layerId !== 'string') bad(e, 'layerId', STRING);
  each(e.variations, 'variations', true, variation);
  each(e.trafficAllocation, 'trafficAllocation', true, trafficRange);
  if (e.audienceIds != null) stringArray(e.audienceIds, 'audienceIds');
  if (e.audienceConditions != null) {
    try {
      conditionTree(e.audienceConditions);
    } catch (error) {
      throw within(error, 'audienceConditions');
    }
  }
}

function experiment(item: unknown): void {
  const e = object(item);
  bucketedEntity(e, true);
  if (e.forcedVariations != null) {
    if (!isObject(e.forcedVariations)) bad(e, 'forcedVariations', OBJECT);
    const forced = e.forcedVariations;
    for (const userId in forced) {
      if (Object.hasOwn(forced, userId) && typeof forced[userId] !== 'string')
        throw within(mistyped(userId, forced[userId], STRING), 'forcedVariations');
    }
  }
  if (e.type != null && typeof e.type !== 'string') bad(e, 'type', STRING);
  if (e.cmab != null) {
    try {
      const cmab = object(e.cmab);
      if (typeof cmab.trafficAllocation !== 'number') bad(cmab, 'trafficAllocation', 'a number');
      stringArray(cmab.attributeIds, 'attributeIds');
    } catch (error) {
      throw within(error, 'cmab');
    }
  }
}

function holdout(item: unknown): void {
  const h = object(item);
  bucketedEntity(h, false);
  if (h.includedRules != null) stringArray(h.includedRules, 'includedRules');
  if (h.excludeTargetedDeliveries != null && typeof h.excludeTargetedDeliveries !== 'boolean')
    bad(h, 'excludeTargetedDeliveries', BOOLEAN);
}

function group(item: unknown): void {
  const g = object(item);
  str(g, 'id');
  str(g, 'policy');
  each(g.trafficAllocation, 'trafficAllocation', true, trafficRange);
  each(g.experiments, 'experiments', false, experiment);
}

function rollout(item: unknown): void {
  const r = object(item);
  str(r, 'id');
  each(r.experiments, 'experiments', false, experiment);
}

function variable(item: unknown): void {
  const v = object(item);
  if (typeof v.id !== 'string') bad(v, 'id', STRING);
  if (typeof v.key !== 'string') bad(v, 'key', STRING);
  if (typeof v.type !== 'string') bad(v, 'type', STRING);
  if (typeof v.defaultValue !== 'string') bad(v, 'defaultValue', STRING);
  if (v.subType != null && typeof v.subType !== 'string') bad(v, 'subType', STRING);
}

function featureFlag(item: unknown): void {
  const f = object(item);
  str(f, 'id');
  str(f, 'key');
  optStr(f, 'rolloutId');
  if (f.experimentIds != null) stringArray(f.experimentIds, 'experimentIds');
  if (f.variables != null) each(f.variables, 'variables', false, variable);
}

function audienceBase(item: unknown): Json {
  const a = object(item);
  str(a, 'id');
  optStr(a, 'name');
  return a;
}

function legacyAudience(item: unknown): void {
  const audience = audienceBase(item);
  const conditions = audience.conditions;
  if (typeof conditions !== 'string' && !Array.isArray(conditions) && !isObject(conditions))
    bad(audience, 'conditions', 'conditions');
}

function typedAudience(item: unknown): void {
  const audience = audienceBase(item);
  if (audience.conditions === undefined) bad(audience, 'conditions', 'conditions');
}

function attribute(item: unknown): void {
  const a = object(item);
  str(a, 'id');
  str(a, 'key');
}

function event(item: unknown): void {
  const e = object(item);
  str(e, 'id');
  str(e, 'key');
  if (e.experimentIds != null) stringArray(e.experimentIds, 'experimentIds');
}

function integration(item: unknown): void {
  const i = object(item);
  str(i, 'key');
  optStr(i, 'host');
  optStr(i, 'publicKey');
  optStr(i, 'pixelUrl');
}

function datafile(input: unknown): Datafile {
  const df = object(input);
  if (typeof df.version !== 'string' || !SUPPORTED_VERSIONS.has(df.version)) {
    throw new Invalid(
      'version',
      `unsupported datafile version ${describe(df.version)} (expected "2", "3" or "4")`,
    );
  }
  str(df, 'accountId');
  str(df, 'projectId');
  str(df, 'revision');
  optStr(df, 'sdkKey');
  optStr(df, 'environmentKey');
  optStr(df, 'region');
  optBool(df, 'anonymizeIP');
  optBool(df, 'botFiltering');
  optBool(df, 'sendFlagDecisions');

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

/** `a.b[2].c` from segments listed innermost first. */
function pathText(segments: readonly (string | number)[]): string {
  let text = '';
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text;
}

/**
 * Checks that a parsed datafile has every field FlagKit reads, with the right types, and returns
 * it typed. Throws a {@link DatafileError} naming the first bad field. Does not modify its input.
 */
export function validateDatafile(input: unknown): Datafile {
  try {
    return datafile(input);
  } catch (error) {
    if (error instanceof Invalid) throw new DatafileError(pathText(error.segments), error.problem);
    throw error;
  }
}
