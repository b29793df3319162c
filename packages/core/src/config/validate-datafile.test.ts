import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  datafile,
  deepFreeze,
  flag,
  group,
  holdout,
  type Json,
  rollout,
  rule,
  typedAudience,
  variable,
  variation,
} from '../../test-support/datafile-builder';
import { DatafileError } from '../errors/datafile-error';
import { FlagKitError } from '../errors/flagkit-error';
import { validateDatafile } from './validate-datafile';

// Datafile mutations below reach into arbitrary depths of plain JSON.
// biome-ignore lint/suspicious/noExplicitAny: test-only access to untyped JSON
type Loose = any;

/** A datafile that uses every section, so each mutation below has something to break. */
function fullDatafile(): Json {
  return datafile({
    anonymizeIP: true,
    botFiltering: false,
    sendFlagDecisions: true,
    region: 'EU',
    experiments: [
      rule('e1', 'exp', [variation('v1', 'a', true, { var1: 'x' }), variation('v2', 'b')], {
        audienceConditions: ['and', '1', ['or', '2']],
        forcedVariations: { alice: 'a' },
        cmab: { trafficAllocation: 5000, attributeIds: ['att1'] },
        type: 'ab',
      }),
    ],
    groups: [group('g1', 'random', [['ge1', 10000]], [rule('ge1', 'grouped', [variation('gv1', 'g')])])],
    featureFlags: [
      flag('f1', 'flag', {
        experimentIds: ['e1'],
        rolloutId: 'ro1',
        variables: [variable('var1', 'text', 'string', 'd'), variable('var2', 'cfg', 'string', '{}', 'json')],
      }),
    ],
    rollouts: [rollout('ro1', [rule('r1', 'everyone', [variation('rv1', 'on')])])],
    audiences: [{ id: '1', name: 'legacy', conditions: '["or"]' }],
    typedAudiences: [typedAudience('2', 'typed', ['or', { type: 'custom_attribute', name: 'x', value: 1 }])],
    attributes: [{ id: 'att1', key: 'country' }],
    events: [{ id: 'ev1', key: 'purchase', experimentIds: ['e1'] }],
    integrations: [{ key: 'odp', host: 'https://odp.example', publicKey: 'pk' }],
    holdouts: [holdout('h1', 'global', { excludeTargetedDeliveries: true })],
    localHoldouts: [holdout('h2', 'local', { includedRules: ['e1'] })],
  });
}

/** Applies `mutate` to a fresh full datafile and returns the DatafileError it causes. */
function errorAfter(mutate: (df: Loose) => void): DatafileError {
  const df = fullDatafile();
  mutate(df);
  try {
    validateDatafile(df);
  } catch (error) {
    expect(error).toBeInstanceOf(DatafileError);
    return error as DatafileError;
  }
  throw new Error('expected validateDatafile to throw');
}

describe('validateDatafile', () => {
  it('returns the very object it was given when the datafile is valid', () => {
    const df = fullDatafile();
    expect(validateDatafile(df)).toBe(df);
  });

  it('accepts a minimal datafile whose optional sections are absent or null', () => {
    const minimal: Json = { version: '4', accountId: 'a', projectId: 'p', revision: '1' };
    expect(() => validateDatafile(minimal)).not.toThrow();
    expect(() =>
      validateDatafile({
        ...minimal,
        featureFlags: null,
        rollouts: null,
        holdouts: null,
        integrations: null,
      }),
    ).not.toThrow();
  });

  it.each(['2', '3', '4'])('accepts datafile version "%s"', (version) => {
    expect(() => validateDatafile({ ...fullDatafile(), version })).not.toThrow();
  });

  it.each([
    ['the number 4', 4],
    ['"5"', '5'],
    ['"1"', '1'],
    ['a missing version', undefined],
    ['null', null],
  ])('rejects version %s with path "version"', (_label, version) => {
    const error = errorAfter((df) => {
      df.version = version;
    });
    expect(error.path).toBe('version');
    expect(error.message).toContain('unsupported datafile version');
    expect(error.message).not.toContain('undefined undefined');
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a string', '{"version":"4"}'],
    ['a number', 4],
  ])('rejects %s as the document itself, with an empty path', (_label, input) => {
    let caught: unknown;
    try {
      validateDatafile(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatafileError);
    expect((caught as DatafileError).path).toBe('');
  });

  it('reports errors as FlagKit errors with code INVALID_DATAFILE and the path in the message', () => {
    const error = errorAfter((df) => {
      df.revision = 7;
    });
    expect(FlagKitError.isInstance(error)).toBe(true);
    expect(error.code).toBe('INVALID_DATAFILE');
    expect(error.name).toBe('DatafileError');
    expect(error.path).toBe('revision');
    expect(error.message).toBe('Invalid datafile at revision: expected a string, got number 7');
  });

  const cases: [string, (df: Loose) => void, string][] = [
    ['a missing accountId', (df) => delete df.accountId, 'accountId'],
    ['a numeric projectId', (df) => (df.projectId = 1), 'projectId'],
    ['a numeric sdkKey', (df) => (df.sdkKey = 1), 'sdkKey'],
    ['a string sendFlagDecisions', (df) => (df.sendFlagDecisions = 'true'), 'sendFlagDecisions'],
    ['a string anonymizeIP', (df) => (df.anonymizeIP = 'yes'), 'anonymizeIP'],
    ['experiments that is an object', (df) => (df.experiments = {}), 'experiments'],
    ['an experiment that is null', (df) => (df.experiments[0] = null), 'experiments[0]'],
    ['a numeric experiment id', (df) => (df.experiments[0].id = 1), 'experiments[0].id'],
    ['a missing experiment status', (df) => delete df.experiments[0].status, 'experiments[0].status'],
    ['a numeric layerId', (df) => (df.experiments[0].layerId = 3), 'experiments[0].layerId'],
    ['missing variations', (df) => delete df.experiments[0].variations, 'experiments[0].variations'],
    [
      'a variation without a key',
      (df) => delete df.experiments[0].variations[1].key,
      'experiments[0].variations[1].key',
    ],
    [
      'a string featureEnabled',
      (df) => (df.experiments[0].variations[0].featureEnabled = 'true'),
      'experiments[0].variations[0].featureEnabled',
    ],
    [
      'a numeric variable value',
      (df) => (df.experiments[0].variations[0].variables[0].value = 1),
      'experiments[0].variations[0].variables[0].value',
    ],
    [
      'a missing traffic allocation',
      (df) => delete df.experiments[0].trafficAllocation,
      'experiments[0].trafficAllocation',
    ],
    [
      'a string endOfRange',
      (df) => (df.experiments[0].trafficAllocation[0].endOfRange = '10000'),
      'experiments[0].trafficAllocation[0].endOfRange',
    ],
    [
      'an infinite endOfRange',
      (df) => (df.experiments[0].trafficAllocation[0].endOfRange = Number.POSITIVE_INFINITY),
      'experiments[0].trafficAllocation[0].endOfRange',
    ],
    [
      'a NaN endOfRange',
      (df) => (df.experiments[0].trafficAllocation[0].endOfRange = Number.NaN),
      'experiments[0].trafficAllocation[0].endOfRange',
    ],
    [
      'a numeric entityId',
      (df) => (df.experiments[0].trafficAllocation[0].entityId = 1),
      'experiments[0].trafficAllocation[0].entityId',
    ],
    [
      'a numeric audience id',
      (df) => (df.experiments[0].audienceIds = ['1', 2]),
      'experiments[0].audienceIds[1]',
    ],
    [
      'a numeric leaf in audienceConditions',
      (df) => (df.experiments[0].audienceConditions = ['and', '1', ['or', 2]]),
      'experiments[0].audienceConditions[2][1]',
    ],
    [
      'a non-string whitelisted variation',
      (df) => (df.experiments[0].forcedVariations = { alice: 1 }),
      'experiments[0].forcedVariations.alice',
    ],
    [
      'a string cmab traffic allocation',
      (df) => (df.experiments[0].cmab.trafficAllocation = '5000'),
      'experiments[0].cmab.trafficAllocation',
    ],
    ['a numeric group policy', (df) => (df.groups[0].policy = 1), 'groups[0].policy'],
    [
      'a grouped experiment without a key',
      (df) => delete df.groups[0].experiments[0].key,
      'groups[0].experiments[0].key',
    ],
    [
      'a rollout rule with a numeric status',
      (df) => (df.rollouts[0].experiments[0].status = 0),
      'rollouts[0].experiments[0].status',
    ],
    ['a rollout without an id', (df) => delete df.rollouts[0].id, 'rollouts[0].id'],
    ['a flag without a key', (df) => delete df.featureFlags[0].key, 'featureFlags[0].key'],
    ['a numeric rolloutId', (df) => (df.featureFlags[0].rolloutId = 5), 'featureFlags[0].rolloutId'],
    [
      'a variable without a type',
      (df) => delete df.featureFlags[0].variables[1].type,
      'featureFlags[0].variables[1].type',
    ],
    [
      'a variable with a numeric default',
      (df) => (df.featureFlags[0].variables[0].defaultValue = 1),
      'featureFlags[0].variables[0].defaultValue',
    ],
    [
      'a legacy audience without conditions',
      (df) => delete df.audiences[0].conditions,
      'audiences[0].conditions',
    ],
    [
      'a typed audience without conditions',
      (df) => delete df.typedAudiences[0].conditions,
      'typedAudiences[0].conditions',
    ],
    ['an audience with a numeric id', (df) => (df.audiences[0].id = 1), 'audiences[0].id'],
    ['an attribute without a key', (df) => delete df.attributes[0].key, 'attributes[0].key'],
    ['an event with a numeric id', (df) => (df.events[0].id = 9), 'events[0].id'],
    [
      'an event whose experimentIds is a number',
      (df) => (df.events[0].experimentIds = 5),
      'events[0].experimentIds',
    ],
    [
      'an event with a numeric experiment id',
      (df) => (df.events[0].experimentIds = [1]),
      'events[0].experimentIds[0]',
    ],
    ['an integration without a key', (df) => delete df.integrations[0].key, 'integrations[0].key'],
    ['a numeric integration host', (df) => (df.integrations[0].host = 1), 'integrations[0].host'],
    [
      'a string excludeTargetedDeliveries',
      (df) => (df.holdouts[0].excludeTargetedDeliveries = 'yes'),
      'holdouts[0].excludeTargetedDeliveries',
    ],
    ['a holdout without variations', (df) => delete df.holdouts[0].variations, 'holdouts[0].variations'],
    [
      'a numeric included rule',
      (df) => (df.localHoldouts[0].includedRules = [1]),
      'localHoldouts[0].includedRules[0]',
    ],
  ];

  it.each(cases)('names the field for %s', (_label, mutate, path) => {
    expect(errorAfter(mutate).path).toBe(path);
  });

  it('says what a missing required list should have been', () => {
    const error = errorAfter((df) => delete df.experiments[0].variations);
    expect(error.message).toBe(
      'Invalid datafile at experiments[0].variations: expected an array, got undefined',
    );
  });

  it('accepts audience-id trees 100 lists deep and rejects deeper ones with a DatafileError', () => {
    const nestedLists = (depth: number): unknown => {
      let tree: unknown = '1';
      for (let i = 0; i < depth; i++) tree = [tree];
      return tree;
    };
    const deepest = fullDatafile() as Loose;
    deepest.experiments[0].audienceConditions = nestedLists(100);
    expect(() => validateDatafile(deepest)).not.toThrow();
    const error = errorAfter((df) => {
      df.experiments[0].audienceConditions = nestedLists(101);
    });
    expect(error.path).toBe(`experiments[0].audienceConditions${'[0]'.repeat(100)}`);
    expect(error.message).toContain('nests more than 100 lists deep');
  });

  it('rejects, rather than overflowing the stack on, an audience-id tree nested 200 000 deep', () => {
    // JSON.parse does not recurse, so such a tree reaches the validator from JSON text.
    const df = fullDatafile() as Loose;
    df.experiments[0].audienceConditions = '@';
    const text = JSON.stringify(df).replace('"@"', `${'['.repeat(200_000)}"1"${']'.repeat(200_000)}`);
    expect(() => validateDatafile(JSON.parse(text))).toThrow(DatafileError);
  });

  it('names the right field in a later call after an earlier one failed deep inside', () => {
    expect(errorAfter((df) => (df.groups[0].experiments[0].variations[0].id = 1)).path).toBe(
      'groups[0].experiments[0].variations[0].id',
    );
    expect(errorAfter((df) => (df.events[0].key = 1)).path).toBe('events[0].key');
    expect(validateDatafile(fullDatafile())).toBeTruthy();
    expect(errorAfter((df) => (df.version = '1')).path).toBe('version');
  });

  it('does not modify its input', () => {
    const df = deepFreeze(fullDatafile());
    const before = structuredClone(df);
    expect(() => validateDatafile(df)).not.toThrow();
    expect(df).toEqual(before);
  });

  it.each([
    ['a BigInt', 10n, 'bigint 10'],
    ['a symbol', Symbol('s'), 'symbol Symbol(s)'],
    ['a string', 'x', 'string "x"'],
    ['a long string, cut short', 'y'.repeat(1000), `string "${'y'.repeat(40)}…"`],
    ['a function', () => 1, 'a function'],
  ])('describes %s found where a number belongs', (_label, value, described) => {
    const error = errorAfter((df) => {
      df.experiments[0].trafficAllocation[0].endOfRange = value;
    });
    expect(error.message).toBe(
      `Invalid datafile at experiments[0].trafficAllocation[0].endOfRange: expected a finite number, got ${described}`,
    );
  });

  it('throws nothing but DatafileError, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true }), (input) => {
        try {
          validateDatafile(input);
        } catch (error) {
          return error instanceof DatafileError;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('throws nothing but DatafileError when any one field of a valid datafile is replaced', () => {
    // Paths to every value in the full datafile, so the property can replace one at random.
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (path.length > 0) paths.push(path);
      if (Array.isArray(value))
        value.forEach((item, i) => {
          walk(item, [...path, i]);
        });
      else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
      }
    };
    walk(fullDatafile(), []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, replacement) => {
        const df = fullDatafile() as Record<string | number, Loose>;
        let parent = df;
        for (const key of path.slice(0, -1)) parent = parent[key];
        parent[path[path.length - 1]!] = replacement;
        try {
          validateDatafile(df);
        } catch (error) {
          return error instanceof DatafileError;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
