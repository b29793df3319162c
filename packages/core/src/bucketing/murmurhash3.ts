/**
 * MurmurHash3 x86_32 over the UTF-8 bytes of a string, the hash Optimizely buckets with.
 *
 * The string is UTF-8 encoded on the fly from `charCodeAt`, so hashing allocates nothing: no
 * `TextEncoder`, no byte buffer, no concatenated key. Encoding matches `TextEncoder` exactly,
 * including lone surrogates, which become U+FFFD (`EF BF BD`).
 */

import { charCodeAt } from '../util/char-code-at';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

const DEFAULT_SEED = 1;

const HASH_SPACE = 4294967296; // 2^32

// Hash state lives at module level so hashing needs no per-call object or closure. Hashing is
// synchronous and never calls out, so it cannot be re-entered mid-hash. h1 is the running hash,
// k1 holds the `shift / 8` bytes of the block being filled.
let h1 = 0;
let k1 = 0;
let shift = 0;
let byteLength = 0;

// The state after hashing the last prefix `a` of a concatenation (a one-entry cache): one decision
// hashes the same bucketing id with many entity ids.
let prefixKey: string | null = null;
let prefixSeed = 0;
let prefixH1 = 0;
let prefixK1 = 0;
let prefixShift = 0;
let prefixLength = 0;
// Whether the prefix's last unit is a high surrogate, which a low one starting `b` would join.
let prefixEndsInHighSurrogate = false;

function reset(seed: number): void {
  // The reference implementation coerces the seed with ToInt32 on first use; `| 0` is the same.
  h1 = seed | 0;
  k1 = 0;
  shift = 0;
  byteLength = 0;
}

function mix(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, C2);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Feeds the UTF-8 encoding of `s[start, end)`; a pair is only joined if both halves are in range.
 * The state is worked on in locals and stored once at the end: every store of an int32 past 2^30
 * to module state allocates a heap number.
 */
function pushRange(s: string, start: number, end: number): void {
  let h = h1;
  let k = k1;
  let sh = shift;
  let length = byteLength;
  let i = start;
  while (i < end) {
    let unit = charCodeAt(s, i);
    // Fast path: four ASCII characters on a block boundary are one block.
    if (sh === 0 && i + 3 < end) {
      const c1 = charCodeAt(s, i + 1);
      const c2 = charCodeAt(s, i + 2);
      const c3 = charCodeAt(s, i + 3);
      if ((unit | c1 | c2 | c3) < 0x80) {
        h = mix(h, unit | (c1 << 8) | (c2 << 16) | (c3 << 24));
        length += 4;
        i += 4;
        continue;
      }
    }
    i++;
    let count = 1;
    if (unit >= 0x80) {
      if (unit >= 0xd800 && unit <= 0xdfff) {
        if (isHighSurrogate(unit) && i < end && isLowSurrogate(charCodeAt(s, i))) {
          unit = 0x10000 + ((unit - 0xd800) << 10) + (charCodeAt(s, i++) - 0xdc00);
        } else {
          unit = 0xfffd;
        }
      }
      count = unit < 0x800 ? 2 : unit < 0x10000 ? 3 : 4;
    }
    // UTF-8: one byte below 0x80; else a lead byte (0xC0, 0xE0 or 0xF0 with the top bits) and
    // continuation bytes of six bits each.
    length += count;
    for (let j = count - 1; j >= 0; j--) {
      const byte =
        count === 1
          ? unit
          : j === count - 1
            ? ((0xff00 >> count) & 0xff) | (unit >> (6 * j))
            : 0x80 | ((unit >> (6 * j)) & 0x3f);
      k |= byte << sh;
      sh += 8;
      if (sh === 32) {
        h = mix(h, k);
        k = 0;
        sh = 0;
      }
    }
  }
  h1 = h;
  k1 = k;
  shift = sh;
  byteLength = length;
}

/**
 * The end of MurmurHash3 on state passed in: the pending tail bytes are mixed like a block minus
 * the rotate-multiply-add of h, then the length, then the avalanche. The result is scaled onto
 * `[0, buckets)` when `buckets` is not 0.
 */
function finalize(h: number, k: number, pendingShift: number, length: number, buckets: number): number {
  if (pendingShift !== 0) {
    let tail = Math.imul(k, C1);
    tail = (tail << 15) | (tail >>> 17);
    h ^= Math.imul(tail, C2);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return buckets === 0 ? h >>> 0 : Math.floor(((h >>> 0) * buckets) / HASH_SPACE);
}

/**
 * MurmurHash3 x86_32 of the UTF-8 bytes of `key`, as an unsigned 32-bit integer.
 * Same result as `murmurhash.v3(key, seed)` from the `murmurhash` package Optimizely uses.
 *
 * @param key - The string to hash.
 * @param seed - The hash seed; Optimizely buckets with 1.
 */
export function murmurhash3(key: string, seed: number = DEFAULT_SEED): number {
  reset(seed);
  pushRange(key, 0, key.length);
  return finalize(h1, k1, shift, byteLength, 0);
}

/**
 * `murmurhash3(a + b, seed)` without building the concatenated string.
 * A high surrogate ending `a` and a low surrogate starting `b` form one code point, exactly as
 * they would in `a + b`.
 *
 * @param a - The first part of the key, e.g. the bucketing id.
 * @param b - The second part of the key, e.g. the experiment or group id.
 * @param seed - The hash seed; Optimizely buckets with 1.
 */
export function murmurhash3Concat(a: string, b: string, seed: number = DEFAULT_SEED): number {
  return hashConcat(a, b, seed, 0);
}

/**
 * `floor(murmurhash3Concat(a, b, seed) × buckets / 2^32)`: the hash scaled onto `[0, buckets)`,
 * computed where the hash is. A hash of 2^30 or more is no small integer to V8, so returning it
 * from a function too large to inline would allocate a heap number per call; a bucket never is.
 *
 * @param buckets - A positive integer of at most 2^30.
 */
export function murmurhash3ConcatBucket(
  a: string,
  b: string,
  buckets: number,
  seed: number = DEFAULT_SEED,
): number {
  return hashConcat(a, b, seed, buckets);
}

/** Hashes `a` into the one-entry prefix cache (callers check first that it is not there yet). */
function setPrefix(a: string, seed: number): void {
  // Bucketing ids are usually ASCII: whole blocks and the tail on locals, as pushRange would, but
  // without its per-character checks (this runs once per decision); the rest through pushRange.
  let h = seed | 0;
  const length = a.length;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const c0 = charCodeAt(a, i);
    const c1 = charCodeAt(a, i + 1);
    const c2 = charCodeAt(a, i + 2);
    const c3 = charCodeAt(a, i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80) break;
    h = mix(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
  }
  let k = 0;
  let sh = 0;
  for (; i < length; i++) {
    const c = charCodeAt(a, i);
    if (c >= 0x80) break;
    k |= c << sh;
    sh += 8;
  }
  h1 = h;
  k1 = k;
  shift = sh;
  byteLength = i;
  if (i < length) pushRange(a, i, length);
  prefixKey = a;
  prefixSeed = seed;
  prefixH1 = h1;
  prefixK1 = k1;
  prefixShift = shift;
  prefixLength = byteLength;
  prefixEndsInHighSurrogate = a.length > 0 && isHighSurrogate(charCodeAt(a, a.length - 1));
}

/** {@link murmurhash3Concat}, or its bucket when `buckets` is not 0. */
function hashConcat(a: string, b: string, seed: number, buckets: number): number {
  if (a !== prefixKey || seed !== prefixSeed) setPrefix(a, seed);
  if (prefixEndsInHighSurrogate && b.length > 0 && isLowSurrogate(charCodeAt(b, 0))) {
    // The pair straddles the boundary: feed it once, between the two ranges.
    reset(seed);
    pushRange(a, 0, a.length - 1);
    pushRange(a.charAt(a.length - 1) + b.charAt(0), 0, 2);
    pushRange(b, 1, b.length);
  } else {
    h1 = prefixH1;
    k1 = prefixK1;
    shift = prefixShift;
    byteLength = prefixLength;
    pushRange(b, 0, b.length);
  }
  return finalize(h1, k1, shift, byteLength, buckets);
}

/**
 * An ASCII id prepared (at datafile load) to be hashed after any prefix: its length, then its bytes
 * packed four to a word (little-endian, zero-padded, plus one zero word), so a decision mixes them
 * in word by word instead of reading the id again. One small array per entity: for digit ids the
 * words stay below 2^30, so they are stored as small integers.
 */
export type HashSuffix = readonly number[];

/**
 * Prepares `id` for {@link murmurhash3SuffixBucket}; undefined unless it is ASCII (Optimizely's
 * entity ids are digit strings), which leaves such an id to {@link murmurhash3ConcatBucket}.
 *
 * @param id - An experiment, rule, holdout or group id.
 */
export function prepareHashSuffix(id: string): HashSuffix | undefined {
  const prepared: number[] = [id.length];
  for (let w = 0; w <= (id.length >> 2) + 1; w++) prepared.push(0);
  for (let i = 0; i < id.length; i++) {
    const unit = charCodeAt(id, i);
    if (unit >= 0x80) return undefined;
    prepared[1 + (i >> 2)]! |= unit << ((i & 3) * 8);
  }
  // The copy has no spare capacity, which a grown array keeps.
  return prepared.slice();
}

/**
 * `murmurhash3ConcatBucket(a, id, buckets)` (seed 1) of an id prepared by {@link prepareHashSuffix}.
 *
 * @param a - The first part of the key: the bucketing id.
 * @param suffix - The second part, prepared.
 * @param buckets - A positive integer of at most 2^30.
 */
export function murmurhash3SuffixBucket(a: string, suffix: HashSuffix, buckets: number): number {
  // An ASCII suffix never starts with a low surrogate, so it never joins the prefix's last unit.
  if (a !== prefixKey || prefixSeed !== DEFAULT_SEED) setPrefix(a, DEFAULT_SEED);
  const length = suffix[0]!;
  const total = (prefixShift >> 3) + length; // bytes after the prefix's last whole block
  const blocks = total >> 2;
  // Block j is the prefix's pending bytes (j = 0) or the end of word j - 1, then the start of
  // word j, shifted past the pending bytes.
  const up = prefixShift;
  const down = 32 - up;
  let h = prefixH1;
  let carry = prefixK1;
  for (let j = 1; j <= blocks; j++) {
    const word = suffix[j]!;
    h = mix(h, carry | (word << up));
    carry = up === 0 ? 0 : word >>> down;
  }
  const tail = carry | (suffix[blocks + 1]! << up);
  return finalize(h, tail, (total & 3) * 8, prefixLength + length, buckets);
}
