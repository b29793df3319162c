import type { VariableValue } from '../decision/variable-values';
import type { OptimizelyUserContext } from './user-context';

/** The result of deciding one flag for one user. */
export interface OptimizelyDecision {
  /** The variation key, or null when no rule matched (or on error). */
  readonly variationKey: string | null;
  readonly enabled: boolean;
  /** Every variable of the flag, typed; empty with EXCLUDE_VARIABLES or on error. */
  readonly variables: Record<string, VariableValue>;
  /** The key of the rule that decided, or null. */
  readonly ruleKey: string | null;
  readonly flagKey: string;
  /** A snapshot of the user context the decision was made for. */
  readonly userContext: OptimizelyUserContext;
  /** How the decision was made (with INCLUDE_REASONS), or why it failed (always). */
  readonly reasons: string[];
}

/** Decisions by flag key. */
export type OptimizelyDecisions = Record<string, OptimizelyDecision>;

/** The decision returned when a flag cannot be decided: disabled, no variation, with the reason. */
export function errorDecision(
  flagKey: string,
  userContext: OptimizelyUserContext,
  reasons: string[],
): OptimizelyDecision {
  return { variationKey: null, enabled: false, variables: {}, ruleKey: null, flagKey, userContext, reasons };
}
