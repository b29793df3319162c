import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  attributeCondition,
  datafile,
  deepFreeze,
  flag,
  group,
  holdout,
  type Json,
  legacyAudience,
  rollout,
  rule,
  typedAudience,
  variable,
  variation,
} from '../../test-support/datafile-builder';
import { type EvaluationUser, NO_ATTRIBUTE } from '../audience/evaluation-user';
import { DatafileError } from '../errors/datafile-error';
import type { Logger, LogLevel } from '../ports/logger';
import { createProjectConfig } from './create-project-config';

// Datafile mutations below reach into arbitrary depths of plain JSON.
// biome-ignore lint/suspicious/noExplicitAny: test-only access to untyped JSON
type Loose = any;

function recordingLogger(): Logger & { lines: [LogLevel, string][] } {
  const lines: [LogLevel, string][] = [];
  return { lines, isEnabled: () => true, log: (level, message) => void lines.push([level, message]) };
}

function user(attributes: Record<string, unknown>, segments: string[] = []): EvaluationUser {
  return {
    attribute: (key) => (Object.hasOwn(attributes, key) ? attributes[key] : NO_ATTRIBUTE),
    isQualifiedFor: (segment) => segments.includes(segment),
  };
}

function datafileError(input: unknown): DatafileError {
  try {
    createProjectConfig(input as string);
  } catch (error) {
    expect(error).toBeInstanceOf(DatafileError);
    return error as DatafileError;
  }
  throw new Error('expected createProjectConfig to throw');
}

/** A datafile with a feature-rollout rule, a mutex group, legacy and typed audiences and holdouts. */
function richDatafile(): Json {
  return datafile({
    experiments: [
      rule('fr1', 'feature_rollout', [variation('frv1', 'fr_on', true, { var1: 'fr' })], {
        type: 'fr',
        traffic: [['frv1', 3000]],
      }),
      rule('e1', 'ab_test', [variation('v1', 'control', false), variation('v2', 'treatment', true)], {
        type: 'ab',
        audienceIds: ['1'],
        forcedVariations: { alice: 'control' },
      }),
    ],
    groups: [
      group(
        'g1',
        'random',
        [
          ['ge1', 5000],
          ['ge2', 10000],
        ],
        [
          rule('ge1', 'grouped_1', [variation('gv1', 'g1v')]),
          rule('ge2', 'grouped_2', [variation('gv2', 'g2v')]),
        ],
      ),
      group('g2', 'overlapping', [], [rule('oe1', 'overlapping_1', [variation('ov1', 'o1v')])]),
    ],
    featureFlags: [
      flag('f1', 'flag_fr', {
        experimentIds: ['fr1'],
        rolloutId: 'ro1',
        variables: [
          variable('var1', 'text', 'string', 'default'),
          variable('var2', 'cfg', 'string', '{"a":1}', 'json'),
        ],
      }),
      flag('f2', 'flag_ab', { experimentIds: ['e1', 'ge1'], rolloutId: 'ro2' }),
    ],
    rollouts: [
      rollout('ro1', [
        rule('r1', 'targeted', [variation('rv1', 'targeted_on')], { audienceIds: ['2'] }),
        rule('r2', 'everyone_else', [variation('rv2', 'everyone_off', false), variation('rv3', 'second')]),
      ]),
      rollout('ro2', [rule('r3', 'ro2_everyone', [variation('rv4', 'ro2_on')])]),
    ],
    audiences: [
      legacyAudience('1', 'legacy us', ['and', ['or', attributeCondition('country', 'us')]]),
      legacyAudience('2', 'legacy overridden', ['or', attributeCondition('country', 'us')]),
    ],
    typedAudiences: [typedAudience('2', 'typed fr', ['or', attributeCondition('country', 'fr')])],
    attributes: [{ id: 'att1', key: 'country' }],
    events: [{ id: 'ev1', key: 'purchase', experimentIds: ['e1'] }],
    holdouts: [holdout('h1', 'global_holdout', { includedRules: ['e1'], excludeTargetedDeliveries: true })],
    localHoldouts: [
      holdout('h2', 'local_holdout', { includedRules: ['e1', 'r1'], excludeTargetedDeliveries: true }),
      holdout('h3', 'local_no_rules'),
      holdout('h4', 'local_empty_rules', { includedRules: [] }),
    ],
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createProjectConfig: input handling', () => {
  it('rejects text that is not JSON with an empty path and the SyntaxError as cause', () => {
    const error = datafileError('{"version": "4",');
    expect(error.path).toBe('');
    expect(error.message).toBe('Invalid datafile: the datafile is not valid JSON');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['undefined', undefined],
  ])('rejects %s as input', (_label, input) => {
    expect(datafileError(input).path).toBe('');
  });

  it.each([
    ['the number 4', 4],
    ['"5"', '5'],
  ])('rejects version %s, given as text or as an object', (_label, version) => {
    const df = datafile({ version });
    expect(datafileError(JSON.stringify(df)).path).toBe('version');
    expect(datafileError(df).path).toBe('version');
  });

  it('names nested fields in its errors', () => {
    const badVariable = datafile({
      featureFlags: [
        flag('f', 'f', {
          variables: [variable('a', 'a', 'string', ''), { id: 'b', key: 'b', defaultValue: '' }],
        }),
      ],
    });
    expect(datafileError(badVariable).path).toBe('featureFlags[0].variables[1].type');
    const badRange = datafile({
      experiments: [rule('e', 'e', [variation('v', 'v')], { traffic: [['v', '10' as never]] })],
    });
    expect(datafileError(badRange).path).toBe('experiments[0].trafficAllocation[0].endOfRange');
  });

  it('rejects a flag whose experimentIds name no experiment (the reference fails on it too)', () => {
    const df = datafile({ featureFlags: [flag('f', 'f', { experimentIds: ['missing'] })] });
    const error = datafileError(df);
    expect(error.path).toBe('featureFlags[0].experimentIds[0]');
  });

  it('accepts a flag listing a rollout rule among its experiments, and still rejects a later unknown id', () => {
    const rules = [rollout('ro', [rule('r1', 'rule', [variation('rv', 'on')])])];
    const ok = createProjectConfig(
      datafile({ featureFlags: [flag('f', 'f', { experimentIds: ['r1'] })], rollouts: rules }),
    );
    expect(ok.flagsByKey.get('f')!.experimentRules.map((r) => r.id)).toEqual(['r1']);
    const bad = datafile({
      featureFlags: [
        flag('f', 'f', { experimentIds: ['r1'] }),
        flag('g', 'g', { experimentIds: ['r1', 'nope'] }),
      ],
      rollouts: rules,
    });
    expect(datafileError(bad).path).toBe('featureFlags[1].experimentIds[1]');
  });

  it('keeps JSON text verbatim and serialises an object for getDatafile()', () => {
    const text = JSON.stringify(datafile(), null, 2);
    expect(createProjectConfig(text).datafileText).toBe(text);
    const object = datafile({ revision: '9' });
    expect(JSON.parse(createProjectConfig(object).datafileText)).toEqual(object);
  });

  it('applies the reference defaults for optional top-level fields', () => {
    const config = createProjectConfig({ version: '4', accountId: 'a', projectId: 'p', revision: '3' });
    expect(config.region).toBe('US');
    expect(config.sendFlagDecisions).toBe(false);
    expect(config.anonymizeIP).toBe(false);
    expect(config.botFiltering).toBeUndefined();
    expect(config.sdkKey).toBe('');
    expect(config.flags).toEqual([]);
    const explicit = createProjectConfig(
      datafile({ region: 'EU', botFiltering: false, sendFlagDecisions: true }),
    );
    expect(explicit.region).toBe('EU');
    expect(explicit.botFiltering).toBe(false);
    expect(explicit.sendFlagDecisions).toBe(true);
  });

  it('does not mutate the caller’s datafile object', () => {
    const input = deepFreeze(richDatafile());
    const before = structuredClone(input);
    // A frozen input makes any in-place write throw in strict mode; the comparison catches the rest.
    const config = createProjectConfig(input);
    expect(input).toEqual(before);
    // The fr injection happened on FlagKit's own copy only.
    expect(config.experimentsById.get('fr1')!.variations.map((v) => v.key)).toEqual([
      'fr_on',
      'everyone_off',
    ]);
    const rawFr = (input.experiments as Json[])[0]!;
    expect((rawFr.variations as Json[]).length).toBe(1);
  });

  it('compiles from its own copy: later changes to the caller’s object do not reach it', () => {
    const input: Loose = richDatafile();
    const config = createProjectConfig(input);
    // Nothing has been compiled yet; change the caller's object before anything is.
    input.experiments[0].key = 'changed';
    input.experiments[0].variations[0].key = 'changed';
    input.featureFlags.length = 0;
    expect(config.experimentsById.get('fr1')!.key).not.toBe('changed');
    expect(config.experimentsById.get('fr1')!.variations[0]!.key).toBe('fr_on');
    expect(config.flagsByKey.has('flag_fr')).toBe(true);
  });

  it('compiles an entity once, on first use, and hands out the same object after', () => {
    const config = createProjectConfig(richDatafile());
    const fr1 = config.experimentsById.get('fr1')!;
    expect(config.experimentsById.get('fr1')).toBe(fr1);
    expect(config.flagsByKey.get('flag_fr')!.experimentRules[0]).toBe(fr1);
    expect([...config.experimentsById.values()]).toContain(fr1);
    expect(config.variationsById.get(fr1.variations[0]!.id)).toBe(fr1.variations[0]);
    expect(config.flags).toBe(config.flags);
  });

  it('builds identical configs from the same object twice (nothing carried over between parses)', () => {
    const input = richDatafile();
    const first = createProjectConfig(input);
    const second = createProjectConfig(input);
    expect(second.experimentsById.get('fr1')!.variations.length).toBe(
      first.experimentsById.get('fr1')!.variations.length,
    );
    expect(second.experimentsById.get('fr1')!.trafficAllocation).toEqual(
      first.experimentsById.get('fr1')!.trafficAllocation,
    );
  });

  it('throws only DatafileError when any one field of a valid datafile is removed or replaced', () => {
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
    walk(richDatafile(), []);
    const replacements: unknown[] = [
      undefined,
      null,
      0,
      5,
      -1,
      '',
      'x',
      true,
      [],
      {},
      [1],
      ['x'],
      [null],
      { a: 1 },
    ];
    const failures: string[] = [];
    for (const path of paths) {
      for (const replacement of replacements) {
        const df = richDatafile() as Record<string | number, Loose>;
        let parent = df;
        for (const key of path.slice(0, -1)) parent = parent[key];
        const last = path[path.length - 1]!;
        if (replacement === undefined) {
          // Removing an array element would leave a hole, which JSON cannot express.
          if (Array.isArray(parent)) continue;
          delete parent[last];
        }
        if (replacement !== undefined) parent[last] = replacement;
        try {
          createProjectConfig(df);
        } catch (error) {
          if (!(error instanceof DatafileError))
            failures.push(`${path.join('.')} = ${JSON.stringify(replacement)}: ${error}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('createProjectConfig: audiences', () => {
  it('parses each legacy condition string once, at config creation', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const config = createProjectConfig(richDatafile());
    // Two legacy audiences, each parsed exactly once; an object input needs no other parse.
    expect(parse).toHaveBeenCalledTimes(2);
    const audience = config.audiencesById.get('1')!;
    expect(audience(user({ country: 'us' }))).toBe(true);
    expect(audience(user({ country: 'de' }))).toBe(false);
    expect(audience(user({}))).toBeNull();
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('parses a legacy string repeated by several audiences once, and each still evaluates it', () => {
    const conditions = JSON.stringify(['or', attributeCondition('country', 'us')]);
    const df = datafile({
      audiences: [
        { id: 'a', name: 'a', conditions },
        { id: 'b', name: 'b', conditions },
        { id: 'c', name: 'c', conditions: '["or", {' },
      ],
    });
    expect(datafileError(df).path).toBe('audiences[2].conditions');
    (df.audiences as Json[]).pop();
    const parse = vi.spyOn(JSON, 'parse');
    const config = createProjectConfig(df);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(config.audiencesById.get('a')!(user({ country: 'us' }))).toBe(true);
    expect(config.audiencesById.get('b')!(user({ country: 'de' }))).toBe(false);
  });

  it('lets a typed audience override a legacy audience with the same id', () => {
    const config = createProjectConfig(richDatafile());
    const audience = config.audiencesById.get('2')!;
    expect(audience(user({ country: 'fr' }))).toBe(true);
    expect(audience(user({ country: 'us' }))).toBe(false);
    // The rollout rule targeting audience "2" uses the typed definition.
    const targeted = config.experimentsById.get('r1')!;
    expect(targeted.audience!(user({ country: 'fr' }))).toBe(true);
    expect(targeted.audience!(user({ country: 'us' }))).toBe(false);
  });

  it('rejects a legacy condition string that is not JSON, naming the audience', () => {
    const df = datafile({ audiences: [{ id: '1', name: 'broken', conditions: '["or", {' }] });
    expect(datafileError(df).path).toBe('audiences[0].conditions');
  });

  it('treats a rule without audiences as open to everyone and an unknown audience id as a miss', () => {
    const config = createProjectConfig(
      datafile({
        experiments: [
          rule('open', 'open', [variation('v1', 'a')]),
          rule('unknown', 'unknown', [variation('v2', 'b')], { audienceIds: ['nope'] }),
        ],
      }),
    );
    expect(config.experimentsById.get('open')!.audience).toBeNull();
    expect(config.experimentsById.get('unknown')!.audience!(user({}))).toBeNull();
  });
});

describe('createProjectConfig: experiments, groups and rollouts', () => {
  const config = createProjectConfig(richDatafile());

  it('indexes top-level, grouped and rollout experiments by id and key', () => {
    for (const id of ['fr1', 'e1', 'ge1', 'ge2', 'oe1', 'r1', 'r2', 'r3']) {
      const experiment = config.experimentsById.get(id);
      expect(experiment?.id).toBe(id);
      expect(config.experimentsByKey.get(experiment!.key)).toBe(experiment);
    }
  });

  it('indexes groups and links their experiments; only a random policy buckets through the group', () => {
    expect(config.groupsById.get('g1')).toEqual({
      id: 'g1',
      policy: 'random',
      trafficAllocation: [
        { entityId: 'ge1', endOfRange: 5000 },
        { entityId: 'ge2', endOfRange: 10000 },
      ],
    });
    expect(config.experimentsById.get('ge1')!.groupId).toBe('g1');
    expect(config.experimentsById.get('ge1')!.group).toBe(config.groupsById.get('g1'));
    expect(config.experimentsById.get('oe1')!.groupId).toBe('g2');
    expect(config.experimentsById.get('oe1')!.group).toBeNull();
    expect(config.experimentsById.get('e1')!.group).toBeNull();
  });

  it('indexes rollouts, marks their rules and attaches them to flags', () => {
    const ro1 = config.rolloutsById.get('ro1')!;
    expect(ro1.rules.map((r) => r.key)).toEqual(['targeted', 'everyone_else']);
    expect(ro1.rules.every((r) => r.isRollout)).toBe(true);
    expect(config.experimentsById.get('e1')!.isRollout).toBe(false);
    const flagFr = config.flagsByKey.get('flag_fr')!;
    expect(flagFr.rolloutRules).toBe(ro1.rules);
    expect(flagFr.rolloutState).toBe('ok');
    expect(flagFr.experimentRules.map((r) => r.id)).toEqual(['fr1']);
  });

  it('records why a flag has no delivery rules', () => {
    const states = createProjectConfig(
      datafile({
        featureFlags: [
          flag('f1', 'none'),
          flag('f2', 'missing', { rolloutId: 'nope' }),
          flag('f3', 'empty', { rolloutId: 'ro-empty' }),
        ],
        rollouts: [rollout('ro-empty', [])],
      }),
    );
    expect(states.flags.map((f) => [f.key, f.rolloutState])).toEqual([
      ['none', 'none'],
      ['missing', 'missing'],
      ['empty', 'empty'],
    ]);
  });

  it('marks experiments used by a flag as feature experiments', () => {
    expect(config.experimentsById.get('e1')!.isFeatureExperiment).toBe(true);
    expect(config.experimentsById.get('ge2')!.isFeatureExperiment).toBe(false);
  });

  it('reads the whitelist, running state and variable values of each variation', () => {
    const e1 = config.experimentsById.get('e1')!;
    expect(e1.forcedVariations.get('alice')).toBe('control');
    expect(e1.isRunning).toBe(true);
    expect(new Map(config.variationsById.get('frv1')!.variableValues!)).toEqual(new Map([['var1', 'fr']]));
    expect(config.variationsById.get('v1')!.variableValues).toBeNull();
    expect(config.variationsById.get('v1')!.featureEnabled).toBe(false);
  });

  it('decides whether a rule is running by its key, as the reference does (last definition wins)', () => {
    const dup = createProjectConfig(
      datafile({
        experiments: [rule('a', 'same_key', [variation('v1', 'x')])],
        rollouts: [rollout('ro', [rule('b', 'same_key', [variation('v2', 'y')], { status: 'Paused' })])],
      }),
    );
    expect(dup.experimentsById.get('a')!.isRunning).toBe(false);
    expect(dup.experimentsByKey.get('same_key')!.id).toBe('b');
  });

  it('accepts a flag without a variables list, giving it no variables', () => {
    const noVariables = createProjectConfig(
      datafile({ featureFlags: [{ id: 'f', key: 'f', rolloutId: '', experimentIds: [] }] }),
    );
    expect(noVariables.flagsByKey.get('f')!.variables).toEqual([]);
  });

  it('promotes string variables with subType json to json', () => {
    const flagFr = config.flagsByKey.get('flag_fr')!;
    expect(flagFr.variablesByKey.get('cfg')!.type).toBe('json');
    expect(flagFr.variablesByKey.get('text')!.type).toBe('string');
  });
});

describe('createProjectConfig: feature rollout (fr) rules', () => {
  const config = createProjectConfig(richDatafile());

  it('appends the Everyone Else variation and a range ending at 10000 to fr rules', () => {
    const fr = config.experimentsById.get('fr1')!;
    expect(fr.variations.map((v) => v.id)).toEqual(['frv1', 'rv2']);
    expect(fr.trafficAllocation).toEqual([
      { entityId: 'frv1', endOfRange: 3000 },
      { entityId: 'rv2', endOfRange: 10000 },
    ]);
    expect(fr.variationsByKey.get('everyone_off')).toBe(config.variationsById.get('rv2'));
  });

  it('uses the first variation of the last rollout rule only', () => {
    const fr = config.experimentsById.get('fr1')!;
    expect(fr.variationsByKey.has('second')).toBe(false);
    expect(fr.variationsByKey.has('targeted_on')).toBe(false);
  });

  it('leaves other experiment types alone', () => {
    const ab = config.experimentsById.get('e1')!;
    expect(ab.variations.map((v) => v.id)).toEqual(['v1', 'v2']);
    expect(ab.trafficAllocation).toHaveLength(1);
  });

  it('adds nothing to an fr rule whose flag has no rollout', () => {
    const noRollout = createProjectConfig(
      datafile({
        experiments: [rule('fr', 'fr', [variation('v', 'on')], { type: 'fr', traffic: [['v', 100]] })],
        featureFlags: [flag('f', 'f', { experimentIds: ['fr'] })],
      }),
    );
    expect(noRollout.experimentsById.get('fr')!.trafficAllocation).toEqual([
      { entityId: 'v', endOfRange: 100 },
    ]);
  });

  it('lets a forced decision on the flag select any variation of any of its rules', () => {
    const flagFr = config.flagsByKey.get('flag_fr')!;
    expect([...flagFr.variationsByKey.keys()].sort()).toEqual([
      'everyone_off',
      'fr_on',
      'second',
      'targeted_on',
    ]);
  });
});

describe('createProjectConfig: holdouts', () => {
  it('treats every entry of `holdouts` as global and drops its includedRules', () => {
    const config = createProjectConfig(richDatafile());
    expect(config.globalHoldouts.map((h) => h.key)).toEqual(['global_holdout']);
    const global = config.globalHoldouts[0]!;
    expect(global.isGlobal).toBe(true);
    expect(global.includedRules).toEqual([]);
    expect(global.excludeTargetedDeliveries).toBe(true);
    expect(global.layerId).toBe('');
    expect(config.holdoutsById.get('h1')).toBe(global);
    expect(config.variationsById.get('h1-off')).toBe(global.variations[0]);
  });

  it('attaches local holdouts to the rules they include and ignores their excludeTargetedDeliveries', () => {
    const config = createProjectConfig(richDatafile());
    const local = config.holdoutsById.get('h2')!;
    expect(local.isGlobal).toBe(false);
    expect(local.includedRules).toEqual(['e1', 'r1']);
    expect(local.excludeTargetedDeliveries).toBe(false);
    expect(config.experimentsById.get('e1')!.localHoldouts).toEqual([local]);
    expect(config.experimentsById.get('r1')!.localHoldouts).toEqual([local]);
    expect(config.experimentsById.get('r2')!.localHoldouts).toEqual([]);
    expect(config.globalHoldouts).not.toContain(local);
  });

  it('ignores and logs local holdouts without includedRules', () => {
    const logger = recordingLogger();
    const config = createProjectConfig(richDatafile(), { logger });
    expect(config.holdoutsById.has('h3')).toBe(false);
    expect(config.holdoutsById.has('h4')).toBe(false);
    expect(config.variationsById.has('h3-off')).toBe(false);
    const errors = logger.lines.filter(([level]) => level === 'error').map(([, message]) => message);
    expect(errors.some((m) => m.includes('local_no_rules'))).toBe(true);
    expect(errors.some((m) => m.includes('local_empty_rules'))).toBe(true);
  });

  it('skips a holdout that is not running only at decision time, keeping it indexed', () => {
    const config = createProjectConfig(datafile({ holdouts: [holdout('h', 'paused', { status: 'Draft' })] }));
    expect(config.holdoutsById.get('h')!.isRunning).toBe(false);
  });
});

describe('createProjectConfig: prototype-named keys', () => {
  const text = JSON.stringify(
    datafile({
      experiments: [
        // The whitelist is spliced into the text below: an object literal cannot hold a `__proto__` key.
        rule('__proto__', 'constructor', [variation('toString', '__proto__')]),
      ],
      featureFlags: [
        flag('constructor', '__proto__', {
          experimentIds: ['__proto__'],
          variables: [variable('__proto__', 'constructor', 'string', 'x')],
        }),
        flag('hasOwnProperty', 'constructor'),
      ],
      audiences: [legacyAudience('__proto__', 'p', ['or', attributeCondition('__proto__', 'yes')])],
      attributes: [{ id: 'constructor', key: '__proto__' }],
      events: [{ id: '__proto__', key: 'constructor', experimentIds: [] }],
    }),
  ).replace(
    '"forcedVariations":{}',
    '"forcedVariations":{"__proto__":"__proto__","constructor":"__proto__"}',
  );

  it('indexes entities named __proto__ or constructor like any other', () => {
    const config = createProjectConfig(text);
    expect(config.flags.map((f) => f.key)).toEqual(['__proto__', 'constructor']);
    expect(config.flagsByKey.get('__proto__')!.experimentRules[0]!.key).toBe('constructor');
    expect(config.experimentsByKey.get('constructor')!.id).toBe('__proto__');
    expect(config.experimentsById.get('__proto__')!.forcedVariations.get('__proto__')).toBe('__proto__');
    expect(config.attributesByKey.get('__proto__')!.id).toBe('constructor');
    expect(config.eventsByKey.get('constructor')!.id).toBe('__proto__');
    expect(config.variationsById.get('toString')!.key).toBe('__proto__');
    expect(config.audiencesById.get('__proto__')!(user(JSON.parse('{"__proto__": "yes"}')))).toBe(true);
  });

  it('does not pollute Object.prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    createProjectConfig(text);
    createProjectConfig(JSON.parse(text));
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('createProjectConfig: flag order', () => {
  it('lists flags in Object.keys order: integer-like keys ascending first, then insertion order', () => {
    const config = createProjectConfig(
      datafile({
        featureFlags: [
          flag('1', 'beta'),
          flag('2', '10'),
          flag('3', 'alpha'),
          flag('4', '2'),
          flag('5', '01'),
        ],
      }),
    );
    expect(config.flags.map((f) => f.key)).toEqual(['2', '10', 'beta', 'alpha', '01']);
  });

  it('keeps one entry per duplicated key: the last definition, at the first position', () => {
    const config = createProjectConfig(
      datafile({ featureFlags: [flag('1', 'dup'), flag('2', 'other'), flag('3', 'dup')] }),
    );
    expect(config.flags.map((f) => [f.key, f.id])).toEqual([
      ['dup', '3'],
      ['other', '2'],
    ]);
    expect(config.flagsByKey.get('dup')!.id).toBe('3');
  });
});

describe('createProjectConfig: ODP integration', () => {
  it('reports no integration without an odp entry', () => {
    const config = createProjectConfig(datafile({ integrations: [{ key: 'other', host: 'h' }] }));
    expect(config.odp).toEqual({
      integrated: false,
      apiHost: '',
      apiKey: '',
      pixelUrl: '',
      segmentsToCheck: [],
    });
  });

  it('takes the first non-empty host, key and pixel url of the odp entries', () => {
    const config = createProjectConfig(
      datafile({
        integrations: [
          { key: 'odp', host: 'https://api.one', publicKey: '' },
          { key: 'odp', host: 'https://api.two', publicKey: 'key-2', pixelUrl: 'https://pixel' },
        ],
      }),
    );
    expect(config.odp).toMatchObject({
      integrated: true,
      apiHost: 'https://api.one',
      apiKey: 'key-2',
      pixelUrl: 'https://pixel',
    });
  });

  it('collects qualified segments once each, in audience-id key order, skipping overridden legacy audiences', () => {
    const segment = (value: unknown) => ({
      type: 'third_party_dimension',
      name: 'odp.audiences',
      match: 'qualified',
      value,
    });
    const config = createProjectConfig(
      datafile({
        audiences: [
          legacyAudience('b', 'legacy', ['or', segment('legacy-only')]),
          legacyAudience('7', 'overridden', ['or', segment('overridden')]),
        ],
        typedAudiences: [
          typedAudience('z', 'z', ['and', segment('seg-z'), segment('seg-shared')]),
          typedAudience('7', 'seven', ['or', segment('seg-7'), ['not', segment('seg-shared')]]),
          typedAudience('3', 'three', ['or', segment('seg-3'), attributeCondition('x', 1)]),
        ],
        integrations: [{ key: 'odp', host: 'h', publicKey: 'k' }],
      }),
    );
    expect(config.odp.segmentsToCheck).toEqual(['seg-3', 'seg-7', 'seg-shared', 'legacy-only', 'seg-z']);
  });
});
