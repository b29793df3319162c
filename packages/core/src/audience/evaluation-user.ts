/** A user's attribute map, as passed to `createUserContext`. */
export type UserAttributes = Readonly<Record<string, unknown>>;

/**
 * What a compiled audience needs to know about a user. A user context satisfies it directly,
 * so evaluating an audience allocates nothing.
 */
export interface EvaluationUser {
  readonly attributes: UserAttributes;
  isQualifiedFor(segment: string): boolean;
}

/**
 * A compiled condition tree: `true`, `false`, or `null` when the result is unknown
 * (missing attribute, wrong type, unknown match).
 */
export type ConditionEvaluator = (user: EvaluationUser) => boolean | null;
