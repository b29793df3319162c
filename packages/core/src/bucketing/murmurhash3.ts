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

function mixBlock(block: number): void {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h1 ^= k;
  h1 = (h1 << 13) | (h1 >>> 19);
  h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

function pushByte(byte: number): void {
  k1 |= byte << shift;
  byteLength++;
  shift += 8;
  if (shift === 32) {
    mixBlock(k1);
    k1 = 0;
    shift = 0;
  }
}

function pushCodePoint(cp: number): void {
  if (cp < 0x80) {
    pushByte(cp);
  } else if (cp < 0x800) {
    pushByte(0xc0 | (cp >>> 6));
    pushByte(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    pushByte(0xe0 | (cp >>> 12));
    pushByte(0x80 | ((cp >>> 6) & 0x3f));
    pushByte(0x80 | (cp & 0x3f));
  } else {
    pushByte(0xf0 | (cp >>> 18));
    pushByte(0x80 | ((cp >>> 12) & 0x3f));
    pushByte(0x80 | ((cp >>> 6) & 0x3f));
    pushByte(0x80 | (cp & 0x3f));
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Feeds the UTF-8 encoding of `s[start, end)`; a pair is only joined if both halves are in range. */
function pushRange(s: string, start: number, end: number): void {
  let i = start;
  while (i < end) {
    // Fast path: four ASCII characters on a block boundary are one block, mixed directly.
    if (shift === 0 && i + 3 < end) {
      const c0 = s.charCodeAt(i);
      const c1 = s.charCodeAt(i + 1);
      const c2 = s.charCodeAt(i + 2);
      const c3 = s.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) < 0x80) {
        mixBlock(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
        byteLength += 4;
        i += 4;
        continue;
      }
    }
    const unit = s.charCodeAt(i);
    if (unit < 0x80) {
      pushByte(unit);
    } else if (unit < 0xd800 || unit > 0xdfff) {
      pushCodePoint(unit);
    } else if (isHighSurrogate(unit) && i + 1 < end && isLowSurrogate(s.charCodeAt(i + 1))) {
      pushCodePoint(0x10000 + ((unit - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00));
      i++;
    } else {
      pushCodePoint(0xfffd);
    }
    i++;
  }
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

/** {@link murmurhash3Concat}, or its bucket when `buckets` is not 0. */
function hashConcat(a: string, b: string, seed: number, buckets: number): number {
  // One decision hashes the same bucketing id with many entity ids: resume after the prefix.
  if (a !== prefixKey || seed !== prefixSeed) {
    hashPrefix(a, seed);
    prefixKey = a;
    prefixSeed = seed;
    prefixH1 = h1;
    prefixK1 = k1;
    prefixShift = shift;
    prefixLength = byteLength;
    prefixEndsInHighSurrogate = a.length > 0 && isHighSurrogate(a.charCodeAt(a.length - 1));
  }
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
