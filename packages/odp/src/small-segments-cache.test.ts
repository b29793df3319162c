import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSmallSegmentsCache } from './small-segments-cache';

describe('given the small segments cache', () => {
  it('returns what was saved until it expires', () => {
    let time = 1_000;
    const cache = createSmallSegmentsCache({ timeoutMs: 100, now: () => time });
    cache.save('fs_user_id-$-a', ['vip']);
    expect(cache.lookup('fs_user_id-$-a')).toEqual(['vip']);
    time += 99;
    expect(cache.lookup('fs_user_id-$-a')).toEqual(['vip']);
    time += 1;
    expect(cache.lookup('fs_user_id-$-a')).toBeUndefined();
  });

  it('evicts the least recently used user beyond its size', () => {
    const cache = createSmallSegmentsCache({ size: 2 });
    cache.save('a', ['1']);
    cache.save('b', ['2']);
    cache.lookup('a'); // a is now the most recent
    cache.save('c', ['3']);
    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.lookup('a')).toEqual(['1']);
    expect(cache.lookup('c')).toEqual(['3']);
  });

  it('keeps nothing with size 0 or timeout 0, and forgets everything on reset', () => {
    for (const cache of [createSmallSegmentsCache({ size: 0 }), createSmallSegmentsCache({ timeoutMs: 0 })]) {
      cache.save('a', ['1']);
      expect(cache.lookup('a')).toBeUndefined();
    }
    const cache = createSmallSegmentsCache();
    cache.save('a', ['1']);
    cache.reset();
    expect(cache.lookup('a')).toBeUndefined();
  });

  it('behaves like a reference LRU model for any sequence of saves and lookups', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 7 })), { maxLength: 60 }),
        (size, operations) => {
          const cache = createSmallSegmentsCache({ size });
          const model: string[] = []; // keys, least recent first
          for (const [isSave, n] of operations) {
            const key = `k${n}`;
            if (isSave) {
              cache.save(key, [key]);
              model.splice(model.indexOf(key) >>> 0, model.includes(key) ? 1 : 0);
              model.push(key);
              if (model.length > size) model.shift();
            } else {
              const hit = model.includes(key);
              expect(cache.lookup(key)).toEqual(hit ? [key] : undefined);
              if (hit) {
                model.splice(model.indexOf(key), 1);
                model.push(key);
              }
            }
          }
        },
      ),
    );
  });
});
