/**
 * `s.charCodeAt(i)`, for strings from users (ids, attribute values).
 *
 * Such strings arrive in many internal representations (flat, concatenated, sliced, one- or
 * two-byte), and each is its own object shape to V8: `s.charCodeAt` then turns into a
 * megamorphic method lookup on every call. Reaching the method through `String.prototype`
 * lets the compiler fold it to the one builtin and inline it (about 3x faster per character on
 * the benchmark's user ids). Keeping the method in a module-level constant would not do: bundlers
 * turn top-level constants into `var`s, which the compiler cannot fold.
 */
export function charCodeAt(s: string, i: number): number {
  return String.prototype.charCodeAt.call(s, i);
}
