import { describe, expect, it } from 'vitest';
import { createLruSegmentsCache } from './lru-segments-cache';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createLruSegmentsCache', () => {
  // Runs first in this file, so lru-cache is not loaded yet (each test file gets fresh modules).
  it('before lru-cache has loaded, waits for it and keeps calls in order', async () => {
    const cache = createLruSegmentsCache({ size: 2 });
    const save = cache.save('a', ['1']);
    const hit = cache.lookup('a');
    expect(hit).toBeInstanceOf(Promise);
    const reset = cache.reset();
    const miss = cache.lookup('a');
    await Promise.all([save, reset]);
    expect(await hit).toEqual(['1']);
    expect(await miss).toBeUndefined();
    // Loaded now: synchronous from here on.
    cache.save('b', ['2']);
    expect(cache.lookup('b')).toEqual(['2']);
  });

  it('evicts the least recently used entry beyond its size', () => {
    const cache = createLruSegmentsCache({ size: 2 });
    cache.save('a', ['1']);
    cache.save('b', ['2']);
    expect(cache.lookup('a')).toEqual(['1']); // a is now the most recent
    cache.save('c', ['3']);
    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.lookup('a')).toEqual(['1']);
    expect(cache.lookup('c')).toEqual(['3']);
  });

  it('expires entries after the timeout, without reads extending them', async () => {
    // Generous margins, and checks that hold however late a timer fires on a loaded machine.
    const cache = createLruSegmentsCache({ timeoutMs: 300 });
    const saved = performance.now();
    cache.save('a', ['1']);
    await sleep(150);
    const read = cache.lookup('a');
    if (performance.now() - saved < 280) expect(read).toEqual(['1']);
    await sleep(200);
    // 350 ms after the save: expired, even though it was read at 150 ms.
    expect(cache.lookup('a')).toBeUndefined();
  });

  it('reset forgets everything', () => {
    const cache = createLruSegmentsCache();
    cache.save('a', ['1']);
    cache.reset();
    expect(cache.lookup('a')).toBeUndefined();
  });

  it.each([{ size: 0 }, { timeoutMs: 0 }])('keeps nothing with %o', (options) => {
    const cache = createLruSegmentsCache(options);
    cache.save('a', ['1']);
    expect(cache.lookup('a')).toBeUndefined();
  });

  it('uses the defaults for unusable options', () => {
    const cache = createLruSegmentsCache({ size: -1, timeoutMs: Number.NaN });
    cache.save('a', ['1']);
    expect(cache.lookup('a')).toEqual(['1']);
  });
});
