import { describe, expect, it } from 'vitest';
import { Random } from './random';

const draws = (seed: number, n: number): number[] => {
  const r = new Random(seed);
  return Array.from({ length: n }, () => r.nextUint32());
};

describe('Random', () => {
  it('is deterministic per seed', () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
  });

  it('gives different sequences for nearby seeds', () => {
    expect(draws(1, 20)).not.toEqual(draws(2, 20));
    expect(draws(0, 20)).not.toEqual(draws(-1, 20));
  });

  it('keeps helpers within their ranges', () => {
    const r = new Random(7);
    for (let i = 0; i < 2000; i++) {
      const f = r.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const n = r.int(-3, 3);
      expect(Number.isInteger(n) && n >= -3 && n <= 3).toBe(true);
    }
  });

  it('reaches both ends of int() and is roughly uniform', () => {
    const r = new Random(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const n = r.int(0, 9);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const c of counts.values()) expect(c).toBeGreaterThan(850);
  });

  it('samples without repetition and shuffles without loss', () => {
    const r = new Random(11);
    const items = Array.from({ length: 20 }, (_, i) => i);
    const sample = r.sample(items, 8);
    expect(new Set(sample).size).toBe(8);
    expect(r.shuffle(items).sort((a, b) => a - b)).toEqual(items);
  });

  it('honours weights', () => {
    const r = new Random(5);
    let heavy = 0;
    for (let i = 0; i < 5000; i++)
      if (
        r.weighted([
          [9, 'heavy'],
          [1, 'light'],
          [0, 'never'],
        ]) === 'heavy'
      )
        heavy++;
    expect(heavy / 5000).toBeGreaterThan(0.85);
    expect(heavy / 5000).toBeLessThan(0.95);
  });

  it('forks independent, reproducible streams', () => {
    const a = new Random(9);
    const b = new Random(9);
    expect(draws(a.fork().nextUint32(), 5)).toEqual(draws(b.fork().nextUint32(), 5));
  });
});
