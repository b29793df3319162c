import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../ports/logger';
import { createProjectConfig } from './create-project-config';
import { createOptimizelyConfig, type OptimizelyConfig } from './optimizely-config';

// Small builders for inline datafiles. Everything they produce is plain JSON.
type Json = { [key: string]: unknown };

function datafile(overrides: Json = {}): Json {
  return {
    version: '4',
    accountId: 'acc',
    projectId: 'proj',
    revision: '42',
    sdkKey: 'sdk-key',
    environmentKey: 'production',
    experiments: [],
    groups: [],
    featureFlags: [],
    rollouts: [],
    audiences: [],
    typedAudiences: [],
    attributes: [],
    events: [],
    ...overrides,
  };
}

function variation(
  id: string,
  key: string,
  featureEnabled?: boolean,
  variables?: { id: string; value: string }[],
): Json {
  const v: Json = { id, key };
  if (featureEnabled !== undefined) v.featureEnabled = featureEnabled;
  if (variables) v.variables = variables;
  return v;
}

function experiment(id: string, key: string, variations: Json[], extra: Json = {}): Json {
  return {
    id,
    key,
    status: 'Running',
    layerId: `layer-${id}`,
    variations,
    trafficAllocation: variations.map((v) => ({ entityId: v.id, endOfRange: 10000 })),
    audienceIds: [],
    forcedVariations: {},
    ...extra,
  };
}

function build(df: Json): OptimizelyConfig {
  return createOptimizelyConfig(createProjectConfig(JSON.stringify(df)));
}

const audienceDefinitions = {
  audiences: [
    {
      id: '1',
      name: 'us',
      conditions: '["and", ["or", {"name": "country", "type": "custom_attribute", "value": "us"}]]',
    },
    {
      id: '2',
      name: 'female',
      conditions: '["or", {"name": "gender", "type": "custom_attribute", "value": "f"}]',
    },
    {
      id: '3',
      name: 'adult',
      conditions: '["or", {"name": "age", "type": "custom_attribute", "match": "ge", "value": 18.0}]',
    },
    { id: '11', name: 'legacy fr', conditions: '["or"]' },
    {
      id: '$opt_dummy_audience',
      name: 'Optimizely-Generated Audience for Backwards Compatibility',
      conditions:
        '["or", {"match": "exact", "name": "$opt_dummy_attribute", "type": "custom_attribute", "value": "$opt_dummy_value"}]',
    },
  ],
  typedAudiences: [
    {
      id: '11',
      name: 'fr',
      conditions: ['and', { name: 'country', type: 'custom_attribute', match: 'exact', value: 'fr' }],
    },
    { id: '12', name: 'male', conditions: { name: 'gender', type: 'custom_attribute', value: 'm' } },
    {
      id: '13',
      name: 'kid',
      conditions: ['or', ['not', { name: 'age', type: 'custom_attribute', match: 'ge', value: 12 }]],
    },
  ],
};

describe('createOptimizelyConfig: audiences of a rule', () => {
  const cases: [string, unknown, string][] = [
    ['or', ['or', '1', '2'], '"us" OR "female"'],
    ['not', ['not', '1'], 'NOT "us"'],
    ['a single id', ['or', '1'], '"us"'],
    [
      'nested operators',
      ['and', ['or', '1', ['and', '2', '3']], ['and', '11', ['or', '12', '13']]],
      '("us" OR ("female" AND "adult")) AND ("fr" AND ("male" OR "kid"))',
    ],
    ['an implicit or', ['1', '2'], '"us" OR "female"'],
    ['an unknown id (written as the id)', ['and', '1', 'nope'], '"us" AND "nope"'],
    ['not over a list', ['not', ['or', '1', '2']], 'NOT ("us" OR "female")'],
    ['an empty list', [], ''],
    ['a bare operator', ['and'], ''],
    ['operators in the middle of a list', ['1', 'and', '2', 'or', '3'], '"us" AND "female" OR "adult"'],
    ['a list in a list', [['1', '2']], '("us" OR "female")'],
    ['not with two ids', ['not', '1', '2'], 'NOT "us" NOT "female"'],
    ['an empty sub-list', ['and', [], '1'], '() AND "us"'],
    ['a nested not after an unknown id', ['or', 'nope', ['not', '12']], '"nope" OR (NOT "male")'],
    ['an upper-case operator (an id)', ['AND', '1'], '"AND" OR "us"'],
    ['double negation', ['not', ['not', '1']], 'NOT (NOT "us")'],
    ['an operator after a sub-list', ['or', ['not', '1'], 'and', '2'], '(NOT "us") AND "female"'],
    ['the typed audience wins over the legacy one', ['or', '11'], '"fr"'],
    [
      'the dummy audience still has a name',
      ['and', '$opt_dummy_audience'],
      '"Optimizely-Generated Audience for Backwards Compatibility"',
    ],
  ];

  it.each(cases)('serialises %s', (_name, audienceConditions, expected) => {
    const df = datafile({
      ...audienceDefinitions,
      experiments: [
        experiment('100', 'exp', [variation('1000', 'v')], { audienceConditions, audienceIds: ['1'] }),
      ],
    });
    expect(build(df).experimentsMap.exp?.audiences).toBe(expected);
  });

  it('gives an empty string when the rule only has audienceIds', () => {
    const df = datafile({
      ...audienceDefinitions,
      experiments: [experiment('100', 'exp', [variation('1000', 'v')], { audienceIds: ['1', '2'] })],
    });
    expect(build(df).experimentsMap.exp?.audiences).toBe('');
  });

  it('writes NOT before an unknown id instead of failing (the reference throws here)', () => {
    const df = datafile({
      experiments: [
        experiment('100', 'exp', [variation('1000', 'v')], { audienceConditions: ['not', 'nope'] }),
      ],
    });
    expect(build(df).experimentsMap.exp?.audiences).toBe('NOT "nope"');
  });

  it('writes "undefined" for an audience without a name, as the reference does', () => {
    const df = datafile({
      typedAudiences: [{ id: '5', conditions: ['or'] }],
      experiments: [
        experiment('100', 'exp', [variation('1000', 'v')], { audienceConditions: ['and', '5', '5'] }),
      ],
    });
    expect(build(df).experimentsMap.exp?.audiences).toBe('"undefined" AND "undefined"');
  });
});

describe('createOptimizelyConfig: audiences list', () => {
  it('lists typed audiences, then legacy ones not overridden, without the dummy audience', () => {
    const config = build(datafile(audienceDefinitions));
    expect(config.audiences).toStrictEqual([
      {
        id: '11',
        conditions: '["and",{"name":"country","type":"custom_attribute","match":"exact","value":"fr"}]',
        name: 'fr',
      },
      { id: '12', conditions: '{"name":"gender","type":"custom_attribute","value":"m"}', name: 'male' },
      {
        id: '13',
        conditions: '["or",["not",{"name":"age","type":"custom_attribute","match":"ge","value":12}]]',
        name: 'kid',
      },
      {
        id: '1',
        conditions: '["and",["or",{"name":"country","type":"custom_attribute","value":"us"}]]',
        name: 'us',
      },
      {
        id: '2',
        conditions: '["or",{"name":"gender","type":"custom_attribute","value":"f"}]',
        name: 'female',
      },
      // Legacy condition text is parsed and re-serialised: 18.0 becomes 18.
      {
        id: '3',
        conditions: '["or",{"name":"age","type":"custom_attribute","match":"ge","value":18}]',
        name: 'adult',
      },
    ]);
  });
});

// One flag with every variable type, two experiment rules, a rollout, plus a legacy experiment.
const variablesDatafile = datafile({
  featureFlags: [
    {
      id: 'f1',
      key: 'checkout',
      rolloutId: 'r1',
      experimentIds: ['100', '101'],
      variables: [
        { id: 'v1', key: 'label', type: 'string', defaultValue: 'Buy' },
        { id: 'v2', key: 'config', type: 'string', subType: 'json', defaultValue: '{"a":1}' },
        { id: 'v3', key: 'count', type: 'integer', defaultValue: '1' },
      ],
    },
    {
      id: 'f2',
      key: 'banner',
      rolloutId: '',
      experimentIds: [],
      variables: [{ id: 'w1', key: 'ratio', type: 'double', defaultValue: '0.5' }],
    },
  ],
  experiments: [
    experiment('100', 'checkout_test', [
      variation('1', 'on', true, [
        { id: 'v1', value: 'Pay now' },
        { id: 'v2', value: '{"b":2}' },
      ]),
      variation('2', 'off', false, [{ id: 'v1', value: 'ignored' }]),
      variation('3', 'plain', true),
    ]),
    experiment('101', 'cross_flag', [variation('4', 'x', true, [{ id: 'w1', value: '0.9' }])]),
    experiment('102', 'legacy', [
      variation('5', 'l1'),
      variation('6', 'l2', true, [{ id: 'v3', value: '7' }]),
    ]),
  ],
  rollouts: [
    {
      id: 'r1',
      experiments: [
        experiment('300', 'targeted', [variation('30', 'rollout_on', true, [{ id: 'v3', value: '42' }])], {
          audienceConditions: ['or', '1'],
        }),
        experiment('301', 'everyone_else', [
          variation('31', 'rollout_off', false, [{ id: 'v3', value: '43' }]),
        ]),
      ],
    },
  ],
  audiences: [{ id: '1', name: 'us', conditions: '["or"]' }],
});

const defaults = {
  label: { id: 'v1', key: 'label', type: 'string', value: 'Buy' },
  config: { id: 'v2', key: 'config', type: 'json', value: '{"a":1}' },
  count: { id: 'v3', key: 'count', type: 'integer', value: '1' },
};

describe('createOptimizelyConfig: variables', () => {
  const config = build(variablesDatafile);

  it('resolves variation values, falling back to defaults when the variation is off or silent', () => {
    expect(config.experimentsMap.checkout_test).toStrictEqual({
      id: '100',
      key: 'checkout_test',
      audiences: '',
      variationsMap: {
        on: {
          id: '1',
          key: 'on',
          featureEnabled: true,
          variablesMap: {
            label: { id: 'v1', key: 'label', type: 'string', value: 'Pay now' },
            config: { id: 'v2', key: 'config', type: 'json', value: '{"b":2}' },
            count: defaults.count,
          },
        },
        off: { id: '2', key: 'off', featureEnabled: false, variablesMap: defaults },
        plain: { id: '3', key: 'plain', featureEnabled: true, variablesMap: defaults },
      },
    });
  });

  it("adds a value for another flag's variable on top of the rule's flag variables", () => {
    expect(config.experimentsMap.cross_flag?.variationsMap.x?.variablesMap).toStrictEqual({
      ...defaults,
      ratio: { id: 'w1', key: 'ratio', type: 'double', value: '0.9' },
    });
  });

  it('gives experiments outside any flag only the variables their variations set', () => {
    expect(config.experimentsMap.legacy).toStrictEqual({
      id: '102',
      key: 'legacy',
      audiences: '',
      variationsMap: {
        l1: { id: '5', key: 'l1', featureEnabled: undefined, variablesMap: {} },
        l2: {
          id: '6',
          key: 'l2',
          featureEnabled: true,
          variablesMap: { count: { id: 'v3', key: 'count', type: 'integer', value: '7' } },
        },
      },
    });
    // featureEnabled is present even when the datafile leaves it out, as in the reference.
    expect(Object.keys(config.experimentsMap.legacy?.variationsMap.l1 ?? {})).toEqual([
      'id',
      'key',
      'featureEnabled',
      'variablesMap',
    ]);
  });

  it('lists the flag variables with their defaults on the feature', () => {
    expect(config.featuresMap.checkout?.variablesMap).toStrictEqual(defaults);
    expect(config.featuresMap.banner?.variablesMap).toStrictEqual({
      ratio: { id: 'w1', key: 'ratio', type: 'double', value: '0.5' },
    });
  });
});

describe('createOptimizelyConfig: features', () => {
  const config = build(variablesDatafile);

  it('lists experiment rules in datafile order, keyed the same way in experimentsMap', () => {
    const feature = config.featuresMap.checkout;
    expect(feature?.id).toBe('f1');
    expect(feature?.key).toBe('checkout');
    expect(feature?.experimentRules.map((r) => r.key)).toEqual(['checkout_test', 'cross_flag']);
    expect(Object.keys(feature?.experimentsMap ?? {})).toEqual(['checkout_test', 'cross_flag']);
    // Rules are the same objects as in the top-level experimentsMap, as in the reference.
    expect(feature?.experimentRules[0]).toBe(config.experimentsMap.checkout_test);
  });

  it('builds delivery rules from the rollout, resolving variables against the flag', () => {
    expect(config.featuresMap.checkout?.deliveryRules).toStrictEqual([
      {
        id: '300',
        key: 'targeted',
        audiences: '"us"',
        variationsMap: {
          rollout_on: {
            id: '30',
            key: 'rollout_on',
            featureEnabled: true,
            variablesMap: { ...defaults, count: { id: 'v3', key: 'count', type: 'integer', value: '42' } },
          },
        },
      },
      {
        id: '301',
        key: 'everyone_else',
        audiences: '',
        variationsMap: {
          rollout_off: { id: '31', key: 'rollout_off', featureEnabled: false, variablesMap: defaults },
        },
      },
    ]);
    expect(config.featuresMap.banner?.deliveryRules).toEqual([]);
    expect(config.featuresMap.banner?.experimentRules).toEqual([]);
  });

  it('keeps rollout rules out of experimentsMap', () => {
    expect(Object.keys(config.experimentsMap)).toEqual(['checkout_test', 'cross_flag', 'legacy']);
  });

  it('shows the Everyone Else variation in feature-rollout (fr) experiments', () => {
    const df = datafile({
      featureFlags: [
        {
          id: 'f1',
          key: 'flag',
          rolloutId: 'r1',
          experimentIds: ['100'],
          variables: [{ id: 'v', key: 'v', type: 'boolean', defaultValue: 'false' }],
        },
      ],
      experiments: [
        experiment('100', 'fr_rule', [variation('1', 'on', true, [{ id: 'v', value: 'true' }])], {
          type: 'fr',
        }),
      ],
      rollouts: [
        { id: 'r1', experiments: [experiment('300', 'default-rollout', [variation('30', 'off', false)])] },
      ],
    });
    const rule = build(df).featuresMap.flag?.experimentRules[0];
    expect(Object.keys(rule?.variationsMap ?? {})).toEqual(['on', 'off']);
    expect(rule?.variationsMap.off).toStrictEqual({
      id: '30',
      key: 'off',
      featureEnabled: false,
      variablesMap: { v: { id: 'v', key: 'v', type: 'boolean', value: 'false' } },
    });
  });
});

describe('createOptimizelyConfig: experimentsMap', () => {
  const df = datafile({
    experiments: [
      experiment('100', 'same', [variation('1', 'a')]),
      experiment('101', 'other', [variation('2', 'b')]),
    ],
    groups: [
      {
        id: 'g',
        policy: 'random',
        trafficAllocation: [],
        experiments: [experiment('102', 'same', [variation('3', 'c')])],
      },
    ],
    rollouts: [{ id: 'r', experiments: [experiment('101', 'rule', [variation('4', 'd')])] }],
  });

  it('includes group experiments, keeps the last of duplicate keys and warns about them', () => {
    const messages: [LogLevel, string][] = [];
    const logger = {
      isEnabled: () => true,
      log: (level: LogLevel, message: string) => void messages.push([level, message]),
    };
    const config = createOptimizelyConfig(createProjectConfig(JSON.stringify(df)), { logger });
    expect(Object.keys(config.experimentsMap)).toEqual(['same']);
    expect(config.experimentsMap.same?.id).toBe('102');
    expect(messages).toEqual([['warn', 'Duplicate experiment keys found in datafile: same']]);
  });

  it('leaves out an experiment whose id is also a rollout rule id', () => {
    expect(build(df).experimentsMap.other).toBeUndefined();
  });
});

describe('createOptimizelyConfig: top level', () => {
  it('copies keys, attributes and events', () => {
    const df = datafile({
      attributes: [{ id: 'a1', key: 'country' }],
      events: [{ id: 'e1', key: 'purchase', experimentIds: ['100'] }],
    });
    const config = build(df);
    expect({ ...config }).toStrictEqual({
      sdkKey: 'sdk-key',
      environmentKey: 'production',
      attributes: [{ id: 'a1', key: 'country' }],
      audiences: [],
      events: [{ id: 'e1', key: 'purchase', experimentIds: ['100'] }],
      revision: '42',
      experimentsMap: {},
      featuresMap: {},
    });
  });

  it('defaults missing keys to empty strings and missing lists to empty', () => {
    const df = datafile({ version: '2' });
    delete df.sdkKey;
    delete df.environmentKey;
    delete df.featureFlags;
    const config = build(df);
    expect(config.sdkKey).toBe('');
    expect(config.environmentKey).toBe('');
    expect(config.featuresMap).toEqual({});
  });

  it('returns the original datafile text from getDatafile, kept out of keys and JSON', () => {
    const text = `{ "version": "4", "accountId": "acc", "projectId": "proj", "revision": "1",
      "experiments": [], "groups": [], "audiences": [], "attributes": [], "events": [] }`;
    const config = createOptimizelyConfig(createProjectConfig(text));
    expect(config.getDatafile()).toBe(text);
    expect(Object.keys(config)).not.toContain('getDatafile');
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      sdkKey: '',
      environmentKey: '',
      attributes: [],
      audiences: [],
      events: [],
      revision: '1',
      experimentsMap: {},
      featuresMap: {},
    });
  });

  it('stores a __proto__ key from the datafile as an own property', () => {
    const df = datafile({
      featureFlags: [
        {
          id: 'f',
          key: '__proto__',
          rolloutId: '',
          experimentIds: ['1'],
          variables: [{ id: 'x', key: '__proto__', type: 'string', defaultValue: 'd' }],
        },
      ],
      experiments: [experiment('1', '__proto__', [variation('2', '__proto__', true)])],
    });
    const config = build(df);
    const own = <T>(map: { [key: string]: T } | undefined): T | undefined =>
      map && Object.hasOwn(map, '__proto__')
        ? Object.getOwnPropertyDescriptor(map, '__proto__')?.value
        : undefined;
    const feature = own(config.featuresMap);
    const rule = own(config.experimentsMap);
    for (const map of [
      config.featuresMap,
      config.experimentsMap,
      rule?.variationsMap,
      feature?.variablesMap,
    ]) {
      expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
      expect(Object.keys(map ?? {})).toEqual(['__proto__']);
    }
    expect(feature?.id).toBe('f');
    expect(feature?.experimentRules[0]).toBe(rule);
    expect(own(rule?.variationsMap)?.id).toBe('2');
    expect(own(feature?.variablesMap)?.value).toBe('d');
  });

  it('never modifies the project config and returns fresh objects', () => {
    const deepFreeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) {
        for (const child of Object.values(value)) deepFreeze(child);
        Object.freeze(value);
      }
      return value;
    };
    const input = deepFreeze(structuredClone(variablesDatafile));
    const before = JSON.stringify(input);
    const projectConfig = createProjectConfig(input);
    const first = createOptimizelyConfig(projectConfig);
    const second = createOptimizelyConfig(projectConfig);
    expect(JSON.stringify(input)).toBe(before);
    expect(second).toStrictEqual(first);
    expect(second.experimentsMap).not.toBe(first.experimentsMap);
    expect(second.attributes).not.toBe(first.attributes);
    first.events.push({ id: 'x', key: 'x', experimentIds: [] });
    expect(createOptimizelyConfig(projectConfig).events).toEqual([]);
  });
});
