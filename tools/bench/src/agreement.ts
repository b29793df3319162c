/**
 * Sanity check before timing: both SDKs must make the same decisions on the benchmark's inputs,
 * or the comparison would be between different amounts of work.
 */
import type { DatafileFixture } from './fixtures';
import type { PerSide } from './measure';
import type { BenchDecision, BenchUserContext } from './sdks';

/** One decision on which the SDKs differ. */
export interface Disagreement {
  readonly userId: string;
  readonly flagKey: string;
  readonly via: 'decide' | 'decideAll';
  readonly flagkit: string;
  readonly reference: string;
}

/** The outcome of {@link checkAgreement}. */
export interface AgreementReport {
  /** Datafile flag count. */
  readonly flagCount: number;
  /** Decisions compared. */
  readonly checked: number;
  /** Every decision that differed (variation key or enabled). */
  readonly disagreements: readonly Disagreement[];
}

function describe(decision: BenchDecision | undefined): string {
  if (!decision) return '(missing)';
  return `${decision.variationKey ?? 'null'}/${decision.enabled ? 'on' : 'off'}`;
}

/**
 * Compares `decide(flag)` for every flag and `decideAll()` on the first `sampleSize` users of
 * the pool, using each side's pre-built contexts (index-aligned with `fixture.users`).
 */
export function checkAgreement(
  fixture: DatafileFixture,
  contexts: PerSide<readonly BenchUserContext[]>,
  sampleSize: number,
): AgreementReport {
  const disagreements: Disagreement[] = [];
  let checked = 0;
  const count = Math.min(sampleSize, fixture.users.length);
  for (let i = 0; i < count; i++) {
    const userId = fixture.users[i]!.userId;
    const flagkit = contexts.flagkit[i]!;
    const reference = contexts.reference[i]!;
    for (const flagKey of fixture.flagKeys) {
      const a = describe(flagkit.decide(flagKey));
      const b = describe(reference.decide(flagKey));
      checked++;
      if (a !== b) disagreements.push({ userId, flagKey, via: 'decide', flagkit: a, reference: b });
    }
    const allA = flagkit.decideAll();
    const allB = reference.decideAll();
    for (const flagKey of new Set([...Object.keys(allA), ...Object.keys(allB)])) {
      const a = describe(allA[flagKey]);
      const b = describe(allB[flagKey]);
      checked++;
      if (a !== b) disagreements.push({ userId, flagKey, via: 'decideAll', flagkit: a, reference: b });
    }
  }
  return { flagCount: fixture.flagCount, checked, disagreements };
}
