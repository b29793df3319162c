import { describe, expect, it } from 'vitest';
import { InMemoryCmabCache } from './in-memory-cmab-cache';

const entry = (variationId: string) => ({
  attributesHash: 'h',
  variationId,
  cmabUuid: `uuid-${variationId}`,
});

describe('InMemoryCmabCache', () => {
  it('drops the least recently used entry past its size', () => {
    const cache = new InMemoryCmabCache(2, 1000);
    cache.save('a', entry('1'));
    cache.save('b', entry('2'));
    expect(cache.lookup('a')?.variationId).toBe('1'); // a is now the most recent
    cache.save('c', entry('3'));
    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.lookup('a')?.variationId).toBe('1');
    expect(cache.lookup('c')?.variationId).toBe('3');
    expect(cache.size).toBe(2);
  });

  it('misses an entry older than its TTL, and forgets it', () => {
    let now = 0;
    const cache = new InMemoryCmabCache(10, 100, () => now);
    cache.save('a', entry('1'));
    now = 99;
    expect(cache.lookup('a')?.variationId).toBe('1');
    now = 100;
    expect(cache.lookup('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('replaces an entry saved again, and removes and resets', () => {
    const cache = new InMemoryCmabCache();
    cache.save('a', entry('1'));
    cache.save('a', entry('2'));
    expect(cache.size).toBe(1);
    expect(cache.lookup('a')?.variationId).toBe('2');
    cache.save('b', entry('3'));
    cache.remove('a');
    expect(cache.lookup('a')).toBeUndefined();
    cache.reset();
    expect(cache.size).toBe(0);
  });

  it('falls back to the defaults for sizes and TTLs that make no sense', () => {
    const cache = new InMemoryCmabCache(Number.NaN, -5);
    for (let i = 0; i < 50; i++) cache.save(String(i), entry(String(i)));
    expect(cache.size).toBe(50);
    expect(cache.lookup('0')?.variationId).toBe('0');
  });
});
