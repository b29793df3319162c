import { describe, expect, it } from 'vitest';
import { copyValidAttributes, type ReservedAttributes } from './input-validation';

function emptyReserved(): ReservedAttributes {
  return { bucketingIdAttribute: undefined, bucketMapAttribute: undefined };
}

describe('copyValidAttributes', () => {
  it('copies own attributes into an independent plain object', () => {
    const source = { country: 'us', age: 30 };
    const copy = copyValidAttributes(source, emptyReserved());
    expect(copy).toEqual({ country: 'us', age: 30 });
    source.country = 'fr';
    expect((copy as Record<string, unknown>).country).toBe('us');
  });

  it('reports the reserved $opt_ attributes and resets them on the next call', () => {
    const reserved = emptyReserved();
    const map = { '111': { variation_id: '222' } };
    copyValidAttributes({ $opt_bucketing_id: 'b-1', $opt_experiment_bucket_map: map, $other: 1 }, reserved);
    expect(reserved.bucketingIdAttribute).toBe('b-1');
    expect(reserved.bucketMapAttribute).toBe(map);
    copyValidAttributes({ country: 'us' }, reserved);
    expect(reserved).toEqual(emptyReserved());
    const afterNone = { bucketingIdAttribute: 'stale', bucketMapAttribute: 'stale' };
    copyValidAttributes(null, afterNone);
    expect(afterNone).toEqual(emptyReserved());
  });

  it('keeps a non-string $opt_bucketing_id as it is (the decision falls back and warns)', () => {
    const reserved = emptyReserved();
    copyValidAttributes({ $opt_bucketing_id: 42 }, reserved);
    expect(reserved.bucketingIdAttribute).toBe(42);
  });

  it('names the first attribute whose value is undefined', () => {
    expect(copyValidAttributes({ a: 1, b: undefined, c: undefined }, emptyReserved())).toBe(
      'Provided attribute: b has an undefined value.',
    );
  });

  it('ignores enumerable keys inherited from Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.inheritedUndefined = undefined;
    try {
      expect(copyValidAttributes({ a: 1 }, emptyReserved())).toEqual({ a: 1 });
    } finally {
      delete proto.inheritedUndefined;
    }
  });

  it('keeps a __proto__ key as data', () => {
    const copy = copyValidAttributes(JSON.parse('{"__proto__": {"polluted": true}}'), emptyReserved());
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects arrays and non-objects', () => {
    expect(copyValidAttributes(['a'], emptyReserved())).toBe('Provided attributes are in an invalid format.');
    expect(copyValidAttributes('a=1', emptyReserved())).toBe('Provided attributes are in an invalid format.');
  });
});
