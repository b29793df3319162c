/**
 * Where a decision came from; it becomes `rule_type` in impression events.
 * `experiment` is only used by the legacy `activate` API.
 */
export type DecisionSource = 'feature-test' | 'rollout' | 'experiment' | 'holdout';
