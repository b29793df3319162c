import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectKeyOrder } from './object-key-order';

describe('objectKeyOrder', () => {
  it('orders values exactly as Object.values of a plain object built from the entries', () => {
    const key = fc.oneof(
      fc.constantFrom('0', '1', '10', '01', '-1', '1.5', '4294967294', '4294967295', '99999999999', 'a', 'b'),
      fc.nat({ max: 5000 }).map(String),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer())), (entries) => {
        const object: Record<string, number> = Object.create(null);
        for (const [k, v] of entries) object[k] = v;
        expect(objectKeyOrder(entries)).toEqual(Object.values(object));
      }),
    );
  });
});
