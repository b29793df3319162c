/**
 * A numeric option as a whole number (rounded down), or `fallback` when it is absent, not a
 * finite number, or below `min`.
 */
export function wholeNumberOption(value: number | undefined, fallback: number, min = 0): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
}
