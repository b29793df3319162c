import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayMap } from './array-map';

type Entry = readonly [string, number];
const keyOf = (entry: Entry) => entry[0];
const valueOfEntry = (entry: Entry) => entry[1];

describe('ArrayMap', () => {
  it('answers like a Map filled in array order, repeated keys included', () => {
    const key = fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer())), key, (entries, probe) => {
        const expected = new Map<string, number>();
        for (const [k, v] of entries) expected.set(k, v);
        const map = new ArrayMap<Entry, number>(entries, keyOf, valueOfEntry);
        expect(map.get(probe)).toBe(expected.get(probe));
        expect(map.has(probe)).toBe(expected.has(probe));
        expect(map.size).toBe(expected.size);
        expect([...map]).toEqual([...expected]);
        expect([...map.keys()]).toEqual([...expected.keys()]);
        expect([...map.values()]).toEqual([...expected.values()]);
        const seen: [string, number][] = [];
        map.forEach((v, k, self) => {
          expect(self).toBe(map);
          seen.push([k, v]);
        });
        expect(seen).toEqual([...expected.entries()]);
      }),
    );
  });

  it('finds nothing in an empty list', () => {
    const map = new ArrayMap<Entry, number>([], keyOf, valueOfEntry);
    expect(map.get('a')).toBeUndefined();
    expect(map.has('a')).toBe(false);
    expect(map.size).toBe(0);
  });
});
