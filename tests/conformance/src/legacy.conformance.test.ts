/**
 * Legacy API conformance: the pure getters (`getVariation`, `isFeatureEnabled`,
 * `getEnabledFeatures`, `getFeatureVariable*`, `getAllFeatureVariables`) and
 * `setForcedVariation` / `getForcedVariation` round trips must return the same values in FlagKit
 * as in the official SDK. No `activate`/`track`: nothing here depends on events.
 */
import { Random } from '@flagkit/datafile-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Attributes, type ClientLike, copyAttributes, openCandidate, openOfficial } from './clients';
import { buildCorpus, LEGACY_SCENARIOS } from './corpus';
import type { FlagFacts } from './datafile-facts';
import { type CaseContext, MismatchLog } from './project-decision';

type TypedGetter =
  | 'getFeatureVariableBoolean'
  | 'getFeatureVariableDouble'
  | 'getFeatureVariableInteger'
  | 'getFeatureVariableString'
  | 'getFeatureVariableJSON';

const TYPED_GETTERS: Readonly<Record<string, TypedGetter>> = {
  boolean: 'getFeatureVariableBoolean',
  double: 'getFeatureVariableDouble',
  integer: 'getFeatureVariableInteger',
  string: 'getFeatureVariableString',
  json: 'getFeatureVariableJSON',
};
const ALL_TYPED_GETTERS = Object.values(TYPED_GETTERS);

function getterFor(variable: FlagFacts['variables'][number]): TypedGetter {
  const type = variable.type === 'string' && variable.subType === 'json' ? 'json' : variable.type;
  return TYPED_GETTERS[type] ?? 'getFeatureVariableString';
}

describe.each(LEGACY_SCENARIOS)('legacy API conformance ($flags flags, seed $seed)', (scenario) => {
  const corpus = buildCorpus(scenario);
  const { facts } = corpus;
  let official: ClientLike;
  let candidate: ClientLike;

  beforeAll(async () => {
    official = await openOfficial(corpus.datafile);
    candidate = await openCandidate(corpus.datafile);
  });

  afterAll(async () => {
    await official?.close();
    await candidate?.close();
  });

  /** Calls `fn` on both clients (each with its own copy of the attributes), compares, returns the official result. */
  function both(
    log: MismatchLog,
    context: CaseContext,
    key: string,
    attributes: Attributes | undefined,
    fn: (client: ClientLike, attributes: Attributes | undefined) => unknown,
  ): unknown {
    const o = fn(official, attributes && copyAttributes(attributes));
    const c = fn(candidate, attributes && copyAttributes(attributes));
    log.compare(context, key, o, c);
    return o;
  }

  it('getVariation, isFeatureEnabled, getEnabledFeatures, getFeatureVariable* and getAllFeatureVariables agree', () => {
    const log = new MismatchLog();
    const flagKeys = facts.flags.map((f) => f.key);
    let variations = 0;
    let enabled = 0;
    let disabled = 0;
    corpus.users.forEach((user, index) => {
      const random = new Random(scenario.seed * 300_007 + index);
      // Every fifth call goes without attributes.
      const attributes = index % 5 === 4 ? undefined : user.attributes;
      const ctx = (check: string): CaseContext => ({
        seed: scenario.seed,
        check,
        userIndex: index,
        userId: user.userId,
        attributes,
      });
      const experimentKeys = [
        ...facts.experimentKeys,
        ...random.sample(facts.deliveryRuleKeys, 2),
        'no_such_experiment',
      ];
      for (const key of experimentKeys) {
        if (
          both(log, ctx('getVariation'), key, attributes, (c, a) => c.getVariation(key, user.userId, a)) !==
          null
        ) {
          variations++;
        }
      }
      for (const key of [...flagKeys, 'no_such_flag']) {
        const on = both(log, ctx('isFeatureEnabled'), key, attributes, (c, a) =>
          c.isFeatureEnabled(key, user.userId, a),
        );
        if (on === true) enabled++;
        else disabled++;
      }
      both(log, ctx('getEnabledFeatures'), '<all>', attributes, (c, a) =>
        c.getEnabledFeatures(user.userId, a),
      );
      for (const flag of random.sample(facts.flags, 3)) {
        for (const variable of flag.variables) {
          const call = `${flag.key}.${variable.key}`;
          both(log, ctx('getFeatureVariable'), call, attributes, (c, a) =>
            c.getFeatureVariable(flag.key, variable.key, user.userId, a),
          );
          const getter = getterFor(variable);
          both(log, ctx(getter), call, attributes, (c, a) =>
            c[getter](flag.key, variable.key, user.userId, a),
          );
          // A getter of the wrong type returns null in the official SDK.
          const wrong = random.pick(ALL_TYPED_GETTERS.filter((g) => g !== getter));
          both(log, ctx(`${wrong} (wrong type)`), call, attributes, (c, a) =>
            c[wrong](flag.key, variable.key, user.userId, a),
          );
        }
        both(log, ctx('getFeatureVariable (unknown variable)'), flag.key, attributes, (c, a) =>
          c.getFeatureVariable(flag.key, 'no_such_variable', user.userId, a),
        );
        both(log, ctx('getAllFeatureVariables'), flag.key, attributes, (c, a) =>
          c.getAllFeatureVariables(flag.key, user.userId, a),
        );
      }
      both(log, ctx('getAllFeatureVariables (unknown flag)'), 'no_such_flag', attributes, (c, a) =>
        c.getAllFeatureVariables('no_such_flag', user.userId, a),
      );
    });
    // The corpus must exercise these paths (judged on the official results).
    expect(variations).toBeGreaterThan(corpus.users.length / 2);
    expect(enabled).toBeGreaterThan(0);
    expect(disabled).toBeGreaterThan(0);
    expect(log.count, log.report()).toBe(0);
  });

  it('setForcedVariation / getForcedVariation round trips agree, and forced variations steer decisions alike', () => {
    const log = new MismatchLog();
    const ruleKeys = [...facts.experimentKeys, ...facts.deliveryRuleKeys];
    if (ruleKeys.length === 0) return;
    const allVariationKeys = [...new Set([...facts.variationsByRule.values()].flat())];
    let forced = 0;
    for (let index = 0; index < corpus.users.length; index += 2) {
      const user = corpus.users[index];
      if (!user) continue;
      const random = new Random(scenario.seed * 400_009 + index);
      const touched = new Set<string>();
      for (let op = random.int(2, 5); op > 0; op--) {
        const experimentKey = random.chance(0.9) ? random.pick(ruleKeys) : 'no_such_experiment';
        const own = facts.variationsByRule.get(experimentKey) ?? [];
        const variationKey = random.weighted<() => string | null>([
          [own.length > 0 ? 6 : 0, () => random.pick(own)],
          [2, () => null],
          [1, () => random.pick(allVariationKeys)],
          [1, () => 'no_such_variation'],
          [1, () => ''],
        ])();
        touched.add(experimentKey);
        const details = { experimentKey, variationKey };
        const context: CaseContext = {
          seed: scenario.seed,
          check: 'setForcedVariation',
          userIndex: index,
          userId: user.userId,
          details,
        };
        const set = official.setForcedVariation(experimentKey, user.userId, variationKey);
        if (set && variationKey !== null) forced++;
        log.compare(
          context,
          experimentKey,
          set,
          candidate.setForcedVariation(experimentKey, user.userId, variationKey),
        );
        log.compare(
          { ...context, check: 'getForcedVariation' },
          experimentKey,
          official.getForcedVariation(experimentKey, user.userId),
          candidate.getForcedVariation(experimentKey, user.userId),
        );
      }
      const attributes = user.attributes;
      const context: CaseContext = {
        seed: scenario.seed,
        check: 'after setForcedVariation',
        userIndex: index,
        userId: user.userId,
        attributes,
      };
      for (const key of touched) {
        both(log, { ...context, check: 'getVariation (forced)' }, key, attributes, (c, a) =>
          c.getVariation(key, user.userId, a),
        );
      }
      both(log, { ...context, check: 'getForcedVariation (other user)' }, '<first rule>', undefined, (c) =>
        c.getForcedVariation(ruleKeys[0] as string, `${user.userId}#other`),
      );
      const o = official.createUserContext(user.userId, copyAttributes(attributes));
      const c = candidate.createUserContext(user.userId, copyAttributes(attributes));
      o.qualifiedSegments = user.segments.slice();
      c.qualifiedSegments = user.segments.slice();
      log.compareDecisionMaps(
        { ...context, check: 'decideAll (forced variations)' },
        o.decideAll(),
        c.decideAll(),
      );
    }
    expect(forced).toBeGreaterThan(corpus.users.length / 4);
    expect(log.count, log.report()).toBe(0);
  });
});
