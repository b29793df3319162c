import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketValue, MAX_TRAFFIC_VALUE } from './bucket-value';
import { murmurhash3 } from './murmurhash3';

describe('bucketValue', () => {
  it.each([
    ['ppid1', '1886780721', 5254],
    ['ppid2', '1886780721', 4299],
    ['ppid2', '1886780722', 2434],
    ['ppid3', '1886780721', 5439],
  ])('buckets %s + %s into the reference bucket %d', (bucketingId, entityId, bucket) => {
    expect(bucketValue(bucketingId, entityId)).toBe(bucket);
  });

  it('uses a 10000-wide traffic space', () => {
    expect(MAX_TRAFFIC_VALUE).toBe(10000);
  });

  it('is always an integer in [0, 10000)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        (bucketingId, entityId) => {
          const value = bucketValue(bucketingId, entityId);
          return Number.isInteger(value) && value >= 0 && value < MAX_TRAFFIC_VALUE;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("matches Optimizely's float formula floor(hash / 2^32 * 10000)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), fc.string({ unit: 'grapheme-ascii' }), (a, b) => {
        expect(bucketValue(a, b)).toBe(Math.floor((murmurhash3(a + b) / 2 ** 32) * 10000));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the float formula on the edges of the hash space', () => {
    // The integer and float formulas are checked directly on hash values around bucket edges.
    for (let bucket = 0; bucket < 10000; bucket += 7) {
      const edge = Math.ceil((bucket * 2 ** 32) / 10000);
      for (const hash of [edge - 1, edge, edge + 1]) {
        if (hash < 0 || hash >= 2 ** 32) continue;
        expect(Math.floor((hash * 10000) / 2 ** 32)).toBe(Math.floor((hash / 2 ** 32) * 10000));
      }
    }
  });
});
