/** A user's attribute map, as passed to `createUserContext`. */
export type UserAttributes = Readonly<Record<string, unknown>>;

/** What {@link EvaluationUser.attribute} returns for a key the user has no own attribute for. */
export const NO_ATTRIBUTE: unique symbol = Symbol('no attribute');

/**
 * Whether `value` is {@link NO_ATTRIBUTE}. Attribute values are of every type, and a plain
 * `value === NO_ATTRIBUTE` then compiles to V8's generic comparison (a builtin call per read):
 * the sentinel sits in a module variable the compiler cannot fold. Behind the `typeof` check
 * the comparison only ever sees symbols, and compiles to a pointer check.
 */
export function isNoAttribute(value: unknown): value is typeof NO_ATTRIBUTE {
  return typeof value === 'symbol' && value === NO_ATTRIBUTE;
}

/**
 * What a compiled audience needs to know about a user. A user context satisfies it directly,
 * so evaluating an audience allocates nothing.
 */
export interface EvaluationUser {
  /**
   * The value of the user's own attribute `key` (inherited properties never count), or
   * {@link NO_ATTRIBUTE} when there is none. Must not throw: a user context reads its own copy of
   * the attributes (getters and proxies were read when the context was made).
   */
  attribute(key: string): unknown;
  isQualifiedFor(segment: string): boolean;
}

/**
 * A compiled condition tree: `true`, `false`, or `null` when the result is unknown
 * (missing attribute, wrong type, unknown match).
 */
export type ConditionEvaluator = (user: EvaluationUser) => boolean | null;
