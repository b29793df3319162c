import type { CmabDecision } from '../ports/cmab-service';

/** A rule's prediction, or `'failed'` when it could not be had. */
export type CmabAnswer = CmabDecision | 'failed';

/**
 * The CMAB predictions one async decide call has, by rule id, and what the decision service met
 * on the flag it decided last. The decision service is synchronous: when a flag reaches a CMAB
 * rule whose prediction is not here yet, the flag stops undecided and the rule id is noted in
 * `missing`; the caller fetches those and decides again (see `DecideClient`).
 */
export class CmabAnswers {
  readonly #answers = new Map<string, CmabAnswer>();
  /** Rule ids decisions needed a prediction for and found none. */
  readonly missing = new Set<string>();
  /** How the last flag's CMAB rules went: `pending` (a prediction is missing) or `failed`. */
  stop: 'pending' | 'failed' | null = null;
  /** The UUID of the prediction the last flag's variation came from. */
  cmabUuid: string | undefined = undefined;

  get(ruleId: string): CmabAnswer | undefined {
    return this.#answers.get(ruleId);
  }

  set(ruleId: string, answer: CmabAnswer): void {
    this.#answers.set(ruleId, answer);
    this.missing.delete(ruleId);
  }

  /** Clears the per-flag state before a flag is decided. */
  beginFlag(): void {
    this.stop = null;
    this.cmabUuid = undefined;
  }
}
