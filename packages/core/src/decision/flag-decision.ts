import type { Experiment, Holdout, Variation } from '../config/project-config';
import type { DecisionSource } from './decision-source';

/** The decision service's answer for one flag, before it is turned into a public decision. */
export interface FlagDecision {
  /** The rule (or holdout) that decided; null for forced flag decisions and misses. */
  readonly experiment: Experiment | Holdout | null;
  readonly variation: Variation | null;
  readonly source: DecisionSource;
  /** A global holdout with `excludeTargetedDeliveries` the user fell into: it gets its own impression. */
  readonly appliedHoldout?: { readonly holdout: Holdout; readonly variation: Variation };
  readonly cmabUuid?: string;
}
