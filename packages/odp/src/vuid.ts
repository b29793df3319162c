import { uuidV4 } from '@flagkit/core';

/** Prefix of every VUID. */
export const VUID_PREFIX = 'vuid_';
/** Where the VUID is kept in a {@link KeyValueStore}. */
export const VUID_STORAGE_KEY = 'optimizely-vuid';
/**
 * A new visitor id: `vuid_` and the first 27 hex digits of a UUID v4 without dashes, 32
 * characters in all (Optimizely's truncation).
 */
export function makeVuid(): string {
  return VUID_PREFIX + uuidV4().replace(/-/g, '').slice(0, 27);
}

/** Whether `value` is a VUID: starts with `vuid_` and has more after it (the reference's test). */
export function isVuid(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(VUID_PREFIX) && value.length > VUID_PREFIX.length;
}
