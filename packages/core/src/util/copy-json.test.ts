import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyJson } from './copy-json';

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
