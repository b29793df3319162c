/**
 * A numeric option as a whole number (rounded down), or `fallback` when it is absent, not a
 * finite number, or below `min`.
 */
export function wholeNumberOption(value: number | undefined, fallback: number, min = 0): number {
  // Number.isFinite is false for anything but a finite number: it does not convert its argument.
  return Number.isFinite(value) && (value as number) >= min ? Math.floor(value as number) : fallback;
}
