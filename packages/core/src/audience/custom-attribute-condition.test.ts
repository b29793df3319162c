import { describe, expect, it } from 'vitest';
import type { LeafCondition } from '../datafile/datafile';
import type { Logger, LogLevel } from '../ports/logger';
import { compileCustomAttributeCondition } from './custom-attribute-condition';
import { type EvaluationUser, NO_ATTRIBUTE, type UserAttributes } from './evaluation-user';

const silent: Logger = { isEnabled: () => false, log: () => {} };

function recordingLogger(enabled: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']) {
  const entries: [LogLevel, string][] = [];
  const logger: Logger = {
    isEnabled: (level) => enabled.includes(level),
    log: (level, message) => {
      entries.push([level, message]);
    },
  };
  return { logger, entries };
}

function userWith(attributes: UserAttributes): EvaluationUser {
  return {
    attribute: (key) => (Object.hasOwn(attributes, key) ? attributes[key] : NO_ATTRIBUTE),
    isQualifiedFor: () => false,
  };
}

function leafOf(match: string | undefined, value: unknown, name = 'attr'): LeafCondition {
  const leaf: { type: string; name: string; match?: string; value?: unknown } = {
    type: 'custom_attribute',
    name,
  };
  if (match !== undefined) leaf.match = match;
  if (value !== ABSENT) leaf.value = value;
  return leaf;
}

function evaluate(leaf: LeafCondition, attributes: UserAttributes, logger: Logger = silent): boolean | null {
  return compileCustomAttributeCondition(leaf, logger)(userWith(attributes));
}

/** Marks a user attribute (or condition value) that is not set at all. */
const ABSENT = Symbol('absent');

const LIMIT = 2 ** 53;
const BEYOND = 2 ** 53 + 2; // 2^53 + 1 is not representable; this is the next double

// [match, condition value, user value, expected]
type Row = readonly [string | undefined, unknown, unknown, boolean | null];

const rows: Record<string, readonly Row[]> = {
  'exact with a string': [
    ['exact', 'abc', 'abc', true],
    ['exact', 'abc', 'abd', false],
    ['exact', 'abc', '', false],
    ['exact', '1', 1, null],
    ['exact', 'true', true, null],
    ['exact', 'abc', null, null],
    ['exact', 'abc', undefined, null],
    ['exact', 'abc', ABSENT, null],
    ['exact', 'abc', {}, null],
    ['exact', 'abc', ['abc'], null],
  ],
  'exact with a boolean': [
    ['exact', true, true, true],
    ['exact', true, false, false],
    ['exact', false, false, true],
    ['exact', true, 'true', null],
    ['exact', true, 1, null],
    ['exact', false, null, null],
  ],
  'exact with a number': [
    ['exact', 5, 5, true],
    ['exact', 5, 5.0, true],
    ['exact', 5, 6, false],
    ['exact', 1.5, 1.5, true],
    ['exact', 0, -0, true],
    ['exact', 5, '5', null],
    ['exact', LIMIT, LIMIT, true],
    ['exact', -LIMIT, -LIMIT, true],
    ['exact', LIMIT, BEYOND, null],
    ['exact', 5, -BEYOND, null],
    ['exact', 5, Number.NaN, null],
    ['exact', 5, Number.POSITIVE_INFINITY, null],
    ['exact', 5, Number.NEGATIVE_INFINITY, null],
    ['exact', 5, null, null],
    ['exact', 5, ABSENT, null],
  ],
  'exact with an unsupported condition value': [
    ['exact', BEYOND, BEYOND, null],
    ['exact', Number.NaN, Number.NaN, null],
    ['exact', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, null],
    ['exact', null, null, null],
    ['exact', ABSENT, undefined, null],
    ['exact', {}, {}, null],
    ['exact', [1], [1], null],
  ],
  'a missing match, which means exact': [
    [undefined, 'abc', 'abc', true],
    [undefined, 'abc', 'x', false],
    [undefined, 5, 5, true],
    [undefined, 5, BEYOND, null],
    [undefined, true, 'true', null],
  ],
  exists: [
    ['exists', ABSENT, 'x', true],
    ['exists', ABSENT, '', true],
    ['exists', ABSENT, 0, true],
    ['exists', ABSENT, false, true],
    ['exists', ABSENT, Number.NaN, true],
    ['exists', ABSENT, {}, true],
    ['exists', ABSENT, null, false],
    ['exists', ABSENT, undefined, false],
    ['exists', ABSENT, ABSENT, false],
    ['exists', 'ignored', 'x', true],
  ],
  'gt, ge, lt and le': [
    ['gt', 10, 11, true],
    ['gt', 10, 10, false],
    ['gt', 10, 10.5, true],
    ['ge', 10, 10, true],
    ['ge', 10, 9.99, false],
    ['lt', 10, 9, true],
    ['lt', 10, 10, false],
    ['le', 10, 10, true],
    ['le', 10, 10.01, false],
    ['gt', -1.5, -1.25, true],
    ['gt', 10, LIMIT, true],
    ['lt', 10, -LIMIT, true],
    ['gt', 10, BEYOND, null],
    ['lt', 10, -BEYOND, null],
    ['gt', 10, Number.NaN, null],
    ['gt', 10, Number.POSITIVE_INFINITY, null],
    ['lt', 10, Number.NEGATIVE_INFINITY, null],
    ['gt', 10, '11', null],
    ['gt', 10, true, null],
    ['gt', 10, null, null],
    ['gt', 10, undefined, null],
    ['gt', 10, ABSENT, null],
  ],
  'gt, ge, lt and le with an unsupported condition value': [
    ['gt', '10', 11, null],
    ['ge', null, 11, null],
    ['lt', ABSENT, 11, null],
    ['le', Number.NaN, 11, null],
    ['gt', Number.NEGATIVE_INFINITY, 11, null],
    ['lt', BEYOND, 11, null],
    ['gt', LIMIT, BEYOND, null],
    ['le', true, 11, null],
  ],
  substring: [
    ['substring', 'bc', 'abcd', true],
    ['substring', 'bc', 'xyz', false],
    ['substring', 'bc', '', false],
    ['substring', '', 'anything', true],
    ['substring', 'bc', 5, null],
    ['substring', '5', 5, null],
    ['substring', 'bc', null, null],
    ['substring', 'bc', undefined, null],
    ['substring', 'bc', ABSENT, null],
    ['substring', 5, '5', null],
    ['substring', null, 'x', null],
  ],
  'semantic versions': [
    ['semver_eq', '1.2.3', '1.2.3', true],
    ['semver_eq', '1.2', '1.2.9', true],
    ['semver_eq', '1.2.3', '1.2.4', false],
    ['semver_gt', '1.2.3', '1.2.4', true],
    ['semver_gt', '1.2.3', '1.2.3', false],
    ['semver_ge', '1.2.3', '1.2.3', true],
    ['semver_ge', '1.2.3', '1.2.2', false],
    ['semver_lt', '3.0.0', '3.0.0-beta', true],
    ['semver_lt', '1.2.3', '1.2.3', false],
    ['semver_le', '1.2.3', '1.2.3', true],
    ['semver_le', '1.2.3', '1.10.0', false],
    ['semver_eq', '1.2.3', 'v1.2.3', null],
    ['semver_gt', '1.2.3', '1.2.3.4', null],
    ['semver_eq', 'x', '1.2.3', null],
    ['semver_eq', '1.2.3', 1.2, null],
    ['semver_eq', '1.2.3', null, null],
    ['semver_eq', '1.2.3', ABSENT, null],
    ['semver_eq', 1, '1', null],
  ],
  'unknown match types': [
    ['bogus', 'abc', 'abc', null],
    ['', 'abc', 'abc', null],
    ['EXACT', 'abc', 'abc', null],
    ['qualified', 'abc', 'abc', null],
    ['exists ', ABSENT, 'x', null],
  ],
};

describe('compileCustomAttributeCondition', () => {
  for (const [group, table] of Object.entries(rows)) {
    describe(group, () => {
      it.each(table)(
        'match %j, condition %j, user %j gives %j',
        (match, conditionValue, userValue, expected) => {
          const attributes: Record<string, unknown> = userValue === ABSENT ? {} : { attr: userValue };
          expect(evaluate(leafOf(match, conditionValue), attributes)).toBe(expected);
        },
      );
    });
  }

  it('tells a symbol attribute value from a missing attribute', () => {
    const value = Symbol('user value');
    // A symbol is present (exists is true) and of no supported type (unknown), never "missing".
    expect(evaluate(leafOf('exists', ABSENT), { attr: value })).toBe(true);
    expect(evaluate(leafOf('exists', ABSENT), {})).toBe(false);
    const { logger, entries } = recordingLogger();
    expect(evaluate(leafOf('exact', 'a'), { attr: value }, logger)).toBeNull();
    expect(entries.map(([, message]) => message).join('\n')).toMatch(/of type "symbol"/);
    expect(entries.map(([, message]) => message).join('\n')).not.toMatch(/no value was passed/);
  });

  it('treats a null match as unknown rather than exact', () => {
    const leaf = {
      type: 'custom_attribute',
      name: 'attr',
      match: null,
      value: 'x',
    } as unknown as LeafCondition;
    expect(evaluate(leaf, { attr: 'x' })).toBeNull();
  });

  describe('attribute names that collide with Object.prototype', () => {
    it('reads an own "__proto__" attribute like any other', () => {
      const attributes = JSON.parse('{"__proto__": 5, "constructor": "c"}') as UserAttributes;
      expect(Object.hasOwn(attributes, '__proto__')).toBe(true);
      expect(evaluate(leafOf('exact', 5, '__proto__'), attributes)).toBe(true);
      expect(evaluate(leafOf('gt', 4, '__proto__'), attributes)).toBe(true);
      expect(evaluate(leafOf('exists', ABSENT, '__proto__'), attributes)).toBe(true);
      expect(evaluate(leafOf('exact', 'c', 'constructor'), attributes)).toBe(true);
    });

    it('treats an own null "__proto__" as not existing', () => {
      const attributes = JSON.parse('{"__proto__": null}') as UserAttributes;
      expect(evaluate(leafOf('exists', ABSENT, '__proto__'), attributes)).toBe(false);
      expect(evaluate(leafOf('exact', 'x', '__proto__'), attributes)).toBeNull();
    });

    it('does not see inherited members as attribute values', () => {
      for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
        expect(evaluate(leafOf('exact', 'x', name), {})).toBeNull();
        expect(evaluate(leafOf('substring', 'function', name), {})).toBeNull();
      }
    });

    it('reports inherited members as existing, like the reference, which reads attributes[name]', () => {
      for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
        expect(evaluate(leafOf('exists', ABSENT, name), {})).toBe(true);
      }
      expect(evaluate(leafOf('exists', ABSENT, 'notInherited'), {})).toBe(false);
    });

    it('never reads a user-supplied prototype', () => {
      const attributes = Object.create({ attr: 'inherited', extra: 1 }) as UserAttributes;
      expect(evaluate(leafOf('exists', ABSENT, 'extra'), attributes)).toBe(false);
      expect(evaluate(leafOf('exact', 'inherited'), attributes)).toBeNull();
    });

    it('is not fooled by an attribute named hasOwnProperty', () => {
      const attributes = JSON.parse('{"hasOwnProperty": 1, "attr": "x"}') as UserAttributes;
      expect(evaluate(leafOf('exact', 'x'), attributes)).toBe(true);
      expect(evaluate(leafOf('exact', 1, 'hasOwnProperty'), attributes)).toBe(true);
    });

    it('works on attributes without a prototype', () => {
      const attributes = Object.assign(Object.create(null) as Record<string, unknown>, { attr: 3 });
      expect(evaluate(leafOf('ge', 3), attributes)).toBe(true);
      expect(evaluate(leafOf('exists', ABSENT, 'constructor'), attributes)).toBe(true);
    });
  });

  it('coerces a non-string condition name the way a property lookup does', () => {
    const leaf = { type: 'custom_attribute', match: 'exact', value: 1 } as LeafCondition;
    expect(evaluate(leaf, { undefined: 1 })).toBe(true);
    const numeric = { type: 'custom_attribute', name: 5, value: 'x' } as unknown as LeafCondition;
    expect(evaluate(numeric, { '5': 'x' })).toBe(true);
  });

  it('keeps giving the same answer across evaluations and users', () => {
    const evaluator = compileCustomAttributeCondition(leafOf('lt', 18), silent);
    expect(evaluator(userWith({ attr: 17 }))).toBe(true);
    expect(evaluator(userWith({ attr: 18 }))).toBe(false);
    expect(evaluator(userWith({}))).toBeNull();
    expect(evaluator(userWith({ attr: 17 }))).toBe(true);
  });

  describe('logging', () => {
    it.each([
      ['an unknown match type', leafOf('bogus', 'x'), { attr: 'x' }, 'warn', 'unknown match type "bogus"'],
      [
        'a missing attribute',
        leafOf('exact', 'x'),
        {},
        'debug',
        'no value was passed for user attribute "attr"',
      ],
      ['a null attribute', leafOf('gt', 1), { attr: null }, 'debug', 'a null value was passed'],
      ['a wrongly typed attribute', leafOf('gt', 1), { attr: 'x' }, 'warn', 'is of type "string"'],
      ['an out-of-range number', leafOf('exact', 1), { attr: BEYOND }, 'warn', '[-2^53, +2^53]'],
      [
        'an unsupported condition value',
        leafOf('exact', {}),
        { attr: 1 },
        'warn',
        'condition value is not supported',
      ],
      [
        'an invalid user version',
        leafOf('semver_eq', '1.2'),
        { attr: 'v1' },
        'warn',
        'user attribute "attr"',
      ],
      [
        'an invalid condition version',
        leafOf('semver_eq', 'x'),
        { attr: '1.2' },
        'warn',
        'the condition value is not',
      ],
    ] as const)('reports %s', (_, leaf, attributes, level, fragment) => {
      const { logger, entries } = recordingLogger();
      expect(evaluate(leaf, attributes, logger)).toBeNull();
      expect(entries).toHaveLength(1);
      expect(entries[0]![0]).toBe(level);
      expect(entries[0]![1]).toContain('evaluated to UNKNOWN');
      expect(entries[0]![1]).toContain(fragment);
      expect(entries[0]![1]).toContain(JSON.stringify(leaf));
    });

    it('logs nothing when a condition evaluates to true or false', () => {
      const { logger, entries } = recordingLogger();
      expect(evaluate(leafOf('exact', 'x'), { attr: 'x' }, logger)).toBe(true);
      expect(evaluate(leafOf('exists', ABSENT), {}, logger)).toBe(false);
      expect(entries).toEqual([]);
    });

    it('builds no message at all when the level is disabled', () => {
      let serialized = 0;
      const leaf = { ...leafOf('gt', 1), toJSON: () => ++serialized };
      const { logger, entries } = recordingLogger(['error']);
      const evaluator = compileCustomAttributeCondition(leaf, logger);
      expect(evaluator(userWith({}))).toBeNull();
      expect(evaluator(userWith({ attr: 'x' }))).toBeNull();
      expect(entries).toEqual([]);
      expect(serialized).toBe(0);
    });

    it('serializes the condition once however often it logs', () => {
      let serialized = 0;
      const leaf = { ...leafOf('gt', 1), toJSON: () => `leaf${++serialized}` };
      const { logger, entries } = recordingLogger();
      const evaluator = compileCustomAttributeCondition(leaf, logger);
      evaluator(userWith({}));
      evaluator(userWith({ attr: 'x' }));
      expect(entries).toHaveLength(2);
      expect(serialized).toBe(1);
    });
  });
});
