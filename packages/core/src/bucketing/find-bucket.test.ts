import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatafileTrafficAllocation } from '../datafile/datafile';
import { constantBucketIndex, findBucket, findBucketIndex, type TrafficRange } from './find-bucket';

const ranges: readonly TrafficRange[] = [
  { entityId: 'a', endOfRange: 2500 },
  { entityId: '', endOfRange: 5000 },
  { entityId: 'b', endOfRange: 10000 },
];

describe('findBucket', () => {
  it.each([
    [0, 'a'],
    [2499, 'a'],
    [2500, ''],
    [4999, ''],
    [5000, 'b'],
    [9999, 'b'],
  ])('maps bucket value %d to entity %j', (value, entityId) => {
    expect(findBucket(ranges, value)).toBe(entityId);
  });

  it('returns null past the last range', () => {
    expect(findBucket([{ entityId: 'a', endOfRange: 100 }], 100)).toBeNull();
    expect(findBucket([{ entityId: 'a', endOfRange: 100 }], 5000)).toBeNull();
  });

  it('returns null for an empty allocation', () => {
    expect(findBucket([], 0)).toBeNull();
  });

  it('takes the first matching range even when ranges are out of order', () => {
    const unsorted = [
      { entityId: 'late', endOfRange: 9000 },
      { entityId: 'early', endOfRange: 1000 },
    ];
    expect(findBucket(unsorted, 500)).toBe('late');
  });

  it('accepts a datafile traffic allocation as is', () => {
    const allocation: readonly DatafileTrafficAllocation[] = [{ entityId: 'v1', endOfRange: 10000 }];
    expect(findBucket(allocation, 42)).toBe('v1');
  });

  it('returns the first entry whose end is above the value, or null if none', () => {
    const range = fc.record({ entityId: fc.string(), endOfRange: fc.integer({ min: 0, max: 10000 }) });
    fc.assert(
      fc.property(fc.array(range, { maxLength: 8 }), fc.integer({ min: 0, max: 9999 }), (list, value) => {
        const result = findBucket(list, value);
        const index = list.findIndex((r) => r.endOfRange > value);
        if (index === -1) {
          expect(result).toBeNull();
        } else {
          expect(result).toBe(list[index]!.entityId);
          for (const earlier of list.slice(0, index)) expect(earlier.endOfRange).toBeLessThanOrEqual(value);
        }
      }),
    );
  });
});

describe('constantBucketIndex', () => {
  it('knows the allocations whose answer needs no bucket value', () => {
    expect(constantBucketIndex([])).toBe(-1);
    expect(constantBucketIndex([{ entityId: 'a', endOfRange: 10000 }])).toBe(0);
    expect(
      constantBucketIndex([
        { entityId: 'a', endOfRange: 10000 },
        { entityId: 'b', endOfRange: 5000 },
      ]),
    ).toBe(0);
    expect(constantBucketIndex([{ entityId: 'a', endOfRange: 0 }])).toBe(-1);
    expect(constantBucketIndex(ranges)).toBeUndefined();
    expect(constantBucketIndex([{ entityId: 'a', endOfRange: 9999 }])).toBeUndefined();
  });

  it('agrees with findBucketIndex for every bucket value whenever it answers', () => {
    const end = fc.oneof(
      fc.integer({ min: -2, max: 10002 }),
      fc.constantFrom(0, 1, 9999, 10000, Number.NaN, Number.POSITIVE_INFINITY, '10000', '9999', null),
    );
    const allocation = fc.array(fc.record({ entityId: fc.constantFrom('a', 'b', ''), endOfRange: end }), {
      maxLength: 4,
    });
    fc.assert(
      fc.property(allocation, fc.integer({ min: 0, max: 9999 }), (raw, value) => {
        const list = raw as unknown as TrafficRange[];
        const constant = constantBucketIndex(list);
        if (constant === undefined) return;
        expect(findBucketIndex(list, value)).toBe(constant);
        expect(findBucketIndex(list, 0)).toBe(constant);
        expect(findBucketIndex(list, 9999)).toBe(constant);
      }),
      { numRuns: 2000 },
    );
  });
});
