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

/** Event tags must be a plain object when given. */
export function eventTagsProblem(tags: unknown): string | null {
  if (tags === undefined || tags === null) return null;
  return typeof tags === 'object' && !Array.isArray(tags)
    ? null
    : 'Provided event tags are in an invalid format.';
}

/** The reserved `$opt_` attribute values a user context reads once (undefined when absent). */
export interface ReservedAttributes {
  bucketingIdAttribute: unknown;
  bucketMapAttribute: unknown;
}

const BUCKETING_ID_ATTRIBUTE = '$opt_bucketing_id';
const BUCKET_MAP_ATTRIBUTE = '$opt_experiment_bucket_map';

/**
 * Validates and copies attributes: returns the copy, or an error message. The copy is a plain
 * object of the source's own enumerable properties, all data (a `__proto__` key stays data), made
 * by object spread as the reference does: V8 clones a source's shape in one step, where adding
 * keys one by one walks a chain of shape transitions per key.
 *
 * Checking the copy's values (`Object.values`, no key per value) and looking the two reserved
 * `$opt_` keys up directly is cheaper than one `for…in` walk over keys and values; `reserved`
 * receives those values, so a new user context needs no pass of its own over its attributes.
 */
export function copyValidAttributes(
  attributes: unknown,
  reserved: ReservedAttributes,
): Record<string, unknown> | string {
  reserved.bucketingIdAttribute = undefined;
  reserved.bucketMapAttribute = undefined;
  if (attributes === undefined || attributes === null) return {};
  if (typeof attributes !== 'object' || Array.isArray(attributes))
    return 'Provided attributes are in an invalid format.';
  const copy: Record<string, unknown> = { ...(attributes as Record<string, unknown>) };
  const values = Object.values(copy);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === undefined) return undefinedAttributeProblem(copy);
  }
  if (Object.hasOwn(copy, BUCKETING_ID_ATTRIBUTE))
    reserved.bucketingIdAttribute = copy[BUCKETING_ID_ATTRIBUTE];
  if (Object.hasOwn(copy, BUCKET_MAP_ATTRIBUTE)) reserved.bucketMapAttribute = copy[BUCKET_MAP_ATTRIBUTE];
  return copy;
}

/** The message naming the first attribute (in key order) whose value is `undefined`. */
function undefinedAttributeProblem(copy: Record<string, unknown>): string {
  const key = Object.keys(copy).find((name) => copy[name] === undefined);
  return `Provided attribute: ${key} has an undefined value.`;
}
