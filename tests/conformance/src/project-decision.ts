/**
 * Comparing decisions: the projection both SDKs must agree on, deep equality (NaN equals NaN,
 * -0 differs from 0), and a mismatch log that keeps the first few cases in full for debugging.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DecisionLike } from './clients';

/** The compared part of a decision. */
export interface ProjectedDecision {
  readonly flagKey: string;
  readonly enabled: boolean;
  readonly variationKey: string | null;
  readonly ruleKey: string | null;
  readonly variables: { readonly [key: string]: unknown };
}

/** Projects a decision onto the compared fields. */
export function projectDecision(decision: DecisionLike): ProjectedDecision {
  return {
    flagKey: decision.flagKey,
    enabled: decision.enabled,
    variationKey: decision.variationKey,
    ruleKey: decision.ruleKey,
    variables: decision.variables,
  };
}

/** Where a comparison happened, for the report. */
export interface CaseContext {
  readonly seed: number;
  readonly check: string;
  readonly userIndex?: number;
  readonly userId?: string;
  readonly attributes?: Record<string, unknown>;
  readonly segments?: readonly string[];
  readonly details?: unknown;
}

/** One disagreement. */
export interface Mismatch extends CaseContext {
  readonly key: string;
  readonly official: unknown;
  readonly candidate: unknown;
}

/** One-line JSON that shows NaN, infinities, -0 and `undefined` instead of hiding them. */
export function describeValue(value: unknown): string {
  if (value === undefined) return '<undefined>';
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return `<${String(v)}>`;
    if (Object.is(v, -0)) return '<-0>';
    if (v === undefined) return '<undefined>';
    return v;
  });
}

/** Collects mismatches; keeps every count but only the first `keep` cases. */
export class MismatchLog {
  private readonly kept: Mismatch[] = [];
  private total = 0;
  private compared = 0;

  constructor(private readonly keep = 8) {}

  /** Compares one value pair (deep, strict); logs a mismatch when they differ. */
  compare(context: CaseContext, key: string, official: unknown, candidate: unknown): boolean {
    this.compared++;
    if (isDeepStrictEqual(official, candidate)) return true;
    this.total++;
    if (this.kept.length < this.keep) this.kept.push({ ...context, key, official, candidate });
    return false;
  }

  /** Compares two decision maps key by key (key sets as sets, decisions projected). */
  compareDecisionMaps(
    context: CaseContext,
    official: { readonly [key: string]: DecisionLike },
    candidate: { readonly [key: string]: DecisionLike },
  ): void {
    const officialKeys = Object.keys(official).sort();
    const candidateKeys = Object.keys(candidate).sort();
    this.compare(context, '<flag keys>', officialKeys, candidateKeys);
    for (const key of officialKeys) {
      const o = official[key];
      const c = candidate[key];
      if (o === undefined || c === undefined) continue;
      this.compare(context, key, projectDecision(o), projectDecision(c));
    }
  }

  /** Compares two single decisions. */
  compareDecisions(context: CaseContext, key: string, official: DecisionLike, candidate: DecisionLike): void {
    this.compare(context, key, projectDecision(official), projectDecision(candidate));
  }

  /** Number of mismatches. */
  get count(): number {
    return this.total;
  }

  /** Number of comparisons. */
  get comparisons(): number {
    return this.compared;
  }

  /** A readable report of the kept mismatches. */
  report(): string {
    if (this.total === 0) return `no mismatches in ${this.compared} comparisons`;
    const cases = this.kept.map((m, i) =>
      [
        `#${i + 1} seed=${m.seed} check=${m.check} user#${m.userIndex ?? '-'} id=${describeValue(m.userId)} key=${m.key}`,
        m.details === undefined ? '' : `  details:    ${describeValue(m.details)}`,
        m.attributes === undefined ? '' : `  attributes: ${describeValue(m.attributes)}`,
        m.segments === undefined ? '' : `  segments:   ${describeValue(m.segments)}`,
        `  official:   ${describeValue(m.official)}`,
        `  candidate:  ${describeValue(m.candidate)}`,
      ]
        .filter((line) => line !== '')
        .join('\n'),
    );
    return [
      `${this.total} mismatches in ${this.compared} comparisons; first ${this.kept.length}:`,
      ...cases,
    ].join('\n');
  }
}
