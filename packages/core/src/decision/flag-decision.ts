import type { Experiment, Holdout, Variation } from '../config/project-config';
import type { DecisionSource } from './decision-source';

/** A global holdout with `excludeTargetedDeliveries` the user fell into, and its variation. */
export interface AppliedHoldout {
  readonly holdout: Holdout;
  readonly variation: Variation;
}

/** The decision service's answer for one flag, before it is turned into a public decision. */
export interface FlagDecision {
  /** The rule (or holdout) that decided; null for forced flag decisions and misses. */
  readonly experiment: Experiment | Holdout | null;
  readonly variation: Variation | null;
  readonly source: DecisionSource;
  /** A global holdout with `excludeTargetedDeliveries` the user fell into: it gets its own impression. */
  readonly appliedHoldout?: AppliedHoldout | undefined;
  readonly cmabUuid?: string | undefined;
}

/**
 * Makes a {@link FlagDecision}. Every one the decision path makes comes from here, with all five
 * fields in one order, so the code reading them (once per decision) sees a single object shape
 * instead of a megamorphic mix of literals, spreads and frozen constants.
 */
export function flagDecision(
  experiment: Experiment | Holdout | null,
  variation: Variation | null,
  source: DecisionSource,
  appliedHoldout?: AppliedHoldout,
  cmabUuid?: string,
): FlagDecision {
  return { experiment, variation, source, appliedHoldout, cmabUuid };
}
