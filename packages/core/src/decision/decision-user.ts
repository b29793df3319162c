import type { EvaluationUser } from '../audience/evaluation-user';

/** What the decision service reads from a user context. */
export interface DecisionUser extends EvaluationUser {
  readonly userId: string;
  /** The `$opt_bucketing_id` attribute's value, undefined when absent. */
  readonly bucketingIdAttribute: unknown;
  /**
   * The variation key forced for this flag (and rule, when given), or undefined.
   * A flag-level forced decision has no rule key.
   */
  forcedVariationKey(flagKey: string, ruleKey?: string): string | undefined;
}
