/** Default number of users whose segments are kept. */
export const DEFAULT_SEGMENTS_CACHE_SIZE = 10_000;
/** Default time a user's segments stay fresh: 10 minutes. */
export const DEFAULT_SEGMENTS_CACHE_TIMEOUT_MS = 600_000;
