import { describe, expect, it, vi } from 'vitest';
import {
  attributeCondition,
  datafile,
  flag,
  type Json,
  rollout,
  rule,
  typedAudience,
  variation,
} from '../../test-support/datafile-builder';
import type { OdpManager } from '../ports/odp-manager';
import { createInstance } from './create-instance';
import { OptimizelyDecideOption } from './decide-options';

/**
 * `flag`: experiment `exp` (everyone in `treatment`), then a delivery rule for users in the ODP
 * segment `vip` and Everyone Else.
 */
function fixture(): Json {
  return datafile({
    attributes: [{ id: 'att-country', key: 'country' }],
    typedAudiences: [
      typedAudience('aud-vip', 'vip', [
        'and',
        { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'vip' },
      ]),
      typedAudience('aud-us', 'us', ['and', attributeCondition('country', 'us')]),
    ],
    experiments: [
      rule('e1', 'exp', [variation('v-control', 'control'), variation('v-treatment', 'treatment')], {
        traffic: [['v-treatment', 10000]],
        audienceIds: ['aud-us'],
      }),
    ],
    rollouts: [
      rollout('ro1', [
        rule('r1', 'vip_rule', [variation('v-vip', 'vip_on')], { audienceIds: ['aud-vip'] }),
        rule('r2', 'everyone_else', [variation('v-off', 'off', false)]),
      ]),
    ],
    featureFlags: [flag('f1', 'flag', { experimentIds: ['e1'], rolloutId: 'ro1' })],
    events: [{ id: 'ev1', key: 'purchase', experimentIds: [] }],
  });
}

function newUser(attributes: Record<string, unknown> = {}) {
  return createInstance({ datafile: fixture() }).createUserContext('user-1', attributes);
}

describe('OptimizelyUserContext: identity and attributes', () => {
  it('keeps the user id and a copy of the attributes it was given', () => {
    const attributes = { country: 'us' };
    const user = newUser(attributes);
    attributes.country = 'de';
    expect(user.getUserId()).toBe('user-1');
    expect(user.getAttributes()).toEqual({ country: 'us' });
  });

  it('returns a fresh plain copy from getAttributes', () => {
    const user = newUser({ country: 'us' });
    const copy = user.getAttributes();
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    copy.country = 'de';
    copy.extra = 1;
    expect(user.getAttributes()).toEqual({ country: 'us' });
    expect(user.getAttributes()).not.toBe(user.getAttributes());
  });

  it('sets attributes that later decisions use', () => {
    const user = newUser();
    expect(user.decide('flag').variationKey).toBe('off');
    user.setAttribute('country', 'us');
    expect(user.getAttributes()).toEqual({ country: 'us' });
    expect(user.decide('flag').variationKey).toBe('treatment');
  });

  it("decides on the attributes it was given, not on later changes to the caller's object", () => {
    const attributes: Record<string, unknown> = { country: 'us' };
    const user = newUser(attributes);
    attributes.country = 'de';
    expect(user.decide('flag').variationKey).toBe('treatment');
    const other: Record<string, unknown> = {};
    const late = newUser(other);
    other.country = 'us';
    expect(late.decide('flag').variationKey).toBe('off');
    expect(late.getAttributes()).toEqual({});
  });

  it('replaces an attribute in place and keeps key order', () => {
    const user = newUser({ country: 'de', plan: 'pro' });
    user.setAttribute('country', 'us');
    user.setAttribute('beta', true);
    expect(Object.keys(user.getAttributes())).toEqual(['country', 'plan', 'beta']);
    expect(user.getAttributes()).toEqual({ country: 'us', plan: 'pro', beta: true });
    expect(user.decide('flag').variationKey).toBe('treatment');
  });

  it("keeps setAttribute after a decision out of that decision's context", () => {
    const user = newUser({ country: 'us' });
    const decided = user.decide('flag');
    user.setAttribute('country', 'de');
    user.setAttribute('beta', true);
    expect(decided.userContext.getAttributes()).toEqual({ country: 'us' });
    expect(user.getAttributes()).toEqual({ country: 'de', beta: true });
    expect(user.decide('flag').variationKey).toBe('off');
    expect(decided.userContext.decide('flag').variationKey).toBe('treatment');
  });

  it('reads proxy or getter attributes once, when the context is made', () => {
    const { proxy, revoke } = Proxy.revocable({ country: 'us' } as Record<string, unknown>, {});
    const user = newUser(proxy);
    revoke();
    expect(user.decide('flag').variationKey).toBe('treatment');
    expect(user.getAttributes()).toEqual({ country: 'us' });
  });

  it('keeps __proto__ and constructor attributes as plain data', () => {
    const user = newUser(JSON.parse('{"__proto__": {"country": "us"}, "constructor": 1}'));
    user.setAttribute('__proto__', { polluted: true });
    const copy = user.getAttributes();
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true });
    expect(copy.constructor).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // An inherited `country` would make the user match the "us" audience.
    expect(user.decide('flag').variationKey).toBe('off');
  });
});

describe('OptimizelyUserContext: many attributes', () => {
  // Past a few dozen attributes, reads go through an object built once instead of a scan.
  function manyAttributes(count: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const attributes: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) attributes[`a${i}`] = i;
    return { ...attributes, ...extra };
  }

  it('decides on an attribute listed after a hundred others, as with a short list', () => {
    const few = newUser({ country: 'us' });
    const many = newUser(manyAttributes(100, { country: 'us' }));
    expect(many.decide('flag').variationKey).toBe('treatment');
    expect(many.decide('flag').variationKey).toBe(few.decide('flag').variationKey);
    expect(newUser(manyAttributes(100)).decide('flag').variationKey).toBe('off');
  });

  it('reads own keys only, including __proto__, and sees setAttribute at once', () => {
    const attributes = manyAttributes(50);
    Object.defineProperty(attributes, '__proto__', { value: 'p', enumerable: true });
    const user = newUser(attributes);
    expect(user.attribute('a49')).toBe(49);
    expect(user.attribute('__proto__')).toBe('p');
    expect(typeof user.attribute('toString')).toBe('symbol');
    expect(typeof user.attribute('country')).toBe('symbol');
    user.setAttribute('country', 'us');
    user.setAttribute('a7', 'seven');
    expect(user.attribute('country')).toBe('us');
    expect(user.attribute('a7')).toBe('seven');
    expect(user.decide('flag').variationKey).toBe('treatment');
  });
});

describe('OptimizelyUserContext: forced decisions', () => {
  it('stores flag-level and rule-level forced decisions separately', () => {
    const user = newUser();
    expect(user.getForcedDecision({ flagKey: 'flag' })).toBeNull();
    expect(user.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'control' })).toBe(true);
    expect(user.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'treatment' })).toBe(
      true,
    );
    expect(user.getForcedDecision({ flagKey: 'flag' })).toEqual({ variationKey: 'control' });
    expect(user.getForcedDecision({ flagKey: 'flag', ruleKey: 'exp' })).toEqual({
      variationKey: 'treatment',
    });
    expect(user.getForcedDecision({ flagKey: 'flag', ruleKey: 'other' })).toBeNull();
    expect(user.getForcedDecision({ flagKey: 'other' })).toBeNull();
  });

  it('treats a null rule key as the flag-level forced decision', () => {
    const user = newUser();
    user.setForcedDecision({ flagKey: 'flag', ruleKey: null }, { variationKey: 'control' });
    expect(user.getForcedDecision({ flagKey: 'flag' })).toEqual({ variationKey: 'control' });
    expect(user.removeForcedDecision({ flagKey: 'flag' })).toBe(true);
    expect(user.getForcedDecision({ flagKey: 'flag', ruleKey: null })).toBeNull();
  });

  it('replaces a forced decision set twice for the same context', () => {
    const user = newUser();
    user.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'control' });
    user.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'vip_on' });
    expect(user.getForcedDecision({ flagKey: 'flag' })).toEqual({ variationKey: 'vip_on' });
    expect(user.decide('flag').variationKey).toBe('vip_on');
  });

  it('removes one forced decision and reports whether there was one', () => {
    const user = newUser();
    user.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'control' });
    user.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'treatment' });
    expect(user.removeForcedDecision({ flagKey: 'flag', ruleKey: 'exp' })).toBe(true);
    expect(user.removeForcedDecision({ flagKey: 'flag', ruleKey: 'exp' })).toBe(false);
    expect(user.getForcedDecision({ flagKey: 'flag' })).toEqual({ variationKey: 'control' });
    expect(user.removeForcedDecision({ flagKey: 'flag' })).toBe(true);
    expect(user.removeForcedDecision({ flagKey: 'flag' })).toBe(false);
    expect(user.removeForcedDecision({ flagKey: 'never-set' })).toBe(false);
  });

  it('removes every forced decision at once', () => {
    const user = newUser();
    expect(user.removeAllForcedDecisions()).toBe(true);
    user.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'control' });
    user.setForcedDecision({ flagKey: 'other', ruleKey: 'r' }, { variationKey: 'x' });
    expect(user.removeAllForcedDecisions()).toBe(true);
    expect(user.getForcedDecision({ flagKey: 'flag' })).toBeNull();
    expect(user.getForcedDecision({ flagKey: 'other', ruleKey: 'r' })).toBeNull();
    expect(user.decide('flag').variationKey).toBe('off');
  });

  it('uses forced decisions in decide, and stops once they are removed', () => {
    const user = newUser({ country: 'us' });
    user.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'control' });
    expect(user.decide('flag')).toMatchObject({ variationKey: 'control', ruleKey: 'exp' });
    user.removeForcedDecision({ flagKey: 'flag', ruleKey: 'exp' });
    expect(user.decide('flag').variationKey).toBe('treatment');
  });

  it('accepts prototype-named flag and rule keys as plain data', () => {
    const user = newUser();
    user.setForcedDecision({ flagKey: '__proto__', ruleKey: 'constructor' }, { variationKey: 'x' });
    expect(user.getForcedDecision({ flagKey: '__proto__', ruleKey: 'constructor' })).toEqual({
      variationKey: 'x',
    });
    expect(user.getForcedDecision({ flagKey: 'constructor' })).toBeNull();
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe('OptimizelyUserContext: decisions keep a snapshot of the context', () => {
  it('is not changed by setAttribute after the decision', () => {
    const user = newUser({ country: 'us' });
    const first = user.decide('flag');
    user.setAttribute('country', 'de');
    const second = user.decide('flag');
    user.setAttribute('country', 'fr');
    expect(first.userContext.getAttributes()).toEqual({ country: 'us' });
    expect(second.userContext.getAttributes()).toEqual({ country: 'de' });
    expect(user.getAttributes()).toEqual({ country: 'fr' });
    expect(first.variationKey).toBe('treatment');
    expect(second.variationKey).toBe('off');
  });

  it('is not changed by forced decisions set or removed after the decision, even for the same flag', () => {
    const user = newUser();
    user.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'control' });
    const decision = user.decide('flag');
    user.setForcedDecision({ flagKey: 'flag', ruleKey: 'vip_rule' }, { variationKey: 'vip_on' });
    user.setForcedDecision({ flagKey: 'flag', ruleKey: 'exp' }, { variationKey: 'treatment' });
    user.setForcedDecision({ flagKey: 'other' }, { variationKey: 'x' });
    const snapshot = decision.userContext;
    expect(snapshot.getForcedDecision({ flagKey: 'flag', ruleKey: 'exp' })).toEqual({
      variationKey: 'control',
    });
    expect(snapshot.getForcedDecision({ flagKey: 'flag', ruleKey: 'vip_rule' })).toBeNull();
    expect(snapshot.getForcedDecision({ flagKey: 'other' })).toBeNull();
    user.removeAllForcedDecisions();
    expect(snapshot.getForcedDecision({ flagKey: 'flag', ruleKey: 'exp' })).toEqual({
      variationKey: 'control',
    });
  });

  it('does not let changes to a decision’s context reach the original', () => {
    const user = newUser({ country: 'us' });
    user.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'control' });
    const snapshot = user.decide('flag').userContext;
    snapshot.setAttribute('country', 'de');
    snapshot.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'vip_on' });
    snapshot.removeForcedDecision({ flagKey: 'flag' });
    expect(user.getAttributes()).toEqual({ country: 'us' });
    expect(user.getForcedDecision({ flagKey: 'flag' })).toEqual({ variationKey: 'control' });
  });

  it('gives decideAll and decideForKeys decisions their own snapshots too', () => {
    const user = newUser({ country: 'us' });
    const all = user.decideAll();
    const some = user.decideForKeys(['flag']);
    user.setAttribute('country', 'de');
    expect(all.flag!.userContext.getAttributes()).toEqual({ country: 'us' });
    expect(some.flag!.userContext.getAttributes()).toEqual({ country: 'us' });
  });

  it('keeps the segments the user had at decision time', () => {
    const user = newUser();
    user.qualifiedSegments = ['vip'];
    const decision = user.decide('flag');
    user.qualifiedSegments = ['other'];
    expect(decision.variationKey).toBe('vip_on');
    expect(decision.userContext.qualifiedSegments).toEqual(['vip']);
    expect(decision.userContext.isQualifiedFor('vip')).toBe(true);
    expect(user.isQualifiedFor('vip')).toBe(false);
  });
});

describe('OptimizelyUserContext: qualified segments', () => {
  it('starts with no segments and qualifies for none', () => {
    const user = newUser();
    expect(user.qualifiedSegments).toBeNull();
    expect(user.isQualifiedFor('vip')).toBe(false);
  });

  it('answers isQualifiedFor from the segments set', () => {
    const user = newUser();
    user.qualifiedSegments = ['vip', 'beta'];
    expect(user.qualifiedSegments).toEqual(['vip', 'beta']);
    expect(user.isQualifiedFor('vip')).toBe(true);
    expect(user.isQualifiedFor('beta')).toBe(true);
    expect(user.isQualifiedFor('VIP')).toBe(false);
    user.qualifiedSegments = null;
    expect(user.isQualifiedFor('vip')).toBe(false);
  });

  it('uses the segments in audiences of decide', () => {
    const user = newUser();
    expect(user.decide('flag').variationKey).toBe('off');
    user.qualifiedSegments = ['vip'];
    expect(user.decide('flag', [OptimizelyDecideOption.INCLUDE_REASONS])).toMatchObject({
      variationKey: 'vip_on',
      ruleKey: 'vip_rule',
    });
  });

  it('fetches segments through the ODP manager', async () => {
    const odpManager: OdpManager = {
      start: () => {},
      updateConfig: () => {},
      fetchQualifiedSegments: vi.fn(async () => ['vip']),
      identifyUser: () => {},
      sendEvent: () => ({ ok: true }),
      flush: () => Promise.resolve(),
      stop: () => Promise.resolve(),
    };
    const client = createInstance({ datafile: fixture(), odpManager });
    const user = client.createUserContext('user-1');
    expect(await user.fetchQualifiedSegments()).toBe(true);
    expect(odpManager.fetchQualifiedSegments).toHaveBeenCalledWith('fs_user_id', 'user-1', undefined);
    expect(user.qualifiedSegments).toEqual(['vip']);
    expect(user.decide('flag').variationKey).toBe('vip_on');
    vi.mocked(odpManager.fetchQualifiedSegments).mockResolvedValueOnce(null);
    expect(await user.fetchQualifiedSegments(['IGNORE_CACHE'])).toBe(false);
    expect(user.qualifiedSegments).toBeNull();
  });

  it('resolves false without an ODP manager', async () => {
    const user = newUser();
    expect(await user.fetchQualifiedSegments()).toBe(false);
    expect(user.qualifiedSegments).toBeNull();
  });
});
