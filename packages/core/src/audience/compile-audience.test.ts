import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConditionTree } from '../datafile/datafile';
import type { Logger, LogLevel } from '../ports/logger';
import { collectQualifiedSegments, compileAudience, compileRuleAudience } from './compile-audience';
import {
  type ConditionEvaluator,
  type EvaluationUser,
  NO_ATTRIBUTE,
  type UserAttributes,
} from './evaluation-user';

type Tri = boolean | null;

const silent: Logger = { isEnabled: () => false, log: () => {} };

function recordingLogger() {
  const entries: [LogLevel, string][] = [];
  const logger: Logger = {
    isEnabled: () => true,
    log: (level, message) => {
      entries.push([level, message]);
    },
  };
  return { logger, entries };
}

function userWith(attributes: UserAttributes, segments: readonly string[] = []): EvaluationUser {
  return {
    attribute: (key) => (Object.hasOwn(attributes, key) ? attributes[key] : NO_ATTRIBUTE),
    isQualifiedFor: (segment) => segments.includes(segment),
  };
}

const constant =
  (value: Tri): ConditionEvaluator =>
  () =>
    value;

describe('compileAudience', () => {
  it('evaluates custom attribute leaves inside a condition tree', () => {
    const conditions = [
      'and',
      ['or', { type: 'custom_attribute', name: 'plan', match: 'exact', value: 'pro' }],
      ['not', { type: 'custom_attribute', name: 'age', match: 'lt', value: 18 }],
    ];
    const audience = compileAudience(conditions, silent);
    expect(audience(userWith({ plan: 'pro', age: 30 }))).toBe(true);
    expect(audience(userWith({ plan: 'pro', age: 12 }))).toBe(false);
    expect(audience(userWith({ plan: 'free', age: 30 }))).toBe(false);
    expect(audience(userWith({ plan: 'pro' }))).toBeNull();
  });

  it('evaluates a legacy audience with the $opt_dummy_attribute placeholder to unknown', () => {
    const conditions = JSON.parse(
      '["and", ["or", ["or", {"name": "$opt_dummy_attribute", "type": "custom_attribute", "value": "impossible_value"}]]]',
    ) as unknown;
    expect(compileAudience(conditions, silent)(userWith({}))).toBeNull();
  });

  describe('third-party dimension (ODP segment) leaves', () => {
    it.each([
      [
        { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'seg1' },
        ['seg1'],
        true,
      ],
      [
        { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'seg1' },
        ['seg2'],
        false,
      ],
      [
        { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'seg1' },
        [],
        false,
      ],
      [{ type: 'third_party_dimension', name: 'odp.audiences', value: 'seg1' }, ['seg1'], true],
      [{ type: 'third_party_dimension', match: 'exact', value: 'seg1' }, ['seg1'], null],
      [{ type: 'third_party_dimension', match: null, value: 'seg1' }, ['seg1'], null],
      [{ type: 'third_party_dimension', match: 'qualified', value: 5 }, ['5'], false],
      [{ type: 'third_party_dimension', match: 'qualified' }, ['undefined'], false],
    ])('evaluates %j for segments %j to %j', (leaf, segments, expected) => {
      expect(compileAudience(leaf, silent)(userWith({}, segments))).toBe(expected);
    });

    it('logs an unknown match at evaluation time', () => {
      const { logger, entries } = recordingLogger();
      const audience = compileAudience({ type: 'third_party_dimension', match: 'bogus', value: 's' }, logger);
      expect(entries).toEqual([]);
      audience(userWith({}));
      expect(entries).toHaveLength(1);
      expect(entries[0]![0]).toBe('warn');
      expect(entries[0]![1]).toContain('unknown match type "bogus"');
    });
  });

  describe('leaves that are not conditions FlagKit knows', () => {
    it.each([
      ['an unknown type', { type: 'browser', name: 'x', value: 'y' }],
      ['a type inherited from Object.prototype', { type: 'constructor', name: 'x', value: 'y' }],
      ['a missing type', { name: 'x', match: 'exists' }],
      ['a string', 'just a string'],
      ['a number', 42],
      ['null', null],
    ])('evaluates %s to unknown, warning once at compile time', (_, leaf) => {
      const { logger, entries } = recordingLogger();
      const audience = compileAudience(['or', leaf], logger);
      expect(entries).toHaveLength(1);
      expect(entries[0]![0]).toBe('warn');
      expect(entries[0]![1]).toContain('unknown condition type');
      expect(audience(userWith({ x: 'y' }))).toBeNull();
      expect(audience(userWith({ x: 'y' }))).toBeNull();
      expect(entries).toHaveLength(1);
    });

    it('still lets the rest of the tree decide', () => {
      const tree = ['or', { type: 'browser' }, { type: 'custom_attribute', name: 'x', match: 'exists' }];
      expect(compileAudience(tree, silent)(userWith({ x: 1 }))).toBe(true);
      expect(compileAudience(tree, silent)(userWith({}))).toBeNull();
    });
  });
});

describe('compileRuleAudience', () => {
  const audiences = new Map<string, ConditionEvaluator>([
    ['yes', constant(true)],
    ['no', constant(false)],
    ['unknown', constant(null)],
  ]);
  const anyone = userWith({});

  it('lets everyone in when there are no audiences', () => {
    expect(compileRuleAudience(undefined, [], audiences)).toBeNull();
    expect(compileRuleAudience([], ['no'], audiences)).toBeNull();
  });

  it('prefers audienceConditions over audienceIds', () => {
    expect(compileRuleAudience(['and', 'yes', 'no'], ['yes'], audiences)?.(anyone)).toBe(false);
    expect(compileRuleAudience('yes', ['no'], audiences)?.(anyone)).toBe(true);
  });

  it('falls back to audienceIds, an implicit or, when audienceConditions is absent or null', () => {
    expect(compileRuleAudience(undefined, ['no', 'yes'], audiences)?.(anyone)).toBe(true);
    expect(compileRuleAudience(undefined, ['no', 'unknown'], audiences)?.(anyone)).toBeNull();
    expect(compileRuleAudience(undefined, ['no'], audiences)?.(anyone)).toBe(false);
    const fromJson = JSON.parse('null') as ConditionTree<string> | undefined;
    expect(compileRuleAudience(fromJson, ['yes'], audiences)?.(anyone)).toBe(true);
  });

  it('evaluates an unknown audience id to unknown', () => {
    expect(compileRuleAudience(['or', 'missing'], [], audiences)?.(anyone)).toBeNull();
    expect(compileRuleAudience(['or', 'missing', 'yes'], [], audiences)?.(anyone)).toBe(true);
    expect(compileRuleAudience(['not', 'constructor'], [], audiences)?.(anyone)).toBeNull();
  });

  it('resolves audiences when compiling, not when evaluating', () => {
    const mutable = new Map(audiences);
    const rule = compileRuleAudience(['and', 'yes', 'later'], [], mutable);
    mutable.set('later', constant(true));
    mutable.set('yes', constant(false));
    expect(rule?.(anyone)).toBeNull();
  });

  it('passes the user through to the audience evaluators', () => {
    const byPlan = compileAudience({ type: 'custom_attribute', name: 'plan', value: 'pro' }, silent);
    const rule = compileRuleAudience(undefined, ['pro'], new Map([['pro', byPlan]]));
    expect(rule?.(userWith({ plan: 'pro' }))).toBe(true);
    expect(rule?.(userWith({ plan: 'free' }))).toBe(false);
  });
});

describe('collectQualifiedSegments', () => {
  it('collects the value of every qualified leaf, once', () => {
    const segments = new Set<string>();
    collectQualifiedSegments(
      [
        'and',
        { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'a' },
        ['or', { type: 'third_party_dimension', match: 'qualified', value: 'b' }, ['not', 'qualified']],
        { type: 'custom_attribute', name: 'x', match: 'exact', value: 'not-a-segment' },
        { type: 'third_party_dimension', match: 'qualified', value: 'a' },
      ],
      segments,
    );
    collectQualifiedSegments({ type: 'third_party_dimension', match: 'qualified', value: 'c' }, segments);
    expect([...segments]).toEqual(['a', 'b', 'c']);
  });

  it('ignores leaves without the qualified match, non-string values and junk', () => {
    const segments = new Set<string>();
    collectQualifiedSegments(
      [
        { type: 'third_party_dimension', value: 'implicit' },
        { match: 'qualified', value: 5 },
        null,
        'qualified',
        42,
      ],
      segments,
    );
    collectQualifiedSegments(undefined, segments);
    expect(segments.size).toBe(0);
  });
});

/** §3.5 read literally, evaluated on every call: an independent oracle for the compiled form. */
function naiveLeaf(leaf: unknown, user: EvaluationUser): Tri {
  if (typeof leaf !== 'object' || leaf === null) return null;
  const { type, name, match, value } = leaf as Record<string, unknown>;
  if (type === 'third_party_dimension') {
    if (match !== undefined && match !== 'qualified') return null;
    return typeof value === 'string' && user.isQualifiedFor(value);
  }
  if (type !== 'custom_attribute') return null;
  const key = String(name);
  const read = user.attribute(key);
  const own = read !== NO_ATTRIBUTE;
  const actual = own ? read : ({} as Record<string, unknown>)[key];
  const safe = (x: unknown): x is number => typeof x === 'number' && Math.abs(x) <= 2 ** 53;
  const m = match === undefined ? 'exact' : match;
  if (m === 'exists') return actual !== undefined && actual !== null;
  const known = ['exact', 'gt', 'ge', 'lt', 'le', 'substring'];
  if (typeof m !== 'string' || !known.includes(m) || !own) return null;
  if (m === 'exact') {
    if (!(typeof value === 'string' || typeof value === 'boolean' || safe(value))) return null;
    if (actual === null || typeof actual !== typeof value) return null;
    if (typeof actual === 'number' && !safe(actual)) return null;
    return actual === value;
  }
  if (m === 'substring') {
    return typeof value === 'string' && typeof actual === 'string' ? actual.includes(value) : null;
  }
  if (!safe(value) || !safe(actual)) return null;
  if (m === 'gt') return actual > value;
  if (m === 'ge') return actual >= value;
  if (m === 'lt') return actual < value;
  return actual <= value;
}

function naiveTree(tree: unknown, user: EvaluationUser): Tri {
  if (!Array.isArray(tree)) return naiveLeaf(tree, user);
  const items = tree as unknown[];
  const op = items[0] === 'and' || items[0] === 'or' || items[0] === 'not' ? items[0] : undefined;
  const operands = op === undefined && typeof items[0] === 'string' ? items : items.slice(1);
  if (op === 'not') {
    const result = operands.length === 0 ? null : naiveTree(operands[0], user);
    return result === null ? null : !result;
  }
  const results = operands.map((child) => naiveTree(child, user));
  if (op === 'and') return results.includes(false) ? false : results.includes(null) ? null : true;
  return results.includes(true) ? true : results.includes(null) ? null : false;
}

describe('compiled audiences versus a naive interpreter', () => {
  const names = ['a', 'b', 'constructor', '__proto__', 'toString'] as const;
  const values = fc.oneof(
    fc.constantFrom<unknown>(null, undefined, true, false, '', 'x', 'abc', 'bc', 0, -0, 1, 2.5, -3),
    fc.constantFrom<unknown>(2 ** 53, -(2 ** 53), 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY, {}, [1]),
    fc.integer({ min: -3, max: 3 }),
  );
  const customLeaf = fc.record(
    {
      type: fc.constant('custom_attribute'),
      name: fc.constantFrom(...names),
      match: fc.constantFrom(undefined, 'exact', 'exists', 'gt', 'ge', 'lt', 'le', 'substring', 'bogus'),
      value: values,
    },
    { requiredKeys: ['type', 'name'] },
  );
  const segmentLeaf = fc.record(
    {
      type: fc.constant('third_party_dimension'),
      match: fc.constantFrom(undefined, 'qualified', 'exact'),
      value: fc.constantFrom<unknown>('s1', 's2', 5),
    },
    { requiredKeys: ['type'] },
  );
  const oddLeaf = fc.constantFrom<unknown>({ type: 'browser' }, 'text', null, 7);
  const leaf = fc.oneof({ weight: 6, arbitrary: customLeaf }, { weight: 2, arbitrary: segmentLeaf }, oddLeaf);
  const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('node')),
    node: fc
      .tuple(
        fc.constantFrom<string | null>('and', 'or', 'not', null),
        fc.array(tie('tree'), { maxLength: 4 }),
      )
      .map(([head, children]) => (head === null ? children : [head, ...children])),
  }));
  const attributes = fc
    .tuple(fc.dictionary(fc.constantFrom(...names), values), fc.boolean())
    .map(([entries, viaJson]) => {
      // JSON.parse makes "__proto__" an own key; building the object by hand covers undefined values.
      if (!viaJson) return { ...entries } as UserAttributes;
      try {
        return JSON.parse(JSON.stringify(entries)) as UserAttributes;
      } catch {
        return {} as UserAttributes;
      }
    });
  const segments = fc.subarray(['s1', 's2', '5']);

  it('agrees on random trees and random users', () => {
    fc.assert(
      fc.property(
        tree,
        fc.array(fc.tuple(attributes, segments), { minLength: 1, maxLength: 4 }),
        (t, users) => {
          const compiled = compileAudience(t, silent);
          for (const [attrs, segs] of users) {
            const user = userWith(attrs, segs);
            expect(compiled(user)).toBe(naiveTree(t, user));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
