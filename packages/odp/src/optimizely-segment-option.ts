import type { OdpSegmentOption } from '@flagkit/core';

/**
 * The options of `fetchQualifiedSegments` as runtime values (Optimizely exports them only as a
 * type): `IGNORE_CACHE` neither reads nor writes the cache; `RESET_CACHE` clears it first.
 */
export const OptimizelySegmentOption = {
  IGNORE_CACHE: 'IGNORE_CACHE',
  RESET_CACHE: 'RESET_CACHE',
} as const satisfies Record<OdpSegmentOption, OdpSegmentOption>;
