import type { Logger } from '../ports/logger';

/**
 * Input checks shared by the client's public methods, with the reference's rules:
 * a user id is any string except the literal "undefined"; attributes are a plain object
 * (not an array) none of whose values is `undefined`.
 */
export function isValidUserId(userId: unknown): userId is string {
  return typeof userId === 'string' && userId !== 'undefined';
}

/** A non-empty string, as required for experiment, flag, variable and event keys. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Returns an error message, or null when the attributes are acceptable (absent counts as `{}`). */
export function attributesProblem(attributes: unknown): string | null {
  if (attributes === undefined || attributes === null) return null;
  if (typeof attributes !== 'object' || Array.isArray(attributes))
    return 'Provided attributes are in an invalid format.';
  for (const key of Object.keys(attributes)) {
    if ((attributes as Record<string, unknown>)[key] === undefined)
      return `Provided attribute: ${key} has an undefined value.`;
  }
  return null;
}

/**
 * Checks a call's user id, keys (each a non-empty string; the name is what the log line calls
 * it, e.g. `event_key`) and attributes. Logs the first problem at error level and returns false,
 * or returns true.
 */
export function validInputs(
  keys: Record<string, unknown>,
  userId: unknown,
  attributes: unknown,
  logger: Logger,
): boolean {
  let problem: string | null = null;
  if (!isValidUserId(userId)) {
    problem = 'Provided user_id is in an invalid format.';
  } else {
    for (const name of Object.keys(keys)) {
      if (!isNonEmptyString(keys[name])) {
        problem = `Provided ${name} is in an invalid format.`;
        break;
      }
    }
    problem ??= attributesProblem(attributes);
  }
  if (problem === null) return true;
  if (logger.isEnabled('error')) logger.log('error', problem);
  return false;
}

/** Event tags must be a plain object when given. */
export function eventTagsProblem(tags: unknown): string | null {
  if (tags === undefined || tags === null) return null;
  return typeof tags === 'object' && !Array.isArray(tags)
    ? null
    : 'Provided event tags are in an invalid format.';
}

/**
 * A user's attributes as a user context keeps them: own enumerable string keys and their values
 * in two parallel arrays, in key order, plus the reserved `$opt_` attribute values read once
 * (undefined when absent). Arrays instead of an object copy: applications pass attribute objects
 * of countless shapes, and both copying those (object spread) and reading them by key go through
 * V8's slow megamorphic paths, where `Object.keys`/`Object.values` and a scan of a dozen keys stay
 * fast. Keys are plain data here, so a `__proto__` key can never reach a prototype.
 */
export interface AttributeList {
  attributeKeys: string[];
  attributeValues: unknown[];
  bucketingIdAttribute: unknown;
  bucketMapAttribute: unknown;
}

/** The reserved attributes a user context reads once: the bucketing id and the sticky-bucketing map. */
export const BUCKETING_ID_ATTRIBUTE = '$opt_bucketing_id';
export const BUCKET_MAP_ATTRIBUTE = '$opt_experiment_bucket_map';

/**
 * Validates attributes and copies them into `into` (fresh arrays; the source is not kept).
 * Returns null, or an error message (then `into` holds no attributes).
 */
export function copyValidAttributes(attributes: unknown, into: AttributeList): string | null {
  if (attributes === undefined || attributes === null) {
    clearAttributes(into);
    return null;
  }
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    clearAttributes(into);
    return 'Provided attributes are in an invalid format.';
  }
  const undefinedAt = copyAttributeList(attributes as Record<string, unknown>, into);
  if (undefinedAt === -1) return null;
  const key = into.attributeKeys[undefinedAt];
  clearAttributes(into);
  return `Provided attribute: ${key} has an undefined value.`;
}

/**
 * Copies the own enumerable string-keyed attributes of `source` into `into`, without validating
 * them. Returns the index of the first `undefined` value, or -1.
 */
export function copyAttributeList(source: Readonly<Record<string, unknown>>, into: AttributeList): number {
  let keys = Object.keys(source);
  let values: unknown[] = Object.values(source);
  if (values.length !== keys.length) {
    // Only a getter or proxy that adds or deletes properties while being read gets here: read
    // again as pairs, which keeps keys and values together (at the cost of a second read).
    const entries = Object.entries(source);
    keys = entries.map((entry) => entry[0]);
    values = entries.map((entry) => entry[1]);
  }
  // Builtin scans, a little cheaper than a loop of our own over every key and value.
  const bucketingIdAt = keys.indexOf(BUCKETING_ID_ATTRIBUTE);
  const bucketMapAt = keys.indexOf(BUCKET_MAP_ATTRIBUTE);
  into.attributeKeys = keys;
  into.attributeValues = values;
  into.bucketingIdAttribute = bucketingIdAt === -1 ? undefined : values[bucketingIdAt];
  into.bucketMapAttribute = bucketMapAt === -1 ? undefined : values[bucketMapAt];
  return values.indexOf(undefined);
}

function clearAttributes(into: AttributeList): void {
  into.attributeKeys = [];
  into.attributeValues = [];
  into.bucketingIdAttribute = undefined;
  into.bucketMapAttribute = undefined;
}
