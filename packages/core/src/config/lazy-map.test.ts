import { describe, expect, it } from 'vitest';
import { LazyMap } from './lazy-map';

function counted() {
  const calls = { index: 0, build: [] as string[] };
  const map = new LazyMap<string, { of: string }>(
    () => {
      calls.index++;
      return new Map([
        ['b', 'raw-b'],
        ['a', 'raw-a'],
      ]);
    },
    (raw) => {
      calls.build.push(raw);
      return { of: raw };
    },
  );
  return { map, calls };
}

describe('LazyMap', () => {
  it('builds nothing until used, and the raw index once', () => {
    const { map, calls } = counted();
    expect(calls).toEqual({ index: 0, build: [] });
    expect(map.has('a')).toBe(true);
    expect(map.has('c')).toBe(false);
    expect(map.size).toBe(2);
    expect(calls).toEqual({ index: 1, build: [] });
  });

  it('builds a value on its first get only and keeps it', () => {
    const { map, calls } = counted();
    const a = map.get('a');
    expect(a).toEqual({ of: 'raw-a' });
    expect(map.get('a')).toBe(a);
    expect(map.get('missing')).toBeUndefined();
    expect(calls.build).toEqual(['raw-a']);
  });

  it('iterates every entry in raw order, built once each', () => {
    const { map, calls } = counted();
    const a = map.get('a');
    expect([...map.keys()]).toEqual(['b', 'a']);
    expect([...map]).toEqual([
      ['b', { of: 'raw-b' }],
      ['a', { of: 'raw-a' }],
    ]);
    expect([...map.values()][1]).toBe(a);
    const seen: string[] = [];
    map.forEach((value, key, self) => {
      expect(self).toBe(map);
      seen.push(`${key}=${value.of}`);
    });
    expect(seen).toEqual(['b=raw-b', 'a=raw-a']);
    expect(calls.build).toEqual(['raw-a', 'raw-b']);
  });

  it('with a self-caching build, asks build on every get, with the key, and keeps nothing itself', () => {
    const cache = new Map<string, { of: string; key: string }>();
    const calls: string[] = [];
    const map = new LazyMap<string, { of: string; key: string }>(
      () => new Map([['a', 'raw-a']]),
      (raw, key) => {
        calls.push(key);
        const known = cache.get(raw);
        if (known) return known;
        const value = { of: raw, key };
        cache.set(raw, value);
        return value;
      },
      true,
    );
    const first = map.get('a');
    expect(first).toEqual({ of: 'raw-a', key: 'a' });
    expect(map.get('a')).toBe(first);
    expect(map.get('b')).toBeUndefined();
    expect(calls).toEqual(['a', 'a']);
    expect([...map]).toEqual([['a', first]]);
  });
});
