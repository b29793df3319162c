import fc from 'fast-check';
import murmurhash from 'murmurhash';
import { describe, expect, it } from 'vitest';
import {
  murmurhash3,
  murmurhash3Concat,
  murmurhash3ConcatBucket,
  murmurhash3SuffixBucket,
  prepareHashSuffix,
} from './murmurhash3';

/** A straightforward MurmurHash3 x86_32 over TextEncoder bytes, independent of the code under test. */
function referenceMurmur3(key: string, seed = 1): number {
  const bytes = new TextEncoder().encode(key);
  const mul = (x: number, y: number): number => Number((BigInt(x >>> 0) * BigInt(y >>> 0)) & 0xffffffffn);
  const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
  let h = seed >>> 0;
  const blocks = bytes.length - (bytes.length % 4);
  for (let i = 0; i < blocks; i += 4) {
    let k = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    k = mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593);
    h = rotl((h ^ k) >>> 0, 13);
    h = (mul(h, 5) + 0xe6546b64) % 4294967296;
  }
  let k = 0;
  for (let j = bytes.length - 1; j >= blocks; j--) k = ((k << 8) | bytes[j]!) >>> 0;
  if (bytes.length > blocks) h = (h ^ mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593)) >>> 0;
  h = (h ^ bytes.length) >>> 0;
  h = mul(h ^ (h >>> 16), 0x85ebca6b);
  h = mul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// Strings that stress UTF-8: lone and paired surrogates, 2-, 3- and 4-byte code points.
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom(
      'a',
      '\u00e9',
      '\u20ac',
      '\u{1f600}',
      '\ud83d',
      '\ude00',
      '\udbff',
      '\udc00',
      '\uffff',
      '\u0000',
    ),
    maxLength: 12,
  }),
);

describe('murmurhash3', () => {
  it.each([
    ['ppid11886780721', 2256854705],
    ['ppid21886780721', 1846603100],
    ['ppid21886780722', 1045634806],
    ['ppid31886780721', 2336050061],
  ])('hashes %s to the reference value %d', (key, hash) => {
    expect(murmurhash3(key)).toBe(hash);
    expect(murmurhash3(key, 1)).toBe(hash);
    expect(murmurhash.v3(key, 1)).toBe(hash);
  });

  it('hashes a string the same whatever its internal representation', () => {
    // Flat, concatenated, sliced, parsed and two-byte strings are different objects to V8; the
    // hash reads each through String.prototype and must not care.
    const flat = 'user-1234567890-abcdef';
    const parts = ['user-', '1234567890', '-abcdef'];
    const variants = [
      flat,
      parts.join(''),
      parts[0]! + parts[1]! + parts[2]!,
      `xx${flat}yy`.slice(2, -2),
      JSON.parse(JSON.stringify(flat)) as string,
      Object.keys({ [flat]: 0 })[0]!,
    ];
    for (const variant of variants) expect(murmurhash3(variant)).toBe(murmurhash3(flat));
    const wide = 'ü-user-1234567890';
    expect(murmurhash3(`ü-${'user-'}${'1234567890'}`)).toBe(murmurhash3(wide));
    expect(murmurhash3(`..${wide}`.slice(2))).toBe(murmurhash.v3(wide, 1));
  });

  it('hashes the empty string like the reference for several seeds', () => {
    for (const seed of [0, 1, 42, 0xffffffff, -1]) {
      expect(murmurhash3('', seed)).toBe(murmurhash.v3('', seed));
    }
  });

  it('encodes a lone surrogate as U+FFFD, as TextEncoder does', () => {
    expect(murmurhash3('a\ud800b')).toBe(murmurhash3('a\ufffdb'));
    expect(murmurhash3('\udc00')).toBe(murmurhash3('\ufffd'));
    expect(murmurhash3('x\ud83d')).toBe(murmurhash3('x\ufffd'));
  });

  it('agrees with a TextEncoder-based reference and with murmurhash@2.0.1 on any string', () => {
    fc.assert(
      fc.property(nastyString, fc.integer({ min: 0, max: 0xffffffff }), (key, seed) => {
        const expected = referenceMurmur3(key, seed);
        expect(murmurhash3(key, seed)).toBe(expected);
        expect(murmurhash.v3(key, seed)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('murmurhash3Concat', () => {
  it('hashes the reference vectors split as bucketing id + entity id', () => {
    expect(murmurhash3Concat('ppid1', '1886780721')).toBe(2256854705);
    expect(murmurhash3Concat('ppid2', '1886780722')).toBe(1045634806);
  });

  it('joins a surrogate pair split across the two parts', () => {
    expect(murmurhash3Concat('a\ud83d', '\ude00b')).toBe(murmurhash3('a\u{1f600}b'));
    expect(murmurhash3Concat('\ud83d', '\ude00')).toBe(murmurhash3('\u{1f600}'));
    expect(murmurhash3Concat('\ud83d', '\ude00')).not.toBe(murmurhash3('\ufffd\ufffd'));
  });

  it('joins or not a prefix ending in a high surrogate, whatever the previous suffix was', () => {
    const prefix = 'user\ud83d';
    for (const suffix of ['123', '\ude00', '\ude0012', '', '7', '\ude00']) {
      expect(murmurhash3Concat(prefix, suffix)).toBe(referenceMurmur3(prefix + suffix, 1));
    }
  });

  it('keeps lone surrogates at the boundary as U+FFFD', () => {
    expect(murmurhash3Concat('a\ude00', '\ud83db')).toBe(murmurhash3('a\ufffd\ufffdb'));
    expect(murmurhash3Concat('\ud83d', 'x')).toBe(murmurhash3('\ufffdx'));
    expect(murmurhash3Concat('', '\ude00')).toBe(murmurhash3('\ufffd'));
  });

  it('equals murmurhash3 of the concatenation and the TextEncoder reference for any two strings', () => {
    fc.assert(
      fc.property(nastyString, nastyString, fc.integer({ min: 0, max: 0xffffffff }), (a, b, seed) => {
        const expected = referenceMurmur3(a + b, seed);
        expect(murmurhash3Concat(a, b, seed)).toBe(expected);
        expect(murmurhash3(a + b, seed)).toBe(expected);
        expect(murmurhash.v3(a + b, seed)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on ASCII ids at every block alignment, with a non-ASCII character anywhere in either part', () => {
    const ascii = fc.string({ unit: fc.constantFrom('0', '7', '9', 'a', '_', '-'), maxLength: 13 });
    const other = fc.constantFrom('', 'é', '\u20ac', '\u{1f600}', '\ud83d', '\u0080');
    fc.assert(
      fc.property(ascii, ascii, other, fc.nat(14), fc.boolean(), (ascii1, ascii2, odd, at, inPrefix) => {
        // The odd character goes into the bucketing id or into the entity id.
        const a = inPrefix ? ascii1.slice(0, at) + odd + ascii1.slice(at) : ascii1;
        const b = inPrefix ? ascii2 : ascii2.slice(0, at) + odd + ascii2.slice(at);
        expect(murmurhash3Concat(a, b)).toBe(referenceMurmur3(a + b, 1));
        expect(murmurhash3(a + b)).toBe(referenceMurmur3(a + b, 1));
      }),
      { numRuns: 3000 },
    );
  });

  it('stays correct when one prefix is reused with many suffixes, seeds and interleaved hashes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(1, 7)), {
          maxLength: 6,
        }),
        (prefix, suffixes) => {
          for (const [suffix, seed] of suffixes) {
            murmurhash3(`${suffix}x`, seed); // disturbs the shared hash state between calls
            if (murmurhash3Concat(prefix, suffix, seed) !== murmurhash3(prefix + suffix, seed)) return false;
          }
          return true;
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('murmurhash3ConcatBucket', () => {
  it('is the hash scaled onto [0, buckets), for any strings, seeds and bucket counts', () => {
    fc.assert(
      fc.property(
        nastyString,
        nastyString,
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.oneof(fc.constantFrom(1, 2, 10000, 2 ** 30), fc.integer({ min: 1, max: 2 ** 30 })),
        (a, b, seed, buckets) => {
          const expected = Math.floor((referenceMurmur3(a + b, seed) * buckets) / 2 ** 32);
          expect(murmurhash3ConcatBucket(a, b, buckets, seed)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('murmurhash3SuffixBucket', () => {
  const asciiId = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) });

  it('hashes the reference vectors with the entity id prepared', () => {
    const scale = (hash: number) => Math.floor((hash * 10000) / 2 ** 32);
    expect(murmurhash3SuffixBucket('ppid1', prepareHashSuffix('1886780721')!, 10000)).toBe(scale(2256854705));
    expect(murmurhash3SuffixBucket('ppid2', prepareHashSuffix('1886780722')!, 10000)).toBe(scale(1045634806));
  });

  it('prepares ASCII ids only', () => {
    expect(prepareHashSuffix('')).toBeDefined();
    expect(prepareHashSuffix('10237870615')).toBeDefined();
    expect(prepareHashSuffix('\x7f')).toBeDefined();
    for (const id of ['é1', '\u{1f600}', '\ude001', '1\u0080']) expect(prepareHashSuffix(id)).toBeUndefined();
  });

  it('equals the concatenated hash for any bucketing id, ASCII id, alignment and bucket count', () => {
    fc.assert(
      fc.property(
        nastyString,
        asciiId,
        fc.oneof(fc.constantFrom(1, 10000, 2 ** 30), fc.integer({ min: 1, max: 2 ** 30 })),
        (a, b, buckets) => {
          const expected = Math.floor((referenceMurmur3(a + b, 1) * buckets) / 2 ** 32);
          expect(murmurhash3SuffixBucket(a, prepareHashSuffix(b)!, buckets)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stays correct when one prepared id follows many prefixes, interleaved with other hashes', () => {
    const ids = ['1', '10237870615', '', '123', '1234', '12345'];
    const prepared = ids.map((id) => prepareHashSuffix(id)!);
    fc.assert(
      fc.property(fc.array(nastyString, { maxLength: 6 }), (prefixes) => {
        for (const prefix of prefixes) {
          for (let i = 0; i < ids.length; i++) {
            murmurhash3Concat(`${prefix}x`, ids[i]!, 7); // leaves the prefix cache on another seed
            const expected = murmurhash3ConcatBucket(prefix, ids[i]!, 10000);
            if (murmurhash3SuffixBucket(prefix, prepared[i]!, 10000) !== expected) return false;
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
