/**
 * MurmurHash3 x86_32 over the UTF-8 bytes of a string, the hash Optimizely buckets with.
 *
 * The string is UTF-8 encoded on the fly from `charCodeAt`, so hashing allocates nothing: no
 * `TextEncoder`, no byte buffer, no concatenated key. Encoding matches `TextEncoder` exactly,
 * including lone surrogates, which become U+FFFD (`EF BF BD`).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

const DEFAULT_SEED = 1;

const HASH_SPACE = 4294967296; // 2^32

// Hash state lives at module level so the byte feeder needs no per-call object or closure.
// Hashing is synchronous and never calls out, so it cannot be re-entered mid-hash.
let h1 = 0;
let k1 = 0;
let shift = 0;
let byteLength = 0;

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
 * The state is worked on in locals and stored once at the end: a store of an int32 past 2^30 to
 * module state allocates a heap number, and a store per byte made non-ASCII ids several times
 * slower to hash than ASCII ones.
 */
function pushRange(s: string, start: number, end: number): void {
  let h = h1;
  let k = k1;
  let sh = shift;
  let length = byteLength;
  let i = start;
  while (i < end) {
    let unit = s.charCodeAt(i);
    // Fast path: four ASCII characters on a block boundary are one block.
    if (sh === 0 && i + 3 < end) {
      const c1 = s.charCodeAt(i + 1);
      const c2 = s.charCodeAt(i + 2);
      const c3 = s.charCodeAt(i + 3);
      if ((unit | c1 | c2 | c3) < 0x80) {
        h = mix(h, unit | (c1 << 8) | (c2 << 16) | (c3 << 24));
        length += 4;
        i += 4;
        continue;
      }
    }
    i++;
    // The character's UTF-8 bytes, first byte lowest, and how many there are.
    let bytes = unit;
    let count = 1;
    if (unit >= 0x80) {
      if (unit >= 0xd800 && unit <= 0xdfff) {
        if (isHighSurrogate(unit) && i < end && isLowSurrogate(s.charCodeAt(i))) {
          unit = 0x10000 + ((unit - 0xd800) << 10) + (s.charCodeAt(i) - 0xdc00);
          i++;
        } else {
          unit = 0xfffd;
        }
      }
      if (unit < 0x800) {
        bytes = 0xc0 | (unit >> 6) | ((0x80 | (unit & 0x3f)) << 8);
        count = 2;
      } else if (unit < 0x10000) {
        bytes = 0xe0 | (unit >> 12) | ((0x80 | ((unit >> 6) & 0x3f)) << 8) | ((0x80 | (unit & 0x3f)) << 16);
        count = 3;
      } else {
        bytes =
          0xf0 |
          (unit >> 18) |
          ((0x80 | ((unit >> 12) & 0x3f)) << 8) |
          ((0x80 | ((unit >> 6) & 0x3f)) << 16) |
          ((0x80 | (unit & 0x3f)) << 24);
        count = 4;
      }
    }
    length += count;
    for (; count > 0; count--) {
      k |= (bytes & 0xff) << sh;
      bytes >>= 8;
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

/** Feeds one code point (a surrogate pair split across the two parts of a concatenation). */
function pushCodePoint(codePoint: number): void {
  pushRange(String.fromCodePoint(codePoint), 0, 2);
}

function finish(buckets = 0): number {
  return finalize(h1, k1, shift, byteLength, buckets);
}

/**
 * The end of MurmurHash3 on state passed in (not the module's): the pending tail bytes are mixed
 * like a block minus the rotate-multiply-add of h, then the length, then the avalanche. Working
 * on locals matters: every store of a large int32 to module state allocates a heap number.
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
  return finish();
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

/**
 * An id prepared at datafile load to be hashed after any prefix: its UTF-8 bytes laid out as the
 * blocks they complete for each number of bytes (0–3) the prefix leaves pending. Hashing with it
 * mixes those blocks straight in, instead of reading and encoding the id again on every decision.
 */
export interface HashSuffix {
  /** The id itself. */
  readonly text: string;
  /** @internal Its UTF-8 length in bytes. */
  readonly byteLength: number;
  /**
   * @internal Four plans of `stride` int32s, one per pending byte count: the number of blocks
   * completed, the bytes left pending after them, the bits they fill, then the blocks (the first
   * without the prefix's pending bytes, which are ORed in when hashing).
   */
  readonly plans: Int32Array;
  /** @internal The length of one plan. */
  readonly stride: number;
  /** @internal Whether the id starts with a low surrogate, which a prefix's high one would join. */
  readonly startsWithLowSurrogate: boolean;
}

/**
 * Prepares `id` for {@link murmurhash3SuffixBucket}.
 *
 * @param id - An experiment, rule, holdout or group id.
 */
export function prepareHashSuffix(id: string): HashSuffix {
  const bytes = utf8(id);
  const stride = 3 + ((bytes.length + 3) >> 2) + 1;
  const plans = new Int32Array(4 * stride);
  for (let pending = 0; pending < 4; pending++) {
    const at = pending * stride;
    let k = 0;
    let sh = pending * 8;
    let blocks = 0;
    for (let i = 0; i < bytes.length; i++) {
      k |= bytes[i]! << sh;
      sh += 8;
      if (sh === 32) {
        plans[at + 3 + blocks++] = k;
        k = 0;
        sh = 0;
      }
    }
    plans[at] = blocks;
    plans[at + 1] = k;
    plans[at + 2] = sh;
  }
  return {
    text: id,
    byteLength: bytes.length,
    plans,
    stride,
    startsWithLowSurrogate: id.length > 0 && isLowSurrogate(id.charCodeAt(0)),
  };
}

/** The UTF-8 bytes of `s`, encoded as {@link pushRange} does (once per id, so written for clarity). */
function utf8(s: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = s.charCodeAt(i + 1); // NaN past the end
      if (isHighSurrogate(unit) && isLowSurrogate(next)) {
        unit = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        unit = 0xfffd;
      }
    }
    if (unit < 0x80) bytes.push(unit);
    else if (unit < 0x800) bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    else if (unit < 0x10000)
      bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
    else
      bytes.push(
        0xf0 | (unit >> 18),
        0x80 | ((unit >> 12) & 0x3f),
        0x80 | ((unit >> 6) & 0x3f),
        0x80 | (unit & 0x3f),
      );
  }
  return bytes;
}

/**
 * `murmurhash3ConcatBucket(a, suffix.text, buckets)` (seed 1), with the suffix's bytes prepared.
 *
 * @param a - The first part of the key: the bucketing id.
 * @param suffix - The second part, from {@link prepareHashSuffix}.
 * @param buckets - A positive integer of at most 2^30.
 */
export function murmurhash3SuffixBucket(a: string, suffix: HashSuffix, buckets: number): number {
  if (a !== prefixKey || prefixSeed !== DEFAULT_SEED) setPrefix(a, DEFAULT_SEED);
  if (prefixEndsInHighSurrogate && suffix.startsWithLowSurrogate) {
    return hashConcat(a, suffix.text, DEFAULT_SEED, buckets);
  }
  const plans = suffix.plans;
  const at = (prefixShift >> 3) * suffix.stride;
  const blocks = plans[at]!;
  let h = prefixH1;
  let k = prefixK1;
  if (blocks > 0) {
    h = mix(h, k | plans[at + 3]!);
    for (let i = 1; i < blocks; i++) h = mix(h, plans[at + 3 + i]!);
    k = 0;
  }
  return finalize(h, k | plans[at + 1]!, plans[at + 2]!, prefixLength + suffix.byteLength, buckets);
}

/** Hashes `a` into the one-entry prefix cache. */
function setPrefix(a: string, seed: number): void {
  hashPrefix(a, seed);
  prefixKey = a;
  prefixSeed = seed;
  prefixH1 = h1;
  prefixK1 = k1;
  prefixShift = shift;
  prefixLength = byteLength;
  prefixEndsInHighSurrogate = a.length > 0 && isHighSurrogate(a.charCodeAt(a.length - 1));
}

/** {@link murmurhash3Concat}, or its bucket when `buckets` is not 0. */
function hashConcat(a: string, b: string, seed: number, buckets: number): number {
  // One decision hashes the same bucketing id with many entity ids: resume after the prefix.
  if (a !== prefixKey || seed !== prefixSeed) setPrefix(a, seed);
  if (prefixEndsInHighSurrogate && b.length > 0 && isLowSurrogate(b.charCodeAt(0))) {
    // The pair straddles the boundary: emit it once, between the two ranges.
    const high = a.charCodeAt(a.length - 1);
    const low = b.charCodeAt(0);
    reset(seed);
    pushRange(a, 0, a.length - 1);
    pushCodePoint(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00));
    pushRange(b, 1, b.length);
    return finish(buckets);
  }
  // Entity ids are short ASCII digit strings: hash them with local state (bytes up to a block
  // boundary, then whole blocks of four, then the tail), falling back to the general encoder at
  // the first non-ASCII character.
  let h = prefixH1;
  let k = prefixK1;
  let sh = prefixShift;
  const bLength = b.length;
  let i = 0;
  while (sh !== 0 && i < bLength) {
    const c = b.charCodeAt(i);
    if (c >= 0x80) break;
    k |= c << sh;
    i++;
    sh += 8;
    if (sh === 32) {
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, C2);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      k = 0;
      sh = 0;
    }
  }
  if (sh === 0) {
    for (; i + 3 < bLength; i += 4) {
      const c0 = b.charCodeAt(i);
      const c1 = b.charCodeAt(i + 1);
      const c2 = b.charCodeAt(i + 2);
      const c3 = b.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) >= 0x80) break;
      k = Math.imul(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), C1);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, C2);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    k = 0;
    // The tail: fewer than four characters, so no block completes.
    for (; i < bLength; i++) {
      const c = b.charCodeAt(i);
      if (c >= 0x80) break;
      k |= c << sh;
      sh += 8;
    }
  }
  if (i === bLength) return finalize(h, k, sh, prefixLength + i, buckets);
  h1 = h;
  k1 = k;
  shift = sh;
  byteLength = prefixLength + i;
  pushRange(b, i, bLength);
  return finish(buckets);
}

/**
 * Resets the state to `seed` and feeds `a`: ASCII characters with local state (the usual id), the
 * rest through the general encoder.
 */
function hashPrefix(a: string, seed: number): void {
  let h = seed | 0;
  const length = a.length;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const c0 = a.charCodeAt(i);
    const c1 = a.charCodeAt(i + 1);
    const c2 = a.charCodeAt(i + 2);
    const c3 = a.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80) break;
    let k = Math.imul(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The ASCII tail: at most three characters (a block that stopped the loop has a non-ASCII one),
  // so no block completes here.
  let k = 0;
  let sh = 0;
  for (; i < length; i++) {
    const c = a.charCodeAt(i);
    if (c >= 0x80) break;
    k |= c << sh;
    sh += 8;
  }
  h1 = h;
  k1 = k;
  shift = sh;
  byteLength = i;
  if (i < length) pushRange(a, i, length);
}

// The state after hashing the last prefix `a` of `murmurhash3Concat` (a one-entry cache).
let prefixKey: string | null = null;
let prefixSeed = 0;
let prefixH1 = 0;
let prefixK1 = 0;
let prefixShift = 0;
// Whether the prefix's last unit is a high surrogate, which a low one starting `b` would join.
let prefixEndsInHighSurrogate = false;
let prefixLength = 0;
