import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyJson, copyJsonPlanned, planJsonCopy } from './copy-json';

describe('copyJson', () => {
  it('copies any JSON value exactly, sharing no object or array with it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = copyJson(value);
        expect(copy).toStrictEqual(value);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
    );
  });

  it('copies nested values deeply', () => {
    const value = { a: [1, { b: 2 }], c: { d: null } };
    const copy = copyJson(value) as typeof value;
    (copy.a[1] as { b: number }).b = 3;
    copy.c.d = 'x' as never;
    expect(value).toEqual({ a: [1, { b: 2 }], c: { d: null } });
  });

  it('keeps a __proto__ key as own data, never as the prototype', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"x":1}');
    const copy = copyJson(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

/** Every object and array inside `value`, itself included. */
function containers(value: unknown, into: object[] = []): object[] {
  if (typeof value === 'object' && value !== null) {
    into.push(value);
    for (const item of Object.values(value)) containers(item, into);
  }
  return into;
}

describe('copyJsonPlanned', () => {
  it('copies any parsed JSON value exactly by its plan, sharing no object or array with it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (generated) => {
        const value: unknown = JSON.parse(JSON.stringify(generated));
        const plan = planJsonCopy(value);
        if (plan === null) {
          expect(typeof value !== 'object' || value === null).toBe(true);
          return;
        }
        const copy = copyJsonPlanned(value as object, plan);
        expect(copy).toStrictEqual(value);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
        const originals = new Set(containers(value));
        for (const inner of containers(copy)) expect(originals.has(inner)).toBe(false);
      }),
    );
  });

  it('keeps a __proto__ key as own data at every depth', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"x":{"__proto__":[1]}}');
    const copy = copyJsonPlanned(value, planJsonCopy(value)!) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(copy.x)).toBe(Object.prototype);
    expect(Object.hasOwn(copy.x!, '__proto__')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
