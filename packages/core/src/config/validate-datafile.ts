import type { Datafile } from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';

const SUPPORTED_VERSIONS: ReadonlySet<unknown> = new Set(['2', '3', '4']);
// Audience-id trees nest a few lists deep at most. A hostile datafile can nest them far enough
// to overflow the stack (JSON.parse itself does not recurse), here or when they are compiled.
const MAX_CONDITION_DEPTH = 100;

type Json = Record<string, unknown>;
type Check = (item: unknown) => void;

// Validation runs on every datafile load. Each check is handed the field's value, read by name
// where it is called (a named read is faster than `record[key]` with the key in a variable), and
// the key only to name it in a failure. The path of a bad field is not tracked on the way down:
// the failure is thrown as an `Invalid` holding the field's key, and each list or nested object
// it passes through on the way up adds its own segment. Nothing allocates on success, which also
// matters: the freshly parsed tree is still in V8's young generation, and a scavenge would copy
// all of it.

/** A failed check travelling up to `validateDatafile`. */
class Invalid {
  /** The path from the document to the bad value, built from the inside out: `.a[2].b`. */
  path = '';

  constructor(
    readonly problem: string,
    key?: string | number,
  ) {
    if (key !== undefined) within(this, key);
  }
}

/** Prefixes the path of a failure passing through with `segment`; rethrows anything else. */
function within(error: unknown, segment: string | number): unknown {
  if (error instanceof Invalid)
    error.path = (typeof segment === 'number' ? `[${segment}]` : `.${segment}`) + error.path;
  return error;
}

function describe(value: unknown): string {
  if (value == null) return `${value}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  // A string is shown quoted and cut short (a message must stay readable); JSON.stringify would
  // throw on a BigInt, so the rest go through String.
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Fails field `key` (none: the value being checked) holding `value`, which should be `expected`. */
function mistyped(value: unknown, expected: string, key?: string | number): never {
  throw new Invalid(`expected ${expected}, got ${describe(value)}`, key);
}

const A_STRING = 'a string';
const STRING = 'string';
const BOOLEAN = 'boolean';

/** `value`, field `key` of its record (none: an item of a list), must be a string. */
function str(value: unknown, key?: string): void {
  if (typeof value !== 'string') mistyped(value, A_STRING, key);
}

/** `value`, field `key` of its record, may be absent or null, else must have type `type`. */
function optional(value: unknown, key: string, type: 'string' | 'boolean'): void {
  if (value != null && typeof value !== type) mistyped(value, `a ${type}`, key);
}

/** `value`, field `key` of its record, must be a finite number (not NaN, not a non-number). */
function num(value: unknown, key: string): void {
  if (!Number.isFinite(value)) mistyped(value, 'a finite number', key);
}

function object(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) mistyped(value, 'an object');
  return value as Json;
}

/**
 * An object with the string fields `id` and `key`, which most datafile entities have. Checked
 * inline: this runs for most objects of a datafile, often in V8's interpreter, where a call costs.
 */
function entity(value: unknown): Json {
  const record = object(value);
  if (typeof record.id !== 'string') mistyped(record.id, A_STRING, 'id');
  if (typeof record.key !== 'string') mistyped(record.key, A_STRING, 'key');
  return record;
}

/**
 * Checks each item of the list `items`, field `key` of its record, with `check`. An optional list
 * may be absent or null. `check` is always a top-level function, so passing it allocates nothing;
 * the try costs nothing until it catches.
 */
function each(items: unknown, key: string, check: Check, required?: boolean): void {
  if (items == null && !required) return;
  if (!Array.isArray(items)) mistyped(items, 'an array', key);
  let i = 0;
  try {
    for (; i < items.length; i++) check(items[i]);
  } catch (error) {
    throw within(within(error, i), key);
  }
}

/** Checks `value`, field `key` of its record, with `check`, unless it is absent or null. */
function nested(value: unknown, key: string, check: Check): void {
  if (value == null) return;
  try {
    check(value);
  } catch (error) {
    throw within(error, key);
  }
}

/** User id to variation key. */
function forcedVariations(value: unknown): void {
  const forced = object(value);
  for (const userId in forced) {
    if (Object.hasOwn(forced, userId)) str(forced[userId], userId);
  }
}

/** Audience-id trees: strings and nested arrays only. */
function conditionTree(value: unknown, depth = 0): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) mistyped(value, 'an audience id or a list');
  if (depth === MAX_CONDITION_DEPTH) throw new Invalid(`nests more than ${MAX_CONDITION_DEPTH} lists deep`);
  let i = 0;
  try {
    for (; i < value.length; i++) conditionTree(value[i], depth + 1);
  } catch (error) {
    throw within(error, i);
  }
}

function trafficRange(item: unknown): void {
  const range = object(item);
  str(range.entityId, 'entityId');
  num(range.endOfRange, 'endOfRange');
}

function variableUsage(item: unknown): void {
  const usage = object(item);
  str(usage.id, 'id');
  str(usage.value, 'value');
}

function variation(item: unknown): void {
  const v = entity(item);
  optional(v.featureEnabled, 'featureEnabled', BOOLEAN);
  each(v.variables, 'variables', variableUsage);
}

/** The fields experiments, rollout rules and holdouts share. */
function bucketedEntity(item: unknown): Json {
  const e = entity(item);
  str(e.status, 'status');
  each(e.variations, 'variations', variation, true);
  each(e.trafficAllocation, 'trafficAllocation', trafficRange, true);
  each(e.audienceIds, 'audienceIds', str);
  nested(e.audienceConditions, 'audienceConditions', conditionTree);
  return e;
}

function cmab(value: unknown): void {
  const c = object(value);
  num(c.trafficAllocation, 'trafficAllocation');
  each(c.attributeIds, 'attributeIds', str);
}

function experiment(item: unknown): void {
  const e = bucketedEntity(item);
  optional(e.layerId, 'layerId', STRING);
  nested(e.forcedVariations, 'forcedVariations', forcedVariations);
  optional(e.type, 'type', STRING);
  nested(e.cmab, 'cmab', cmab);
}

function holdout(item: unknown): void {
  const h = bucketedEntity(item);
  each(h.includedRules, 'includedRules', str);
  optional(h.excludeTargetedDeliveries, 'excludeTargetedDeliveries', BOOLEAN);
}

function group(item: unknown): void {
  const g = object(item);
  str(g.id, 'id');
  str(g.policy, 'policy');
  each(g.trafficAllocation, 'trafficAllocation', trafficRange, true);
  each(g.experiments, 'experiments', experiment);
}

function rollout(item: unknown): void {
  const r = object(item);
  str(r.id, 'id');
  each(r.experiments, 'experiments', experiment);
}

function variable(item: unknown): void {
  const v = entity(item);
  str(v.type, 'type');
  str(v.defaultValue, 'defaultValue');
  optional(v.subType, 'subType', STRING);
}

function featureFlag(item: unknown): void {
  const f = entity(item);
  optional(f.rolloutId, 'rolloutId', STRING);
  each(f.experimentIds, 'experimentIds', str);
  each(f.variables, 'variables', variable);
}

function audience(item: unknown): Json {
  const a = object(item);
  str(a.id, 'id');
  optional(a.name, 'name', STRING);
  return a;
}

// The field, and what it must hold: audiences' conditions have no simpler description.
const CONDITIONS = 'conditions';

function legacyAudience(item: unknown): void {
  const conditions = audience(item).conditions;
  // A JSON string, or an already parsed list or object.
  if (typeof conditions !== 'string' && (typeof conditions !== 'object' || conditions === null))
    mistyped(conditions, CONDITIONS, CONDITIONS);
}

function typedAudience(item: unknown): void {
  if (audience(item).conditions === undefined) mistyped(undefined, CONDITIONS, CONDITIONS);
}

function event(item: unknown): void {
  each(entity(item).experimentIds, 'experimentIds', str);
}

function integration(item: unknown): void {
  const i = object(item);
  str(i.key, 'key');
  optional(i.host, 'host', STRING);
  optional(i.publicKey, 'publicKey', STRING);
  optional(i.pixelUrl, 'pixelUrl', STRING);
}

// The document's own fields are read once per load, so these tables (keyed reads) serve them.
const REQUIRED_STRINGS = ['accountId', 'projectId', 'revision'];
const OPTIONAL_STRINGS = ['sdkKey', 'environmentKey', 'region'];
const OPTIONAL_BOOLEANS = ['anonymizeIP', 'botFiltering', 'sendFlagDecisions'];
const SECTIONS: [string, Check][] = [
  ['experiments', experiment],
  ['groups', group],
  ['rollouts', rollout],
  ['featureFlags', featureFlag],
  ['audiences', legacyAudience],
  ['typedAudiences', typedAudience],
  // Attributes have exactly the fields every entity has.
  ['attributes', entity],
  ['events', event],
  ['integrations', integration],
  ['holdouts', holdout],
  ['localHoldouts', holdout],
];

function datafile(input: unknown): Datafile {
  const df = object(input);
  // A Set holds no value of another type, so this rejects non-strings too.
  if (!SUPPORTED_VERSIONS.has(df.version)) {
    throw new Invalid(
      `unsupported datafile version ${describe(df.version)} (expected "2", "3" or "4")`,
      'version',
    );
  }
  for (const key of REQUIRED_STRINGS) str(df[key], key);
  for (const key of OPTIONAL_STRINGS) optional(df[key], key, STRING);
  for (const key of OPTIONAL_BOOLEANS) optional(df[key], key, BOOLEAN);
  for (const [key, check] of SECTIONS) each(df[key], key, check);
  return df as unknown as Datafile;
}

/**
 * Checks that a parsed datafile has every field FlagKit reads, with the right types, and returns
 * it typed. Throws a {@link DatafileError} naming the first bad field. Does not modify its input.
 */
export function validateDatafile(input: unknown): Datafile {
  try {
    return datafile(input);
  } catch (error) {
    // The path without its leading dot.
    if (error instanceof Invalid) throw new DatafileError(error.path.slice(1), error.problem);
    throw error;
  }
}
