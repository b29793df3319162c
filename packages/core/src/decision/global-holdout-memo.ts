import type { Variation } from '../config/project-config';

/**
 * What a user state's global holdouts gave, by index in `config.globalHoldouts`: the variation,
 * null when the user is not in the holdout, undefined while not evaluated yet. An array rather
 * than a map keyed by holdout: one read of a small array, no hashing, for every decision.
 */
export type GlobalHoldoutMemo = (Variation | null | undefined)[];
