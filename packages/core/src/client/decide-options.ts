import type { Logger } from '../ports/logger';

/** Options that change what `decide*` does; the values are the reference's strings. */
export const OptimizelyDecideOption = {
  /** Send no impression. */
  DISABLE_DECISION_EVENT: 'DISABLE_DECISION_EVENT',
  /** `decideForKeys`/`decideAll` return enabled flags only (ignored by `decide`). */
  ENABLED_FLAGS_ONLY: 'ENABLED_FLAGS_ONLY',
  /** Neither read nor write the user profile service. */
  IGNORE_USER_PROFILE_SERVICE: 'IGNORE_USER_PROFILE_SERVICE',
  /** Fill `reasons` with how each decision was made. */
  INCLUDE_REASONS: 'INCLUDE_REASONS',
  /** Leave `variables` empty. */
  EXCLUDE_VARIABLES: 'EXCLUDE_VARIABLES',
  /** CMAB (async decide): skip the CMAB cache. */
  IGNORE_CMAB_CACHE: 'IGNORE_CMAB_CACHE',
  /** CMAB (async decide): clear the whole CMAB cache first. */
  RESET_CMAB_CACHE: 'RESET_CMAB_CACHE',
  /** CMAB (async decide): drop this user's CMAB cache entry first. */
  INVALIDATE_USER_CMAB_CACHE: 'INVALIDATE_USER_CMAB_CACHE',
} as const;

export type OptimizelyDecideOption = (typeof OptimizelyDecideOption)[keyof typeof OptimizelyDecideOption];

/** The options as bit flags: merging and testing them allocates nothing. */
export const DecideFlag = {
  DISABLE_DECISION_EVENT: 1,
  ENABLED_FLAGS_ONLY: 2,
  IGNORE_USER_PROFILE_SERVICE: 4,
  INCLUDE_REASONS: 8,
  EXCLUDE_VARIABLES: 16,
  IGNORE_CMAB_CACHE: 32,
  RESET_CMAB_CACHE: 64,
  INVALIDATE_USER_CMAB_CACHE: 128,
} as const satisfies Record<OptimizelyDecideOption, number>;

/** Turns a list of options into bit flags; unknown entries are logged and ignored. */
export function decideOptionBits(options: unknown, logger: Logger): number {
  if (options === undefined) return 0;
  if (!Array.isArray(options)) {
    if (logger.isEnabled('debug'))
      logger.log('debug', 'Provided decide options is not an array. Using default decide options.');
    return 0;
  }
  let bits = 0;
  for (let i = 0; i < options.length; i++) {
    const option = options[i];
    const bit =
      typeof option === 'string' && Object.hasOwn(DecideFlag, option)
        ? DecideFlag[option as OptimizelyDecideOption]
        : 0;
    if (bit) bits |= bit;
    else if (logger.isEnabled('warn'))
      logger.log('warn', `Unrecognized decide option ${String(option)} provided.`);
  }
  return bits;
}
