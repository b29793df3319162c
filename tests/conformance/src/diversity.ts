/**
 * A tally of where the official SDK's decisions came from, so the suite can prove that the
 * generated corpus reaches every part of the decision flow (a conformance suite in which every
 * flag is simply off would prove nothing).
 */
import { isDeepStrictEqual } from 'node:util';
import type { DecisionLike } from './clients';
import { type DatafileFacts, type RuleKind, ruleKindOf } from './datafile-facts';

/** Counts of decisions by source and outcome. */
export class DiversityTally {
  readonly byKind = new Map<RuleKind, number>();
  total = 0;
  enabled = 0;
  /** Decisions with at least one variable value different from the flag's default. */
  nonDefaultVariables = 0;
  /** Decisions carrying at least one variable. */
  withVariables = 0;

  /** Adds one official decision. */
  add(facts: DatafileFacts, decision: DecisionLike): void {
    this.total++;
    if (decision.enabled) this.enabled++;
    const kind = ruleKindOf(facts, decision.ruleKey);
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    const flag = facts.flagsByKey.get(decision.flagKey);
    const keys = Object.keys(decision.variables);
    if (keys.length > 0) {
      this.withVariables++;
      if (flag && keys.some((k) => !isDeepStrictEqual(decision.variables[k], flag.defaults[k]))) {
        this.nonDefaultVariables++;
      }
    }
  }

  /** Share of decisions (0..1) whose rule is one of `kinds`. */
  share(...kinds: RuleKind[]): number {
    if (this.total === 0) return 0;
    return kinds.reduce((sum, k) => sum + (this.byKind.get(k) ?? 0), 0) / this.total;
  }

  /** Number of decisions whose rule is one of `kinds`. */
  count(...kinds: RuleKind[]): number {
    return kinds.reduce((sum, k) => sum + (this.byKind.get(k) ?? 0), 0);
  }

  /** A table for the test log. */
  summary(): string {
    const pct = (n: number): string => `${((100 * n) / Math.max(1, this.total)).toFixed(1).padStart(5)} %`;
    const rows = [...this.byKind.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `  ${kind.padEnd(18)} ${String(n).padStart(8)} ${pct(n)}`);
    return [
      `decisions: ${this.total}`,
      ...rows,
      `  ${'enabled'.padEnd(18)} ${String(this.enabled).padStart(8)} ${pct(this.enabled)}`,
      `  ${'disabled'.padEnd(18)} ${String(this.total - this.enabled).padStart(8)} ${pct(this.total - this.enabled)}`,
      `  ${'non-default vars'.padEnd(18)} ${String(this.nonDefaultVariables).padStart(8)} ${pct(this.nonDefaultVariables)}`,
    ].join('\n');
  }
}
