import { describe, expect, it } from 'vitest';
import { type AttributeList, copyValidAttributes } from './input-validation';

function emptyList(): AttributeList {
  return {
    attributeKeys: [],
    attributeValues: [],
    bucketingIdAttribute: undefined,
    bucketMapAttribute: undefined,
  };
}

describe('copyValidAttributes', () => {
  it('copies own attributes into independent key and value arrays, in key order', () => {
    const source: Record<string, unknown> = { country: 'us', age: 30 };
    const list = emptyList();
    expect(copyValidAttributes(source, list)).toBeNull();
    expect(list.attributeKeys).toEqual(['country', 'age']);
    expect(list.attributeValues).toEqual(['us', 30]);
    source.country = 'fr';
    source.added = true;
    expect(list.attributeKeys).toEqual(['country', 'age']);
    expect(list.attributeValues).toEqual(['us', 30]);
  });

  it('gives every call fresh arrays', () => {
    const list = emptyList();
    copyValidAttributes({ a: 1 }, list);
    const first = list.attributeKeys;
    copyValidAttributes({ a: 1 }, list);
    expect(list.attributeKeys).not.toBe(first);
    copyValidAttributes(null, list);
    expect(list.attributeKeys).toEqual([]);
    expect(list.attributeKeys).not.toBe(first);
  });

  it('reports the reserved $opt_ attributes and resets them on the next call', () => {
    const list = emptyList();
    const map = { '111': { variation_id: '222' } };
    copyValidAttributes({ $opt_bucketing_id: 'b-1', $opt_experiment_bucket_map: map, $other: 1 }, list);
    expect(list.bucketingIdAttribute).toBe('b-1');
    expect(list.bucketMapAttribute).toBe(map);
    copyValidAttributes({ country: 'us' }, list);
    expect(list.bucketingIdAttribute).toBeUndefined();
    expect(list.bucketMapAttribute).toBeUndefined();
    const afterNone = { ...emptyList(), bucketingIdAttribute: 'stale', bucketMapAttribute: 'stale' };
    copyValidAttributes(null, afterNone);
    expect(afterNone).toEqual(emptyList());
  });

  it('keeps a non-string $opt_bucketing_id as it is (the decision falls back and warns)', () => {
    const list = emptyList();
    copyValidAttributes({ $opt_bucketing_id: 42 }, list);
    expect(list.bucketingIdAttribute).toBe(42);
  });

  it('names the first attribute whose value is undefined, and keeps no attributes', () => {
    const list = emptyList();
    expect(copyValidAttributes({ a: 1, b: undefined, c: undefined }, list)).toBe(
      'Provided attribute: b has an undefined value.',
    );
    expect(list).toEqual(emptyList());
  });

  it('ignores enumerable keys inherited from Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.inheritedUndefined = undefined;
    try {
      const list = emptyList();
      expect(copyValidAttributes({ a: 1 }, list)).toBeNull();
      expect(list.attributeKeys).toEqual(['a']);
    } finally {
      delete proto.inheritedUndefined;
    }
  });

  it('keeps a __proto__ key as data and pollutes nothing', () => {
    const list = emptyList();
    expect(copyValidAttributes(JSON.parse('{"__proto__": {"polluted": true}}'), list)).toBeNull();
    expect(list.attributeKeys).toEqual(['__proto__']);
    expect(list.attributeValues).toEqual([{ polluted: true }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps keys and values paired when a getter deletes properties while being read', () => {
    const source: Record<string, unknown> = {
      get a() {
        delete source.b;
        return 1;
      },
      b: 2,
    };
    const list = emptyList();
    expect(copyValidAttributes(source, list)).toBeNull();
    expect(list.attributeKeys).toEqual(['a']);
    expect(list.attributeValues).toEqual([1]);
  });

  it('rejects arrays and non-objects', () => {
    expect(copyValidAttributes(['a'], emptyList())).toBe('Provided attributes are in an invalid format.');
    expect(copyValidAttributes('a=1', emptyList())).toBe('Provided attributes are in an invalid format.');
  });
});
