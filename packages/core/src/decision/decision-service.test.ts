import { describe, expect, it, vi } from 'vitest';
import {
  attributeCondition,
  datafile,
  flag,
  group,
  holdout,
  idInBucket,
  type Json,
  type RuleOptions,
  rollout,
  rule,
  typedAudience,
  variable,
  variation,
} from '../../test-support/datafile-builder';
import { NO_ATTRIBUTE } from '../audience/evaluation-user';
import { bucketValue } from '../bucketing/bucket-value';
import type { Client } from '../client/client';
import type { ClientOptions } from '../client/client-options';
import { createInstance } from '../client/create-instance';
import { OptimizelyDecideOption } from '../client/decide-options';
import type { OptimizelyDecision } from '../client/optimizely-decision';
import type { OptimizelyUserContext } from '../client/user-context';
import { createProjectConfig } from '../config/create-project-config';
import { noopLogger } from '../logging/create-logger';
import type { Logger, LogLevel } from '../ports/logger';
import type { UserProfile, UserProfileService } from '../ports/user-profile-service';
import { DecisionService } from './decision-service';
import { DecisionTrace } from './decision-trace';
import type { FlagDecision } from './flag-decision';
import { ForcedVariations } from './forced-variations';

// Format strings of the reference SDK (core/decision_service/index.ts, core/bucketer/index.ts), used
// to check that FlagKit's reasons read exactly as Optimizely's do.
const REF = {
  EXPERIMENT_NOT_RUNNING: 'Experiment %s is not running.',
  RETURNING_STORED_VARIATION:
    'Returning previously activated variation "%s" of experiment "%s" for user "%s" from user profile.',
  USER_NOT_IN_EXPERIMENT: 'User %s does not meet conditions to be in experiment %s.',
  USER_HAS_VARIATION: 'User %s is in variation %s of experiment %s.',
  USER_FORCED_IN_VARIATION: 'User %s is forced in variation %s.',
  FORCED_BUCKETING_FAILED: 'Variation key %s is not in datafile. Not activating user %s.',
  EVALUATING_AUDIENCES_COMBINED: 'Evaluating audiences for %s "%s": %s.',
  AUDIENCE_EVALUATION_RESULT_COMBINED: 'Audiences for %s %s collectively evaluated to %s.',
  USER_IN_ROLLOUT: 'User %s is in rollout of feature %s.',
  USER_NOT_IN_ROLLOUT: 'User %s is not in rollout of feature %s.',
  FEATURE_HAS_NO_EXPERIMENTS: 'Feature %s is not attached to any experiments.',
  USER_DOESNT_MEET_CONDITIONS_FOR_TARGETING_RULE: 'User %s does not meet conditions for targeting rule %s.',
  USER_NOT_BUCKETED_INTO_TARGETING_RULE:
    'User %s not bucketed into targeting rule %s due to traffic allocation. Trying everyone rule.',
  USER_BUCKETED_INTO_TARGETING_RULE: 'User %s bucketed into targeting rule %s.',
  USER_MEETS_CONDITIONS_FOR_TARGETING_RULE: 'User %s meets conditions for targeting rule %s.',
  NO_ROLLOUT_EXISTS: 'There is no rollout of feature %s.',
  INVALID_ROLLOUT_ID: 'Invalid rollout ID %s attached to feature %s',
  USER_HAS_FORCED_VARIATION:
    'Variation %s is mapped to experiment %s and user %s in the forced variation map.',
  FORCED_DECISION_WITH_RULE:
    'Variation (%s) is mapped to flag (%s), rule (%s) and user (%s) in the forced decision map.',
  FORCED_DECISION_NO_RULE: 'Variation (%s) is mapped to flag (%s) and user (%s) in the forced decision map.',
  FORCED_DECISION_WITH_RULE_INVALID:
    'Invalid variation is mapped to flag (%s), rule (%s) and user (%s) in the forced decision map.',
  FORCED_DECISION_NO_RULE_INVALID:
    'Invalid variation is mapped to flag (%s) and user (%s) in the forced decision map.',
  CMAB_NOT_SUPPORTED_IN_SYNC: 'CMAB is not supported in sync mode.',
  HOLDOUT_NOT_RUNNING: 'Holdout %s is not running.',
  USER_MEETS_CONDITIONS_FOR_HOLDOUT: 'User %s meets conditions for holdout %s.',
  USER_DOESNT_MEET_CONDITIONS_FOR_HOLDOUT: 'User %s does not meet conditions for holdout %s.',
  USER_NOT_BUCKETED_INTO_HOLDOUT_VARIATION: 'User %s is in no holdout variation.',
  TARGETED_DELIVERY_EXCLUDED_FROM_HOLDOUT:
    'Holdout "%s" has excludeTargetedDeliveries enabled, continuing to rollout evaluation.',
  USER_NOT_IN_ANY_EXPERIMENT: 'User %s is not in any experiment of group %s.',
  USER_NOT_BUCKETED_INTO_EXPERIMENT_IN_GROUP: 'User %s is not in experiment %s of group %s.',
  USER_BUCKETED_INTO_EXPERIMENT_IN_GROUP: 'User %s is in experiment %s of group %s.',
  USER_ASSIGNED_TO_EXPERIMENT_BUCKET: 'Assigned bucket %s to user with bucketing ID %s.',
  SAVED_VARIATION_NOT_FOUND:
    'User %s was previously bucketed into variation with ID %s for experiment %s, but no matching variation was found.',
  BUCKETING_ID_NOT_STRING: 'BucketingID attribute is not a string. Defaulted to userId',
} as const;

function fmt(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%s/g, () => String(args[i++]));
}

const { INCLUDE_REASONS, IGNORE_USER_PROFILE_SERVICE } = OptimizelyDecideOption;

interface FixtureOptions {
  /** Options of the experiment rule `exp` (id e1). */
  readonly exp?: RuleOptions;
  /** Options of the first delivery rule `delivery` (id r1; audience beta by default). */
  readonly delivery?: RuleOptions;
  /** Options of the Everyone Else rule (id r2). */
  readonly everyoneElse?: RuleOptions;
  readonly holdouts?: Json[];
  readonly localHoldouts?: Json[];
  /** Extra top-level datafile fields. */
  readonly extra?: Json;
}

/**
 * One flag `flag` with an experiment rule `exp` (everyone in `treatment`), a delivery rule for
 * beta users (`on`) and an Everyone Else rule (`off`). Variable `color` shows which variation served.
 */
function fixture(options: FixtureOptions = {}): Json {
  return datafile({
    attributes: [
      { id: 'att-country', key: 'country' },
      { id: 'att-beta', key: 'beta' },
    ],
    typedAudiences: [
      typedAudience('aud-beta', 'beta users', ['and', attributeCondition('beta', true)]),
      typedAudience('aud-us', 'us users', ['and', attributeCondition('country', 'us')]),
    ],
    experiments: [
      rule(
        'e1',
        'exp',
        [
          variation('v-control', 'control', false, { 'var-color': 'ctl' }),
          variation('v-treatment', 'treatment', true, { 'var-color': 'red' }),
        ],
        {
          traffic: [['v-treatment', 10000]],
          forcedVariations: { whitelisted: 'control', misconfigured: 'nope' },
          ...options.exp,
        },
      ),
    ],
    rollouts: [
      rollout('ro1', [
        rule('r1', 'delivery', [variation('v-on', 'on', true, { 'var-color': 'blue' })], {
          audienceIds: ['aud-beta'],
          ...options.delivery,
        }),
        rule('r2', 'everyone_else', [variation('v-off', 'off', false)], options.everyoneElse),
      ]),
    ],
    featureFlags: [
      flag('f1', 'flag', {
        experimentIds: ['e1'],
        rolloutId: 'ro1',
        variables: [variable('var-color', 'color', 'string', 'grey')],
      }),
    ],
    holdouts: options.holdouts ?? [],
    localHoldouts: options.localHoldouts ?? [],
    ...options.extra,
  });
}

function recordingLogger(): Logger & { lines: [LogLevel, string][] } {
  const lines: [LogLevel, string][] = [];
  return { lines, isEnabled: () => true, log: (level, message) => void lines.push([level, message]) };
}

function clientFor(df: Json, options: Omit<ClientOptions, 'datafile'> = {}): Client {
  return createInstance({ datafile: df, ...options });
}

/** Decides `flag` (or `flagKey`) for a new user context, with reasons. */
function decide(
  df: Json | Client,
  userId = 'user-1',
  attributes: Record<string, unknown> = {},
  setup?: (user: OptimizelyUserContext) => void,
  flagKey = 'flag',
): OptimizelyDecision {
  const client = 'decideAll' in df ? (df as unknown as Client) : clientFor(df as Json);
  const user = client.createUserContext(userId, attributes);
  setup?.(user);
  return user.decide(flagKey, [INCLUDE_REASONS]);
}

/** Calls the decision service directly, to see the decision source and any applied holdout. */
function decideDirect(
  df: Json,
  userId = 'user-1',
  attributes: Record<string, unknown> = {},
  forced: Record<string, string> = {},
): { decision: FlagDecision; reasons: string[] } {
  const config = createProjectConfig(df);
  const reasons: string[] = [];
  const decision = new DecisionService(new ForcedVariations()).decideFlag(
    config,
    config.flagsByKey.get('flag')!,
    {
      userId,
      attribute: (key) => (Object.hasOwn(attributes, key) ? attributes[key] : NO_ATTRIBUTE),
      bucketingIdAttribute: Object.hasOwn(attributes, '$opt_bucketing_id')
        ? attributes.$opt_bucketing_id
        : undefined,
      isQualifiedFor: () => false,
      forcedVariationKey: (flagKey, ruleKey) => forced[`${flagKey}/${ruleKey ?? ''}`],
    },
    null,
    new DecisionTrace(noopLogger, reasons),
  );
  return { decision, reasons };
}

describe('DecisionService: flag-level forced decisions', () => {
  const withHoldout = fixture({ holdouts: [holdout('h1', 'ho')] });

  it('serves a valid forced variation before global holdouts and rules', () => {
    const decision = decide(withHoldout, 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'on' }),
    );
    expect(decision).toMatchObject({
      variationKey: 'on',
      enabled: true,
      ruleKey: null,
      variables: { color: 'blue' },
    });
    expect(decision.reasons).toEqual([fmt(REF.FORCED_DECISION_NO_RULE, 'on', 'flag', 'user-1')]);
    const direct = decideDirect(withHoldout, 'user-1', {}, { 'flag/': 'on' }).decision;
    expect(direct.source).toBe('feature-test');
    expect(direct.experiment).toBeNull();
  });

  it('logs an invalid forced variation and carries on with the normal order', () => {
    const decision = decide(fixture(), 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'nope' }),
    );
    expect(decision.variationKey).toBe('treatment');
    expect(decision.reasons[0]).toBe(fmt(REF.FORCED_DECISION_NO_RULE_INVALID, 'flag', 'user-1'));
  });
});

describe('DecisionService: global holdouts', () => {
  it('serves the holdout variation to a user in the holdout, with default variables', () => {
    const df = fixture({ holdouts: [holdout('h1', 'ho')] });
    const decision = decide(df);
    expect(decision).toMatchObject({
      variationKey: 'ho_off',
      enabled: false,
      ruleKey: 'ho',
      variables: { color: 'grey' },
    });
    expect(decision.reasons).toContain(fmt(REF.USER_MEETS_CONDITIONS_FOR_HOLDOUT, 'user-1', 'ho'));
    expect(decision.reasons.some((r) => r.includes('experiment exp'))).toBe(false);
    const { decision: direct } = decideDirect(df);
    expect(direct.source).toBe('holdout');
    expect(direct.experiment?.kind).toBe('holdout');
  });

  it('tries holdouts in order and uses the first that buckets the user', () => {
    const df = fixture({
      holdouts: [holdout('h1', 'empty', { traffic: [['h1-off', 0]] }), holdout('h2', 'full')],
    });
    const decision = decide(df);
    expect(decision.ruleKey).toBe('full');
    expect(decision.reasons).toContain(fmt(REF.USER_NOT_BUCKETED_INTO_HOLDOUT_VARIATION, 'user-1'));
  });

  it('skips a holdout that is not running', () => {
    const decision = decide(fixture({ holdouts: [holdout('h1', 'ho', { status: 'Draft' })] }));
    expect(decision.variationKey).toBe('treatment');
    expect(decision.reasons[0]).toBe(fmt(REF.HOLDOUT_NOT_RUNNING, 'ho'));
  });

  it('skips a holdout whose audience the user is not in', () => {
    const df = fixture({ holdouts: [holdout('h1', 'ho', { audienceIds: ['aud-us'] })] });
    const missed = decide(df, 'user-1', { country: 'de' });
    expect(missed.variationKey).toBe('treatment');
    expect(missed.reasons).toContain(
      fmt(REF.EVALUATING_AUDIENCES_COMBINED, 'experiment', 'ho', '["aud-us"]'),
    );
    expect(missed.reasons).toContain(
      fmt(REF.AUDIENCE_EVALUATION_RESULT_COMBINED, 'experiment', 'ho', 'FALSE'),
    );
    expect(missed.reasons).toContain(fmt(REF.USER_DOESNT_MEET_CONDITIONS_FOR_HOLDOUT, 'user-1', 'ho'));
    expect(decide(df, 'user-1', { country: 'us' }).ruleKey).toBe('ho');
  });
});

describe('DecisionService: global holdouts remembered by a context', () => {
  const df = fixture({
    holdouts: [
      holdout('h1', 'empty', { traffic: [['h1-off', 0]] }),
      holdout('h2', 'us_only', { audienceIds: ['aud-us'] }),
    ],
  });

  it('gives the same answers from the second decision on, and forgets them when attributes change', () => {
    const user = clientFor(df).createUserContext('user-1', { country: 'de' });
    for (let i = 0; i < 3; i++) {
      expect(user.decide('flag').ruleKey).toBe('exp');
      expect(user.decideAll().flag?.ruleKey).toBe('exp');
    }
    user.setAttribute('country', 'us');
    expect(user.decide('flag').ruleKey).toBe('us_only');
    expect(user.decide('flag').ruleKey).toBe('us_only');
    expect(user.decideAll().flag?.ruleKey).toBe('us_only');
    user.setAttribute('country', 'de');
    expect(user.decide('flag').ruleKey).toBe('exp');
  });
});

describe('DecisionService: excludeTargetedDeliveries', () => {
  const df = fixture({
    holdouts: [holdout('h1', 'ho', { excludeTargetedDeliveries: true }), holdout('h2', 'later')],
  });

  it('skips experiment rules but still evaluates delivery rules, attaching the holdout', () => {
    const decision = decide(df, 'user-1', { beta: true });
    expect(decision).toMatchObject({ variationKey: 'on', ruleKey: 'delivery', enabled: true });
    expect(decision.reasons).toContain(fmt(REF.TARGETED_DELIVERY_EXCLUDED_FROM_HOLDOUT, 'ho'));
    expect(decision.reasons.some((r) => r.includes('"exp"') || r.includes('experiment exp'))).toBe(false);
    const { decision: direct } = decideDirect(df, 'user-1', { beta: true });
    expect(direct.source).toBe('rollout');
    expect(direct.appliedHoldout?.holdout.key).toBe('ho');
    expect(direct.appliedHoldout?.variation.key).toBe('ho_off');
  });

  it('stops at that holdout: later holdouts are not evaluated', () => {
    const { decision, reasons } = decideDirect(df, 'user-1', { beta: true });
    expect(decision.experiment?.key).toBe('delivery');
    expect(reasons.some((r) => r.includes('later'))).toBe(false);
  });

  it('turns the flag off (without serving the holdout variation) when no delivery rule matches', () => {
    const noEveryoneElse = fixture({
      holdouts: [holdout('h1', 'ho', { excludeTargetedDeliveries: true })],
      everyoneElse: { traffic: [['v-off', 0]] },
    });
    const decision = decide(noEveryoneElse);
    expect(decision).toMatchObject({ variationKey: null, ruleKey: null, enabled: false });
    expect(decision.reasons.at(-1)).toBe(fmt(REF.USER_NOT_IN_ROLLOUT, 'user-1', 'flag'));
    const { decision: direct } = decideDirect(noEveryoneElse);
    expect(direct.variation).toBeNull();
    expect(direct.appliedHoldout?.holdout.id).toBe('h1');
  });

  it('does nothing special for a user outside that holdout', () => {
    const missed = fixture({
      holdouts: [holdout('h1', 'ho', { excludeTargetedDeliveries: true, traffic: [['h1-off', 0]] })],
    });
    expect(decide(missed).variationKey).toBe('treatment');
    expect(decideDirect(missed).decision.appliedHoldout).toBeUndefined();
  });
});

describe('DecisionService: experiment rules', () => {
  it('reports the reference reasons, in order, for a plain experiment hit', () => {
    const decision = decide(fixture());
    expect(decision).toMatchObject({
      variationKey: 'treatment',
      ruleKey: 'exp',
      enabled: true,
      variables: { color: 'red' },
    });
    expect(decision.reasons).toEqual([
      fmt(REF.EVALUATING_AUDIENCES_COMBINED, 'experiment', 'exp', '[]'),
      fmt(REF.AUDIENCE_EVALUATION_RESULT_COMBINED, 'experiment', 'exp', 'TRUE'),
      fmt(REF.USER_ASSIGNED_TO_EXPERIMENT_BUCKET, bucketValue('user-1', 'e1'), 'user-1'),
      fmt(REF.USER_HAS_VARIATION, 'user-1', 'treatment', 'exp'),
    ]);
    expect(decideDirect(fixture()).decision.source).toBe('feature-test');
  });

  it('serves a valid rule-level forced decision', () => {
    const decision = decide(fixture(), 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'control' }),
    );
    // `control` is disabled, so its own variable values are not used.
    expect(decision).toMatchObject({
      variationKey: 'control',
      ruleKey: 'exp',
      enabled: false,
      variables: { color: 'grey' },
    });
    expect(decision.reasons).toEqual([
      fmt(REF.FORCED_DECISION_WITH_RULE, 'control', 'flag', 'exp', 'user-1'),
    ]);
  });

  it('lets a rule-level forced decision name a variation of another rule of the flag', () => {
    const decision = decide(fixture(), 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'on' }),
    );
    expect(decision).toMatchObject({ variationKey: 'on', ruleKey: 'exp', variables: { color: 'blue' } });
  });

  it('logs an invalid rule-level forced decision and evaluates the rule normally', () => {
    const decision = decide(fixture(), 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'nope' }),
    );
    expect(decision.variationKey).toBe('treatment');
    expect(decision.reasons[0]).toBe(fmt(REF.FORCED_DECISION_WITH_RULE_INVALID, 'flag', 'exp', 'user-1'));
  });

  it('ignores a forced decision for a rule key the flag does not have', () => {
    const decision = decide(fixture(), 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag', ruleKey: 'other' }, { variationKey: 'control' }),
    );
    expect(decision.variationKey).toBe('treatment');
  });

  it('serves a local holdout that includes the experiment rule', () => {
    const df = fixture({ localHoldouts: [holdout('lh', 'local', { includedRules: ['e1'] })] });
    const decision = decide(df);
    expect(decision).toMatchObject({ variationKey: 'local_off', ruleKey: 'local', enabled: false });
    const { decision: direct } = decideDirect(df);
    expect(direct.source).toBe('holdout');
    expect(direct.experiment?.id).toBe('lh');
  });

  it('continues with the rule when the user misses its local holdout', () => {
    const df = fixture({
      localHoldouts: [holdout('lh', 'local', { includedRules: ['e1'], traffic: [['lh-off', 0]] })],
    });
    const decision = decide(df);
    expect(decision.variationKey).toBe('treatment');
    expect(decision.reasons).toContain(fmt(REF.USER_NOT_BUCKETED_INTO_HOLDOUT_VARIATION, 'user-1'));
  });

  it('checks the rule-level forced decision before the local holdout', () => {
    const df = fixture({ localHoldouts: [holdout('lh', 'local', { includedRules: ['e1'] })] });
    const decision = decide(df, 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'control' }),
    );
    expect(decision).toMatchObject({ variationKey: 'control', ruleKey: 'exp' });
  });

  it('serves a variation forced with setForcedVariation, ahead of the whitelist', () => {
    const client = clientFor(fixture());
    expect(client.setForcedVariation('exp', 'whitelisted', 'treatment')).toBe(true);
    const decision = decide(client, 'whitelisted');
    expect(decision.variationKey).toBe('treatment');
    expect(decision.reasons[0]).toBe(fmt(REF.USER_HAS_FORCED_VARIATION, 'treatment', 'exp', 'whitelisted'));
  });

  it('checks the local holdout before setForcedVariation', () => {
    const client = clientFor(fixture({ localHoldouts: [holdout('lh', 'local', { includedRules: ['e1'] })] }));
    client.setForcedVariation('exp', 'user-1', 'control');
    expect(decide(client).ruleKey).toBe('local');
  });

  it('serves a whitelisted variation', () => {
    const decision = decide(fixture(), 'whitelisted');
    expect(decision).toMatchObject({ variationKey: 'control', ruleKey: 'exp' });
    expect(decision.reasons).toEqual([fmt(REF.USER_FORCED_IN_VARIATION, 'whitelisted', 'control')]);
  });

  it('logs a whitelisted key that is not a variation and carries on', () => {
    const logger = recordingLogger();
    const client = clientFor(fixture(), { logger });
    const decision = decide(client, 'misconfigured');
    const message = fmt(REF.FORCED_BUCKETING_FAILED, 'nope', 'misconfigured');
    expect(decision.variationKey).toBe('treatment');
    expect(decision.reasons[0]).toBe(message);
    expect(logger.lines).toContainEqual(['error', message]);
  });

  it('falls through to the rollout when the user misses the experiment audience', () => {
    const decision = decide(fixture({ exp: { audienceIds: ['aud-us'] } }), 'user-1', { country: 'de' });
    expect(decision).toMatchObject({ variationKey: 'off', ruleKey: 'everyone_else', enabled: false });
    expect(decision.reasons.slice(0, 3)).toEqual([
      fmt(REF.EVALUATING_AUDIENCES_COMBINED, 'experiment', 'exp', '["aud-us"]'),
      fmt(REF.AUDIENCE_EVALUATION_RESULT_COMBINED, 'experiment', 'exp', 'FALSE'),
      fmt(REF.USER_NOT_IN_EXPERIMENT, 'user-1', 'exp'),
    ]);
  });

  it('evaluates audienceConditions rather than audienceIds when both are given', () => {
    const df = fixture({ exp: { audienceIds: ['aud-beta'], audienceConditions: ['and', 'aud-us'] } });
    expect(decide(df, 'user-1', { country: 'us' }).variationKey).toBe('treatment');
    expect(decide(df, 'user-1', { beta: true }).variationKey).toBe('on');
  });

  it('skips an experiment that is not running, even with a forced variation', () => {
    const client = clientFor(fixture({ exp: { status: 'Paused' } }));
    client.setForcedVariation('exp', 'whitelisted', 'treatment');
    const decision = decide(client, 'whitelisted');
    expect(decision.ruleKey).toBe('everyone_else');
    expect(decision.reasons[0]).toBe(fmt(REF.EXPERIMENT_NOT_RUNNING, 'exp'));
  });

  it('skips a CMAB rule in synchronous decide with the reference reason', () => {
    const df = fixture({ exp: { cmab: { trafficAllocation: 10000, attributeIds: ['att-country'] } } });
    const decision = decide(df);
    expect(decision.ruleKey).toBe('everyone_else');
    expect(decision.reasons).toContain(REF.CMAB_NOT_SUPPORTED_IN_SYNC);
  });

  it('tries the next experiment rule when one gives no variation', () => {
    const df = fixture({ exp: { traffic: [['v-treatment', 0]] } });
    const second = rule('e2', 'second_exp', [variation('v-second', 'second', true)]);
    (df.experiments as Json[]).push(second);
    ((df.featureFlags as Json[])[0]!.experimentIds as string[]).push('e2');
    const decision = decide(df);
    expect(decision).toMatchObject({ variationKey: 'second', ruleKey: 'second_exp' });
    expect(decision.reasons).toContain(`User user-1 is in no variation of experiment exp.`);
  });
});

describe('DecisionService: sticky bucketing', () => {
  function profileService(stored: Record<string, string> = {}) {
    const service = {
      lookups: 0,
      saved: [] as UserProfile[],
      lookup: vi.fn((userId: string): UserProfile => {
        service.lookups++;
        return {
          user_id: userId,
          experiment_bucket_map: Object.fromEntries(
            Object.entries(stored).map(([e, v]) => [e, { variation_id: v }]),
          ),
        };
      }),
      save: vi.fn((profile: UserProfile) => void service.saved.push(profile)),
    };
    return service satisfies UserProfileService;
  }

  /** Two flags, each with one experiment that puts everyone in `treatment`. */
  function twoFlags(): Json {
    const df = fixture();
    (df.experiments as Json[]).push(
      rule('e3', 'exp_b', [variation('v-b1', 'b_control'), variation('v-b2', 'b_treatment')], {
        traffic: [['v-b2', 10000]],
      }),
    );
    (df.featureFlags as Json[]).push(flag('f2', 'flag_b', { experimentIds: ['e3'] }));
    return df;
  }

  it('serves the stored variation from the user profile', () => {
    const ups = profileService({ e1: 'v-control' });
    const decision = decide(clientFor(fixture(), { userProfileService: ups }));
    expect(decision.variationKey).toBe('control');
    expect(decision.reasons).toEqual([fmt(REF.RETURNING_STORED_VARIATION, 'control', 'exp', 'user-1')]);
    expect(ups.save).not.toHaveBeenCalled();
  });

  it('looks the profile up once and saves it once for a whole decideAll', () => {
    const ups = profileService();
    const client = clientFor(twoFlags(), { userProfileService: ups });
    const decisions = client.createUserContext('user-1').decideAll();
    expect(Object.keys(decisions)).toEqual(['flag', 'flag_b']);
    expect(ups.lookup).toHaveBeenCalledTimes(1);
    expect(ups.lookup).toHaveBeenCalledWith('user-1');
    expect(ups.save).toHaveBeenCalledTimes(1);
    expect(ups.saved[0]).toEqual({
      user_id: 'user-1',
      experiment_bucket_map: { e1: { variation_id: 'v-treatment' }, e3: { variation_id: 'v-b2' } },
    });
  });

  it('keeps entries it did not touch when saving, and saves nothing when nothing changed', () => {
    const ups = profileService({ e1: 'v-control', other: 'v-x' });
    const client = clientFor(twoFlags(), { userProfileService: ups });
    client.createUserContext('user-1').decideAll();
    expect(ups.saved).toEqual([
      {
        user_id: 'user-1',
        experiment_bucket_map: {
          e1: { variation_id: 'v-control' },
          other: { variation_id: 'v-x' },
          e3: { variation_id: 'v-b2' },
        },
      },
    ]);
    const unchanged = profileService({ e1: 'v-control', e3: 'v-b1' });
    clientFor(twoFlags(), { userProfileService: unchanged }).createUserContext('user-1').decideAll();
    expect(unchanged.lookup).toHaveBeenCalledTimes(1);
    expect(unchanged.save).not.toHaveBeenCalled();
  });

  it('neither reads nor writes the profile with IGNORE_USER_PROFILE_SERVICE', () => {
    const ups = profileService({ e1: 'v-control' });
    const client = clientFor(fixture(), { userProfileService: ups });
    const decision = client.createUserContext('user-1').decide('flag', [IGNORE_USER_PROFILE_SERVICE]);
    expect(decision.variationKey).toBe('treatment');
    expect(ups.lookup).not.toHaveBeenCalled();
    expect(ups.save).not.toHaveBeenCalled();
  });

  it('buckets again, and saves, when the stored variation is no longer in the datafile', () => {
    const logger = recordingLogger();
    const ups = profileService({ e1: 'v-deleted' });
    const decision = decide(clientFor(fixture(), { userProfileService: ups, logger }));
    expect(decision.variationKey).toBe('treatment');
    expect(logger.lines).toContainEqual([
      'info',
      fmt(REF.SAVED_VARIATION_NOT_FOUND, 'user-1', 'v-deleted', 'exp'),
    ]);
    expect(ups.saved[0]!.experiment_bucket_map).toEqual({ e1: { variation_id: 'v-treatment' } });
  });

  it('treats a failing lookup as an empty profile', () => {
    const logger = recordingLogger();
    const ups = {
      lookup: vi.fn(() => {
        throw new Error('store down');
      }),
      save: vi.fn(),
    };
    const decision = decide(clientFor(fixture(), { userProfileService: ups, logger }));
    expect(decision.variationKey).toBe('treatment');
    expect(logger.lines).toContainEqual([
      'error',
      'Error while looking up user profile for user ID "user-1": store down.',
    ]);
    expect(ups.save).toHaveBeenCalledTimes(1);
  });

  it('does not store delivery-rule, whitelisted or forced decisions', () => {
    const ups = profileService();
    const client = clientFor(fixture({ exp: { audienceIds: ['aud-us'] } }), { userProfileService: ups });
    expect(decide(client, 'user-1', { beta: true }).variationKey).toBe('on');
    expect(decide(clientFor(fixture(), { userProfileService: ups }), 'whitelisted').variationKey).toBe(
      'control',
    );
    const forcedClient = clientFor(fixture(), { userProfileService: ups });
    forcedClient.setForcedVariation('exp', 'user-2', 'control');
    expect(decide(forcedClient, 'user-2').variationKey).toBe('control');
    expect(ups.save).not.toHaveBeenCalled();
  });

  it('reads the $opt_experiment_bucket_map attribute, which overrides the profile service', () => {
    const bucketMap = { $opt_experiment_bucket_map: { e1: { variation_id: 'v-control' } } };
    expect(decide(fixture(), 'user-1', bucketMap).variationKey).toBe('control');
    const ups = profileService({ e1: 'v-treatment' });
    expect(decide(clientFor(fixture(), { userProfileService: ups }), 'user-1', bucketMap).variationKey).toBe(
      'control',
    );
    const ignored = clientFor(fixture())
      .createUserContext('user-1', bucketMap)
      .decide('flag', [IGNORE_USER_PROFILE_SERVICE]);
    expect(ignored.variationKey).toBe('treatment');
  });

  it('ignores a malformed $opt_experiment_bucket_map attribute', () => {
    for (const value of ['e1', 42, null, { e1: 'v-control' }, { e1: { variation_id: 7 } }]) {
      expect(decide(fixture(), 'user-1', { $opt_experiment_bucket_map: value }).variationKey).toBe(
        'treatment',
      );
    }
  });
});

describe('DecisionService: mutually exclusive groups', () => {
  function grouped(policy: string, ranges: [string, number][]): Json {
    return datafile({
      groups: [
        group('g1', policy, ranges, [
          rule('ge1', 'grouped_1', [variation('gv1', 'g1_on')]),
          rule('ge2', 'grouped_2', [variation('gv2', 'g2_on')]),
        ]),
      ],
      featureFlags: [
        flag('fa', 'flag', { experimentIds: ['ge1'] }),
        flag('fb', 'flag_b', { experimentIds: ['ge2'] }),
      ],
    });
  }
  const split: [string, number][] = [
    ['ge1', 5000],
    ['ge2', 10000],
  ];
  const lowUser = idInBucket('g1', 0, 5000);
  const highUser = idInBucket('g1', 5000, 10000);

  it('puts a user in only the experiment the group buckets them into (random policy)', () => {
    const client = clientFor(grouped('random', split));
    const low = client.createUserContext(lowUser).decideAll([INCLUDE_REASONS]);
    expect(low.flag!.variationKey).toBe('g1_on');
    expect(low.flag!.reasons).toContain(
      fmt(REF.USER_BUCKETED_INTO_EXPERIMENT_IN_GROUP, lowUser, 'grouped_1', 'g1'),
    );
    expect(low.flag_b!.variationKey).toBeNull();
    expect(low.flag_b!.reasons).toContain(
      fmt(REF.USER_NOT_BUCKETED_INTO_EXPERIMENT_IN_GROUP, lowUser, 'grouped_2', 'g1'),
    );
    const high = client.createUserContext(highUser).decideAll();
    expect(high.flag!.variationKey).toBeNull();
    expect(high.flag_b!.variationKey).toBe('g2_on');
  });

  it('reports a user the group allocation leaves out', () => {
    const decision = decide(grouped('random', [['ge1', 5000]]), highUser);
    expect(decision.variationKey).toBeNull();
    expect(decision.reasons).toContain(fmt(REF.USER_NOT_IN_ANY_EXPERIMENT, highUser, 'g1'));
  });

  it('skips group bucketing for any other policy', () => {
    const client = clientFor(grouped('overlapping', split));
    for (const userId of [lowUser, highUser]) {
      const decisions = client.createUserContext(userId).decideAll();
      expect(decisions.flag!.variationKey).toBe('g1_on');
      expect(decisions.flag_b!.variationKey).toBe('g2_on');
    }
  });
});

describe('DecisionService: delivery rules', () => {
  it('reports the reference reasons, in order, for an Everyone Else hit', () => {
    const df = fixture();
    (df.featureFlags as Json[])[0]!.experimentIds = [];
    const decision = decide(df);
    expect(decision).toMatchObject({ variationKey: 'off', ruleKey: 'everyone_else', enabled: false });
    expect(decision.reasons).toEqual([
      fmt(REF.FEATURE_HAS_NO_EXPERIMENTS, 'flag'),
      fmt(REF.EVALUATING_AUDIENCES_COMBINED, 'rule', '1', '["aud-beta"]'),
      fmt(REF.AUDIENCE_EVALUATION_RESULT_COMBINED, 'rule', '1', 'FALSE'),
      fmt(REF.USER_DOESNT_MEET_CONDITIONS_FOR_TARGETING_RULE, 'user-1', '1'),
      fmt(REF.EVALUATING_AUDIENCES_COMBINED, 'rule', 'Everyone Else', '[]'),
      fmt(REF.AUDIENCE_EVALUATION_RESULT_COMBINED, 'rule', 'Everyone Else', 'TRUE'),
      fmt(REF.USER_MEETS_CONDITIONS_FOR_TARGETING_RULE, 'user-1', 'Everyone Else'),
      fmt(REF.USER_ASSIGNED_TO_EXPERIMENT_BUCKET, bucketValue('user-1', 'r2'), 'user-1'),
      fmt(REF.USER_BUCKETED_INTO_TARGETING_RULE, 'user-1', 'Everyone Else'),
      fmt(REF.USER_IN_ROLLOUT, 'user-1', 'flag'),
    ]);
    expect(decideDirect(df).decision.source).toBe('rollout');
  });

  it('reports the experiment a rule id maps to when a later rule reuses the id, as the reference does', () => {
    const df = datafile({
      featureFlags: [flag('f', 'f', { rolloutId: 'ro1' })],
      rollouts: [
        rollout('ro1', [rule('r-dup', 'first', [variation('v1', 'on')])]),
        rollout('ro2', [rule('r-dup', 'second', [variation('v2', 'on2')])]),
      ],
    });
    const decision = clientFor(df).createUserContext('user-1').decide('f');
    expect(decision).toMatchObject({ variationKey: 'on', ruleKey: 'second' });
    const unique = datafile({
      featureFlags: [flag('f', 'f', { rolloutId: 'ro1' })],
      rollouts: [rollout('ro1', [rule('r-one', 'first', [variation('v1', 'on')])])],
    });
    expect(clientFor(unique).createUserContext('user-1').decide('f').ruleKey).toBe('first');
  });

  it('serves the first delivery rule whose audience and traffic the user is in', () => {
    const df = fixture({ exp: { audienceIds: ['aud-us'] } });
    const decision = decide(df, 'user-1', { beta: true });
    expect(decision).toMatchObject({
      variationKey: 'on',
      ruleKey: 'delivery',
      enabled: true,
      variables: { color: 'blue' },
    });
    expect(decision.reasons).toContain(fmt(REF.USER_BUCKETED_INTO_TARGETING_RULE, 'user-1', '1'));
  });

  it('jumps straight to Everyone Else when the audience matches but traffic does not', () => {
    const df = fixture({ exp: { audienceIds: ['aud-us'] }, delivery: { traffic: [['v-on', 0]] } });
    // A second targeted rule the user would qualify for: it must be skipped.
    const rules = (df.rollouts as Json[])[0]!.experiments as Json[];
    rules.splice(
      1,
      0,
      rule('r1b', 'delivery_2', [variation('v-on2', 'on_2')], { audienceIds: ['aud-beta'] }),
    );
    const decision = decide(df, 'user-1', { beta: true });
    expect(decision).toMatchObject({ variationKey: 'off', ruleKey: 'everyone_else' });
    expect(decision.reasons).toContain(fmt(REF.USER_NOT_BUCKETED_INTO_TARGETING_RULE, 'user-1', '1'));
    expect(decision.reasons.some((r) => r.includes('targeting rule 2') || r.includes('rule "2"'))).toBe(
      false,
    );
  });

  it('turns the flag off when the user misses Everyone Else too', () => {
    const df = fixture({ exp: { audienceIds: ['aud-us'] }, everyoneElse: { traffic: [['v-off', 0]] } });
    const decision = decide(df);
    expect(decision).toMatchObject({
      variationKey: null,
      ruleKey: null,
      enabled: false,
      variables: { color: 'grey' },
    });
    expect(decision.reasons.at(-1)).toBe(fmt(REF.USER_NOT_IN_ROLLOUT, 'user-1', 'flag'));
    const { decision: direct } = decideDirect(df);
    expect(direct).toMatchObject({ experiment: null, variation: null, source: 'rollout' });
  });

  it('serves a rule-level forced decision on a delivery rule without checking its audience', () => {
    const df = fixture({ exp: { audienceIds: ['aud-us'] } });
    const decision = decide(df, 'user-1', {}, (u) =>
      u.setForcedDecision({ flagKey: 'flag', ruleKey: 'delivery' }, { variationKey: 'on' }),
    );
    expect(decision).toMatchObject({ variationKey: 'on', ruleKey: 'delivery' });
    expect(decision.reasons).toContain(
      fmt(REF.FORCED_DECISION_WITH_RULE, 'on', 'flag', 'delivery', 'user-1'),
    );
  });

  it('serves a local holdout that includes a delivery rule', () => {
    const df = fixture({
      exp: { audienceIds: ['aud-us'] },
      localHoldouts: [holdout('lh', 'local', { includedRules: ['r1'] })],
    });
    // The holdout is checked before the rule's audience, as in the reference.
    const decision = decide(df, 'user-1', { beta: false });
    expect(decision).toMatchObject({ variationKey: 'local_off', ruleKey: 'local', enabled: false });
    expect(decision.reasons.at(-1)).toBe(fmt(REF.USER_IN_ROLLOUT, 'user-1', 'flag'));
    expect(decideDirect(df).decision.source).toBe('holdout');
  });

  it('explains a flag without a rollout and a rollout id that names nothing', () => {
    const noRollout = fixture({ exp: { audienceIds: ['aud-us'] } });
    (noRollout.featureFlags as Json[])[0]!.rolloutId = '';
    expect(decide(noRollout).reasons).toContain(fmt(REF.NO_ROLLOUT_EXISTS, 'flag'));
    const badRollout = fixture({ exp: { audienceIds: ['aud-us'] } });
    (badRollout.featureFlags as Json[])[0]!.rolloutId = 'nope';
    expect(decide(badRollout).reasons).toContain(fmt(REF.INVALID_ROLLOUT_ID, 'nope', 'flag'));
  });
});

describe('DecisionService: bucketing id', () => {
  const split: RuleOptions = {
    traffic: [
      ['v-control', 5000],
      ['v-treatment', 10000],
    ],
  };
  const userId = idInBucket('e1', 0, 5000, 'uid-');
  const bucketingId = idInBucket('e1', 5000, 10000, 'bid-');

  it('buckets with a string $opt_bucketing_id instead of the user id', () => {
    const df = fixture({ exp: split });
    expect(decide(df, userId).variationKey).toBe('control');
    const decision = decide(df, userId, { $opt_bucketing_id: bucketingId });
    expect(decision.variationKey).toBe('treatment');
    // The reference names the user id in this message, even when another id was hashed.
    expect(decision.reasons).toContain(
      fmt(REF.USER_ASSIGNED_TO_EXPERIMENT_BUCKET, bucketValue(bucketingId, 'e1'), userId),
    );
  });

  it('falls back to the user id, with a warning, when $opt_bucketing_id is not a string', () => {
    const logger = recordingLogger();
    const client = clientFor(fixture({ exp: split }), { logger });
    expect(decide(client, userId, { $opt_bucketing_id: 42 }).variationKey).toBe('control');
    expect(logger.lines).toContainEqual(['warn', REF.BUCKETING_ID_NOT_STRING]);
  });

  it('uses the bucketing id for holdouts too', () => {
    const holdoutUser = idInBucket('h1', 5000, 10000, 'uid-');
    const holdoutBucketingId = idInBucket('h1', 0, 5000, 'bid-');
    const df = fixture({ holdouts: [holdout('h1', 'ho', { traffic: [['h1-off', 5000]] })] });
    expect(decide(df, holdoutUser).ruleKey).toBe('exp');
    expect(decide(df, holdoutUser, { $opt_bucketing_id: holdoutBucketingId }).ruleKey).toBe('ho');
  });
});
