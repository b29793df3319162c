import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  attributeCondition,
  datafile,
  flag,
  holdout,
  type Json,
  rollout,
  rule,
  typedAudience,
  variable,
  variation,
} from '../../test-support/datafile-builder';
import { createProjectConfig } from '../config/create-project-config';
import type { ProjectConfig } from '../config/project-config';
import { ConfigError } from '../errors/config-error';
import { DatafileError } from '../errors/datafile-error';
import { InputError } from '../errors/input-error';
import { ReadyError } from '../errors/ready-error';
import type { LogEvent } from '../events/log-event';
import type { ConversionEvent, ImpressionEvent, UserEvent } from '../events/user-event';
import type {
  ActivateNotification,
  DecisionNotification,
  TrackNotification,
} from '../notifications/notification-types';
import type { EventProcessor } from '../ports/event-processor';
import type { Logger, LogLevel } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { UserProfile, UserProfileServiceAsync } from '../ports/user-profile-service';
import type { ClientOptions } from './client-options';
import { createInstance } from './create-instance';
import { OptimizelyDecideOption } from './decide-options';

const {
  DISABLE_DECISION_EVENT,
  ENABLED_FLAGS_ONLY,
  EXCLUDE_VARIABLES,
  IGNORE_USER_PROFILE_SERVICE,
  INCLUDE_REASONS,
} = OptimizelyDecideOption;

const SDK_NOT_READY = 'Optimizely SDK not configured properly yet.';

// ─────────────────────────────── fixtures and fakes ───────────────────────────────

const TREATMENT_VARIABLES = {
  'var-color': 'red',
  'var-count': '7',
  'var-ratio': '1.5',
  'var-on': 'true',
  'var-cfg': '{"a":2,"nested":{"b":3}}',
};

/**
 * `flag`: experiment `exp` (everyone in `treatment`) then delivery rules; `rollout_flag`: one
 * delivery rule for everyone; `off_flag`: Everyone Else serves a disabled variation. Plus a
 * stand-alone A/B test, a paused experiment and a `purchase` event.
 */
function fixture(parts: Json = {}): Json {
  return datafile({
    attributes: [
      { id: 'att-country', key: 'country' },
      { id: 'att-beta', key: 'beta' },
      { id: 'att-age', key: 'age' },
      { id: 'att-score', key: 'score' },
      { id: 'att-big', key: 'big' },
    ],
    typedAudiences: [typedAudience('aud-beta', 'beta', ['and', attributeCondition('beta', true)])],
    experiments: [
      rule(
        'e1',
        'exp',
        [
          variation('v-control', 'control', false),
          variation('v-treatment', 'treatment', true, TREATMENT_VARIABLES),
        ],
        {
          traffic: [['v-treatment', 10000]],
        },
      ),
      rule('e-ab', 'ab_only', [variation('v-a', 'a')]),
      rule('e-paused', 'paused_exp', [variation('v-p', 'p')], { status: 'Paused' }),
    ],
    rollouts: [
      rollout('ro1', [
        rule('r1', 'delivery', [variation('v-on', 'on')], { audienceIds: ['aud-beta'] }),
        rule('r2', 'everyone_else', [variation('v-off', 'off', false)]),
      ]),
      rollout('ro2', [rule('r3', 'ro2_rule', [variation('v-ro2', 'ro2_on')])]),
      rollout('ro3', [rule('r4', 'ro3_everyone', [variation('v-ro3', 'ro3_off', false)])]),
    ],
    featureFlags: [
      flag('f1', 'flag', {
        experimentIds: ['e1'],
        rolloutId: 'ro1',
        variables: [
          variable('var-color', 'color', 'string', 'grey'),
          variable('var-count', 'count', 'integer', '1'),
          variable('var-ratio', 'ratio', 'double', '0.5'),
          variable('var-on', 'on', 'boolean', 'false'),
          variable('var-cfg', 'cfg', 'string', '{"a":1,"nested":{"b":2}}', 'json'),
        ],
      }),
      flag('f2', 'rollout_flag', { rolloutId: 'ro2' }),
      flag('f3', 'off_flag', { rolloutId: 'ro3' }),
    ],
    events: [{ id: 'ev-purchase', key: 'purchase', experimentIds: ['e1'] }],
    ...parts,
  });
}

/** An event processor that records what the client gives it. */
class RecordingEventProcessor implements EventProcessor {
  readonly events: UserEvent[] = [];
  starts = 0;
  stops = 0;
  private readonly listeners = new Set<(logEvent: LogEvent) => void>();

  start(): void {
    this.starts++;
  }
  process(event: UserEvent): void {
    this.events.push(event);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.stops++;
    return Promise.resolve();
  }
  onDispatch(listener: (logEvent: LogEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  buildLogEvent(events: readonly UserEvent[]): LogEvent {
    return {
      url: 'https://logx.test/v1/events',
      httpVerb: 'POST',
      params: { uuids: events.map((e) => e.uuid) },
    };
  }
  /** Pretends a batch was sent. */
  dispatch(logEvent: LogEvent): void {
    for (const listener of [...this.listeners]) listener(logEvent);
  }
  get impressions(): ImpressionEvent[] {
    return this.events.filter((e): e is ImpressionEvent => e.type === 'impression');
  }
  get conversions(): ConversionEvent[] {
    return this.events.filter((e): e is ConversionEvent => e.type === 'conversion');
  }
}

/** A config manager driven by the test: it has no config until `publish`. */
function manualConfigManager() {
  let config: ProjectConfig | null = null;
  const listeners = new Set<(config: ProjectConfig) => void>();
  let resolveReady!: () => void;
  let rejectReady!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {});
  const manager = {
    stops: 0,
    start() {},
    onReady: () => ready,
    getConfig: () => config,
    onUpdate(listener: (config: ProjectConfig) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop() {
      manager.stops++;
      return Promise.resolve();
    },
    publish(df: Json) {
      config = createProjectConfig(df);
      resolveReady();
      for (const listener of [...listeners]) listener(config);
    },
    fail(error: unknown) {
      rejectReady(error);
    },
    listenerCount: () => listeners.size,
  };
  return manager satisfies ProjectConfigManager;
}

function recordingLogger(): Logger & { lines: [LogLevel, string][] } {
  const lines: [LogLevel, string][] = [];
  return { lines, isEnabled: () => true, log: (level, message) => void lines.push([level, message]) };
}

function setup(df: Json | string = fixture(), options: Omit<ClientOptions, 'datafile'> = {}) {
  const processor = new RecordingEventProcessor();
  const logger = recordingLogger();
  const client = createInstance({ datafile: df, eventProcessor: processor, logger, ...options });
  return { client, processor, logger };
}

async function readyError(promise: Promise<unknown>): Promise<ReadyError> {
  const error = await promise.then(
    () => {
      throw new Error('expected onReady() to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadyError);
  return error as ReadyError;
}

afterEach(() => {
  vi.useRealTimers();
});

// ─────────────────────────────── lifecycle ───────────────────────────────

describe('Client: onReady and close', () => {
  it('resolves onReady once the datafile is parsed', async () => {
    const { client, processor } = setup();
    await expect(client.onReady()).resolves.toBeUndefined();
    expect(client.getProjectConfig()?.revision).toBe('1');
    expect(processor.starts).toBe(1);
  });

  it('arms no timeout timer when the datafile was parsed at creation, and still resolves', async () => {
    vi.useFakeTimers();
    try {
      const { client } = setup();
      const ready = client.onReady({ timeout: 0 });
      expect(vi.getTimerCount()).toBe(0);
      await expect(ready).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects onReady with reason config for an invalid datafile, keeping the DatafileError in the cause chain', async () => {
    const { client } = setup(fixture({ version: 4 }));
    const error = await readyError(client.onReady());
    expect(error.reason).toBe('config');
    expect(error.code).toBe('CONFIG_UNAVAILABLE');
    const configError = error.cause as ConfigError;
    expect(configError).toBeInstanceOf(ConfigError);
    expect(configError.reason).toBe('invalid-datafile');
    expect(configError.cause).toBeInstanceOf(DatafileError);
    expect((configError.cause as DatafileError).path).toBe('version');
  });

  it('rejects onReady with reason config when neither a datafile nor a manager is given', async () => {
    const error = await readyError(createInstance({}).onReady());
    expect(error.reason).toBe('config');
    expect((error.cause as ConfigError).reason).toBe('no-datafile');
  });

  it('rejects onReady with the manager’s failure as cause', async () => {
    const manager = manualConfigManager();
    const client = createInstance({ projectConfigManager: manager });
    const pending = client.onReady();
    const failure = new ConfigError('invalid-sdk-key', 'bad key');
    manager.fail(failure);
    const error = await readyError(pending);
    expect(error.reason).toBe('config');
    expect(error.cause).toBe(failure);
  });

  it('bounds onReady by its timeout when the config never arrives', async () => {
    const client = createInstance({ projectConfigManager: manualConfigManager() });
    const started = performance.now();
    const error = await readyError(client.onReady({ timeout: 50 }));
    const elapsed = performance.now() - started;
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe('onReady timeout expired after 50 ms');
    expect(elapsed).toBeGreaterThanOrEqual(40);
    expect(elapsed).toBeLessThan(2000);
  });

  it('uses the 30 s default for a missing or non-numeric timeout', async () => {
    vi.useFakeTimers();
    const client = createInstance({ projectConfigManager: manualConfigManager() });
    for (const options of [undefined, { timeout: 'soon' as unknown as number }, { timeout: Number.NaN }]) {
      let settled = false;
      const pending = client.onReady(options).then(
        () => null,
        (e: ReadyError) => {
          settled = true;
          return e;
        },
      );
      await vi.advanceTimersByTimeAsync(29_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      expect((await pending)?.reason).toBe('timeout');
    }
  });

  it('resolves a pending onReady when the config arrives later', async () => {
    const manager = manualConfigManager();
    const client = createInstance({ projectConfigManager: manager });
    const pending = client.onReady({ timeout: 5000 });
    manager.publish(fixture());
    await expect(pending).resolves.toBeUndefined();
  });

  it('rejects a pending onReady with reason closed on close(), and any later onReady too', async () => {
    const client = createInstance({ projectConfigManager: manualConfigManager() });
    const pending = client.onReady({ timeout: 10_000 });
    const closing = client.close();
    const error = await readyError(pending);
    expect(error.reason).toBe('closed');
    await closing;
    expect((await readyError(client.onReady())).reason).toBe('closed');
  });

  it('stops its parts once, however often close() is called', async () => {
    const manager = manualConfigManager();
    const processor = new RecordingEventProcessor();
    const client = createInstance({ projectConfigManager: manager, eventProcessor: processor });
    const first = client.close();
    expect(client.close()).toBe(first);
    await first;
    expect(manager.stops).toBe(1);
    expect(processor.stops).toBe(1);
    expect(manager.listenerCount()).toBe(0);
  });
});

// ─────────────────────────────── decide without a config ───────────────────────────────

describe('Client: deciding without a usable config', () => {
  it('gives an error decision before the config arrives, and decisions once it has', () => {
    const manager = manualConfigManager();
    const client = createInstance({ projectConfigManager: manager });
    const user = client.createUserContext('user-1', { beta: true });
    const decision = user.decide('flag');
    expect(decision).toEqual({
      variationKey: null,
      enabled: false,
      variables: {},
      ruleKey: null,
      flagKey: 'flag',
      userContext: expect.anything(),
      reasons: [SDK_NOT_READY],
    });
    expect(decision.userContext.getUserId()).toBe('user-1');
    expect(user.decideAll()).toEqual({});
    expect(user.decideForKeys(['flag'])).toEqual({});
    manager.publish(fixture());
    expect(user.decide('flag').variationKey).toBe('treatment');
  });

  it('never throws with an invalid datafile: decide and the legacy APIs give defaults', async () => {
    const { client, processor } = setup('{not json');
    const user = client.createUserContext('user-1');
    expect(user.decide('flag').reasons).toEqual([SDK_NOT_READY]);
    expect((await user.decideAsync('flag')).reasons).toEqual([SDK_NOT_READY]);
    expect(await user.decideAllAsync()).toEqual({});
    expect(client.activate('exp', 'user-1')).toBeNull();
    expect(client.getVariation('exp', 'user-1')).toBeNull();
    expect(client.isFeatureEnabled('flag', 'user-1')).toBe(false);
    expect(client.getEnabledFeatures('user-1')).toEqual([]);
    expect(client.getFeatureVariable('flag', 'color', 'user-1')).toBeNull();
    expect(client.getFeatureVariableString('flag', 'color', 'user-1')).toBeNull();
    expect(client.getAllFeatureVariables('flag', 'user-1')).toBeNull();
    expect(client.setForcedVariation('exp', 'user-1', 'control')).toBe(false);
    expect(client.getForcedVariation('exp', 'user-1')).toBeNull();
    expect(client.getOptimizelyConfig()).toBeNull();
    expect(() => client.track('purchase', 'user-1')).not.toThrow();
    expect(() => user.trackEvent('purchase')).not.toThrow();
    expect(processor.events).toEqual([]);
  });
});

// ─────────────────────────────── decide and its options ───────────────────────────────

describe('Client: decide options', () => {
  it('gives an error decision naming an unknown flag, with or without INCLUDE_REASONS', () => {
    const { client, logger } = setup();
    const user = client.createUserContext('user-1');
    const expected = { variationKey: null, enabled: false, variables: {}, ruleKey: null, flagKey: 'x' };
    expect(user.decide('x')).toMatchObject({ ...expected, reasons: ['No flag was found for key "x".'] });
    expect(user.decide('x', [INCLUDE_REASONS]).reasons).toEqual(['No flag was found for key "x".']);
    const both = user.decideForKeys(['flag', 'x']);
    // As in the reference, error decisions are filled in before the flags are decided.
    expect(Object.keys(both)).toEqual(['x', 'flag']);
    expect(both.flag!.variationKey).toBe('treatment');
    expect(both.x!.reasons).toEqual(['No flag was found for key "x".']);
    expect(logger.lines.some(([level, m]) => level === 'error' && m.includes('x'))).toBe(true);
  });

  it('returns no reasons for a successful decision unless INCLUDE_REASONS is given', () => {
    const { client } = setup();
    const user = client.createUserContext('user-1');
    expect(user.decide('flag').reasons).toEqual([]);
    expect(user.decide('flag', [INCLUDE_REASONS]).reasons.length).toBeGreaterThan(0);
  });

  it('ignores ENABLED_FLAGS_ONLY for a single decide but filters decideAll and decideForKeys', () => {
    const { client } = setup(fixture(), { defaultDecideOptions: [ENABLED_FLAGS_ONLY] });
    const user = client.createUserContext('user-1');
    expect(user.decide('off_flag')).toMatchObject({ variationKey: 'ro3_off', enabled: false });
    expect(user.decide('off_flag', [ENABLED_FLAGS_ONLY]).variationKey).toBe('ro3_off');
    expect(Object.keys(user.decideAll())).toEqual(['flag', 'rollout_flag']);
    expect(Object.keys(user.decideForKeys(['off_flag', 'flag']))).toEqual(['flag']);
    const plain = setup().client.createUserContext('user-1');
    expect(Object.keys(plain.decideAll())).toEqual(['flag', 'rollout_flag', 'off_flag']);
    expect(Object.keys(plain.decideAll([ENABLED_FLAGS_ONLY]))).toEqual(['flag', 'rollout_flag']);
  });

  it('leaves variables out with EXCLUDE_VARIABLES', () => {
    const { client } = setup();
    const user = client.createUserContext('user-1');
    expect(Object.keys(user.decide('flag').variables)).toEqual(['color', 'count', 'ratio', 'on', 'cfg']);
    expect(user.decide('flag', [EXCLUDE_VARIABLES]).variables).toEqual({});
  });

  it('sends no impression with DISABLE_DECISION_EVENT', () => {
    const { client, processor } = setup();
    const user = client.createUserContext('user-1');
    user.decide('flag', [DISABLE_DECISION_EVENT]);
    user.decideAll([DISABLE_DECISION_EVENT]);
    expect(processor.events).toEqual([]);
    user.decide('flag');
    expect(processor.impressions).toHaveLength(1);
  });

  it('merges defaultDecideOptions with each call’s options', () => {
    const { client, processor } = setup(fixture(), {
      defaultDecideOptions: [EXCLUDE_VARIABLES, DISABLE_DECISION_EVENT],
    });
    const decision = client.createUserContext('user-1').decide('flag', [INCLUDE_REASONS]);
    expect(decision.variables).toEqual({});
    expect(decision.reasons.length).toBeGreaterThan(0);
    expect(processor.events).toEqual([]);
  });

  it('ignores unknown options with a warning, and a non-array options value', () => {
    const { client, logger } = setup();
    const user = client.createUserContext('user-1');
    const decision = user.decide('flag', ['NOPE' as OptimizelyDecideOption, INCLUDE_REASONS]);
    expect(decision.variationKey).toBe('treatment');
    expect(decision.reasons.length).toBeGreaterThan(0);
    expect(logger.lines).toContainEqual(['warn', 'Unrecognized decide option NOPE provided.']);
    const notArray = user.decide('flag', 'INCLUDE_REASONS' as unknown as OptimizelyDecideOption[]);
    expect(notArray.variationKey).toBe('treatment');
    expect(notArray.reasons).toEqual([]);
  });

  it('keeps a __proto__ variable key as own data, json value copied per decision', () => {
    const { client } = setup(
      fixture({
        featureFlags: [
          flag('f1', 'flag', {
            experimentIds: ['e1'],
            rolloutId: 'ro1',
            variables: [
              variable('var-color', 'color', 'string', 'grey'),
              variable('var-proto', '__proto__', 'json', '{"polluted":true}', 'json'),
            ],
          }),
        ],
      }),
    );
    const user = client.createUserContext('user-1');
    const first = user.decide('flag').variables;
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.hasOwn(first, '__proto__')).toBe(true);
    expect(Object.keys(first)).toEqual(['color', '__proto__']);
    (first.__proto__ as { polluted: boolean }).polluted = false;
    const second = user.decide('flag').variables;
    expect(second.__proto__).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns fresh variables: mutating one decision does not change the next', () => {
    const { client } = setup();
    const user = client.createUserContext('user-1');
    const first = user.decide('flag');
    const cfg = first.variables.cfg as { a: number; nested: { b: number } };
    cfg.nested.b = 99;
    first.variables.color = 'mutated';
    const second = user.decide('flag');
    expect(second.variables.cfg).toEqual({ a: 2, nested: { b: 3 } });
    expect(second.variables.color).toBe('red');
    const all = client.getAllFeatureVariables('flag', 'user-1')!;
    (all.cfg as { a: number }).a = 42;
    expect(client.getFeatureVariableJSON('flag', 'cfg', 'user-1')).toEqual({ a: 2, nested: { b: 3 } });
  });
});

// ─────────────────────────────── impressions ───────────────────────────────

describe('Client: impressions', () => {
  it('sends a feature-test impression describing the decision', () => {
    const { client, processor } = setup();
    client.createUserContext('user-1').decide('flag');
    expect(processor.impressions).toHaveLength(1);
    const event = processor.impressions[0]!;
    expect(event).toMatchObject({
      type: 'impression',
      layer: { id: 'layer-e1' },
      experiment: { id: 'e1', key: 'exp' },
      variation: { id: 'v-treatment', key: 'treatment' },
      ruleKey: 'exp',
      flagKey: 'flag',
      ruleType: 'feature-test',
      enabled: true,
      user: { id: 'user-1', attributes: [] },
      context: {
        accountId: 'acc-1',
        projectId: 'proj-1',
        revision: '1',
        clientName: 'javascript-sdk',
        anonymizeIP: false,
        region: 'US',
      },
    });
    expect(event.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof event.timestamp).toBe('number');
  });

  it('sends delivery-rule impressions only when the datafile asks for flag decisions', () => {
    const quiet = setup();
    quiet.client.createUserContext('user-1').decide('rollout_flag');
    quiet.client.createUserContext('user-1').decide('off_flag');
    expect(quiet.processor.events).toEqual([]);

    const loud = setup(fixture({ sendFlagDecisions: true }));
    loud.client.createUserContext('user-1').decide('rollout_flag');
    expect(loud.processor.impressions).toHaveLength(1);
    expect(loud.processor.impressions[0]).toMatchObject({
      layer: { id: 'layer-r3' },
      experiment: { id: 'r3', key: 'ro2_rule' },
      ruleType: 'rollout',
      flagKey: 'rollout_flag',
      enabled: true,
    });
  });

  it('sends an impression without a rule when sendFlagDecisions is on and nothing matched', () => {
    const df = fixture({ sendFlagDecisions: true });
    (((df.rollouts as Json[])[2]!.experiments as Json[])[0]!.trafficAllocation as Json[])[0]!.endOfRange = 0;
    const { client, processor } = setup(df);
    expect(client.createUserContext('user-1').decide('off_flag').variationKey).toBeNull();
    expect(processor.impressions[0]).toMatchObject({
      layer: { id: null },
      experiment: { id: null, key: '' },
      variation: { id: null, key: '' },
      ruleKey: '',
      ruleType: 'rollout',
      enabled: false,
    });
  });

  it('always sends holdout impressions, with an empty layer id', () => {
    const { client, processor } = setup(fixture({ holdouts: [holdout('h1', 'ho')] }));
    client.createUserContext('user-1').decide('rollout_flag');
    expect(processor.impressions).toHaveLength(1);
    expect(processor.impressions[0]).toMatchObject({
      layer: { id: '' },
      experiment: { id: 'h1', key: 'ho' },
      variation: { id: 'h1-off', key: 'ho_off' },
      ruleKey: 'ho',
      flagKey: 'rollout_flag',
      ruleType: 'holdout',
      enabled: false,
    });
  });

  it('sends an impression for a forced flag decision (no rule)', () => {
    const { client, processor } = setup();
    const user = client.createUserContext('user-1');
    user.setForcedDecision({ flagKey: 'flag' }, { variationKey: 'on' });
    user.decide('flag');
    expect(processor.impressions[0]).toMatchObject({
      layer: { id: null },
      experiment: { id: null, key: '' },
      variation: { id: 'v-on', key: 'on' },
      ruleType: 'feature-test',
      enabled: true,
    });
  });

  describe('with a global holdout that excludes targeted deliveries', () => {
    const df = (sendFlagDecisions: boolean) =>
      fixture({ sendFlagDecisions, holdouts: [holdout('h1', 'ho', { excludeTargetedDeliveries: true })] });

    it('sends only the extra holdout impression when delivery impressions are off', () => {
      const { client, processor } = setup(df(false));
      const decisionInfos: Record<string, unknown>[] = [];
      client.notificationCenter.addNotificationListener(
        'DECISION',
        (n) => void decisionInfos.push(n.decisionInfo as never),
      );
      const decision = client.createUserContext('user-1', { beta: true }).decide('flag');
      expect(decision).toMatchObject({ variationKey: 'on', ruleKey: 'delivery', enabled: true });
      expect(processor.impressions).toHaveLength(1);
      expect(processor.impressions[0]).toMatchObject({
        layer: { id: '' },
        experiment: { id: 'h1', key: 'ho' },
        variation: { key: 'ho_off' },
        flagKey: 'flag',
        ruleType: 'holdout',
        enabled: false,
      });
      expect(decisionInfos[0]).toMatchObject({ decisionEventDispatched: true, ruleKey: 'delivery' });
    });

    it('sends the delivery impression first, then the holdout one, when delivery impressions are on', () => {
      const { client, processor } = setup(df(true));
      client.createUserContext('user-1', { beta: true }).decide('flag');
      expect(processor.impressions.map((e) => [e.ruleType, e.experiment.key])).toEqual([
        ['rollout', 'delivery'],
        ['holdout', 'ho'],
      ]);
    });

    it('sends the holdout impression even when no delivery rule matched', () => {
      const noDelivery = df(false);
      (
        ((noDelivery.rollouts as Json[])[0]!.experiments as Json[])[1]!.trafficAllocation as Json[]
      )[0]!.endOfRange = 0;
      const { client, processor } = setup(noDelivery);
      expect(client.createUserContext('user-1').decide('flag').variationKey).toBeNull();
      expect(processor.impressions.map((e) => e.ruleType)).toEqual(['holdout']);
    });

    it('sends neither with DISABLE_DECISION_EVENT', () => {
      const { client, processor } = setup(df(true));
      client.createUserContext('user-1', { beta: true }).decide('flag', [DISABLE_DECISION_EVENT]);
      expect(processor.events).toEqual([]);
    });
  });

  it('keeps only datafile attributes and $opt_ keys with loggable values in the visitor attributes', () => {
    const { client, processor } = setup();
    const attributes = {
      country: 'us',
      beta: true,
      unknown: 'dropped',
      age: 3.5,
      $opt_user_agent: 'agent',
      nested: { a: 1 },
      score: Number.NaN,
      big: 2 ** 53 + 2,
      list: ['x'],
      nothing: null,
    };
    client.createUserContext('user-1', attributes).decide('flag');
    expect(processor.impressions[0]!.user.attributes).toEqual([
      { entityId: 'att-country', key: 'country', value: 'us' },
      { entityId: 'att-beta', key: 'beta', value: true },
      { entityId: 'att-age', key: 'age', value: 3.5 },
      { entityId: '$opt_user_agent', key: '$opt_user_agent', value: 'agent' },
    ]);
  });

  it('keeps deciding when the event processor throws', () => {
    const processor = new RecordingEventProcessor();
    processor.process = () => {
      throw new Error('queue full');
    };
    const handleError = vi.fn();
    const client = createInstance({
      datafile: fixture(),
      eventProcessor: processor,
      errorHandler: { handleError },
    });
    expect(client.createUserContext('user-1').decide('flag').variationKey).toBe('treatment');
    expect(handleError).toHaveBeenCalledWith(expect.objectContaining({ message: 'queue full' }));
  });
});

// ─────────────────────────────── track ───────────────────────────────

describe('Client: track', () => {
  it('builds a conversion event with integer revenue, float value and no null tags', () => {
    const { client, processor } = setup();
    const tags = { revenue: '42.9', value: '3.5', category: 'shoes', empty: null, missing: undefined };
    client.track('purchase', 'user-1', { country: 'us', unknown: 'x' }, tags as never);
    expect(processor.conversions).toHaveLength(1);
    const event = processor.conversions[0]!;
    expect(event).toMatchObject({
      type: 'conversion',
      event: { id: 'ev-purchase', key: 'purchase' },
      revenue: 42,
      value: 3.5,
      user: { id: 'user-1', attributes: [{ entityId: 'att-country', key: 'country', value: 'us' }] },
    });
    expect(event.tags).toEqual({ revenue: '42.9', value: '3.5', category: 'shoes' });
    expect(Object.keys(event.tags!)).not.toContain('empty');
  });

  it.each([
    [{ revenue: 42.9 }, 42, null],
    [{ revenue: -3.7, value: 2.25 }, -3, 2.25],
    [{ revenue: 'abc', value: 'abc' }, null, null],
    [{ value: '1e3' }, null, 1000],
    [{ revenue: '12abc' }, 12, null],
  ])('reads revenue and value from %j', (tags, revenue, value) => {
    const { client, processor } = setup();
    client.track('purchase', 'user-1', undefined, tags);
    expect(processor.conversions[0]).toMatchObject({ revenue, value });
  });

  it('sends nothing for an unknown event key, and says so', () => {
    const { client, processor, logger } = setup();
    client.track('nope', 'user-1');
    expect(processor.events).toEqual([]);
    expect(logger.lines).toContainEqual([
      'warn',
      'Event key nope is not in datafile. Not tracking user user-1.',
    ]);
  });

  it('sends nothing for invalid input', () => {
    const { client, processor } = setup();
    client.track('purchase', 42 as unknown as string);
    client.track('', 'user-1');
    client.track('purchase', 'user-1', { a: undefined });
    client.track('purchase', 'user-1', undefined, ['tag'] as never);
    expect(processor.events).toEqual([]);
  });

  it('tracks through a user context with its current attributes', () => {
    const { client, processor } = setup();
    const user = client.createUserContext('user-1', { country: 'us' });
    user.setAttribute('beta', true);
    user.trackEvent('purchase', { value: 1 });
    expect(processor.conversions[0]!.user.attributes.map((a) => a.key)).toEqual(['country', 'beta']);
    expect(processor.conversions[0]!.value).toBe(1);
  });

  it('logs and returns when there is no event processor', () => {
    const logger = recordingLogger();
    const client = createInstance({ datafile: fixture(), logger });
    expect(() => client.track('purchase', 'user-1')).not.toThrow();
    expect(logger.lines.some(([level]) => level === 'error')).toBe(true);
  });
});

// ─────────────────────────────── global holdouts across decisions ───────────────────────────────

describe('Client: global holdouts remembered by a context', () => {
  const vipSegment = {
    type: 'third_party_dimension',
    name: 'odp.audiences',
    match: 'qualified',
    value: 'vip',
  };
  const withHoldouts = () =>
    fixture({
      typedAudiences: [
        typedAudience('aud-beta', 'beta', ['and', attributeCondition('beta', true)]),
        typedAudience('aud-vip', 'vip', ['or', vipSegment]),
      ],
      holdouts: [
        holdout('h1', 'ho', { audienceIds: ['aud-beta'] }),
        holdout('h2', 'ho_vip', { audienceIds: ['aud-vip'] }),
      ],
    });

  it('re-evaluates them after setAttribute and after new segments', () => {
    // No logger at info level and no reasons: the only decisions that use the memo.
    const client = createInstance({ datafile: withHoldouts() });
    const user = client.createUserContext('user-1', { beta: false });
    expect(user.decide('flag').ruleKey).toBe('exp');
    expect(user.decide('flag').ruleKey).toBe('exp');
    expect(user.decideAll().flag!.ruleKey).toBe('exp');
    user.setAttribute('beta', true);
    expect(user.decide('flag').ruleKey).toBe('ho');
    expect(user.decideForKeys(['rollout_flag']).rollout_flag!.ruleKey).toBe('ho');
    user.setAttribute('beta', false);
    expect(user.decide('flag').ruleKey).toBe('exp');
    user.qualifiedSegments = ['vip'];
    expect(user.decide('flag').ruleKey).toBe('ho_vip');
    expect(user.decide('flag').ruleKey).toBe('ho_vip');
    user.qualifiedSegments = [];
    expect(user.decide('flag').ruleKey).toBe('exp');
  });

  it('keeps the context a decision hands out independent of its origin', () => {
    // No logger at info level and no reasons: the only decisions that use the memo.
    const client = createInstance({ datafile: withHoldouts() });
    const user = client.createUserContext('user-1', { beta: false });
    user.decide('flag');
    const decision = user.decide('flag');
    decision.userContext.setAttribute('beta', true);
    expect(decision.userContext.decide('flag').ruleKey).toBe('ho');
    expect(user.decide('flag').ruleKey).toBe('exp');
  });

  it('forgets them for a new config', () => {
    const manager = manualConfigManager();
    const client = createInstance({ projectConfigManager: manager });
    // (no logger: see above)
    manager.publish(withHoldouts());
    const user = client.createUserContext('user-1', { beta: true });
    expect(user.decide('flag').ruleKey).toBe('ho');
    expect(user.decide('flag').ruleKey).toBe('ho');
    manager.publish(fixture());
    expect(user.decide('flag').ruleKey).toBe('exp');
  });
});

// ─────────────────────────────── notifications ───────────────────────────────

describe('Client: notifications', () => {
  it('sends ACTIVATE for each impression, with the experiment or the holdout', () => {
    const { client, processor } = setup(
      fixture({ holdouts: [holdout('h1', 'ho', { audienceIds: ['aud-beta'] })] }),
    );
    const seen: ActivateNotification[] = [];
    client.notificationCenter.addNotificationListener('ACTIVATE', (n) => void seen.push(n));
    client.createUserContext('user-1', { country: 'us' }).decide('flag');
    client.createUserContext('user-2', { beta: true }).decide('flag');
    expect(seen).toHaveLength(2);
    expect(seen[0]!.experiment?.key).toBe('exp');
    expect(seen[0]!.holdout).toBeNull();
    expect(seen[0]!.variation?.key).toBe('treatment');
    expect(seen[0]!.userId).toBe('user-1');
    expect({ ...seen[0]!.attributes }).toEqual({ country: 'us' });
    expect(seen[0]!.logEvent).toEqual(processor.buildLogEvent([processor.impressions[0]!]));
    expect(seen[1]!.experiment).toBeNull();
    expect(seen[1]!.holdout?.key).toBe('ho');
  });

  it('gives ACTIVATE listeners a plain copy of the attributes', () => {
    const { client } = setup();
    const user = client.createUserContext('user-1', { country: 'us' });
    const earlier = user.decide('rollout_flag');
    const prototypes: unknown[] = [];
    // Assertions inside a listener would be swallowed by the notification center: record instead.
    client.notificationCenter.addNotificationListener('ACTIVATE', (n) => {
      prototypes.push(Object.getPrototypeOf(n.attributes));
      (n.attributes as Record<string, unknown>).country = 'changed';
    });
    user.decide('flag');
    expect(prototypes).toEqual([Object.prototype]);
    expect(user.getAttributes()).toEqual({ country: 'us' });
    expect(earlier.userContext.getAttributes()).toEqual({ country: 'us' });
  });

  it('gives TRACK listeners a plain copy of a user context’s attributes', () => {
    const { client } = setup();
    const user = client.createUserContext('user-1', { country: 'us' });
    const earlier = user.decide('rollout_flag');
    const prototypes: unknown[] = [];
    client.notificationCenter.addNotificationListener('TRACK', (n) => {
      prototypes.push(Object.getPrototypeOf(n.attributes));
      (n.attributes as Record<string, unknown>).country = 'changed';
    });
    user.trackEvent('purchase');
    expect(prototypes).toEqual([Object.prototype]);
    expect(user.getAttributes()).toEqual({ country: 'us' });
    expect(earlier.userContext.getAttributes()).toEqual({ country: 'us' });
  });

  it('sends a DECISION notification of type flag with the reference’s decisionInfo', () => {
    const { client } = setup();
    const seen: DecisionNotification[] = [];
    client.notificationCenter.addNotificationListener('DECISION', (n) => void seen.push(n));
    const decision = client.createUserContext('user-1', { country: 'us' }).decide('flag');
    expect(seen).toEqual([
      {
        type: 'flag',
        userId: 'user-1',
        attributes: { country: 'us' },
        decisionInfo: {
          flagKey: 'flag',
          enabled: true,
          variationKey: 'treatment',
          ruleKey: 'exp',
          variables: decision.variables,
          reasons: [],
          decisionEventDispatched: true,
          experimentId: 'e1',
          variationId: 'v-treatment',
        },
      },
    ]);
    client.createUserContext('user-1').decide('rollout_flag', [INCLUDE_REASONS]);
    expect(seen[1]!.decisionInfo).toMatchObject({
      flagKey: 'rollout_flag',
      ruleKey: 'ro2_rule',
      decisionEventDispatched: false,
      experimentId: 'r3',
      variationId: 'v-ro2',
    });
    expect((seen[1]!.decisionInfo.reasons as string[]).length).toBeGreaterThan(0);
  });

  it('sends TRACK with the filtered tags and the log event', () => {
    const { client, processor } = setup();
    const seen: TrackNotification[] = [];
    client.notificationCenter.addNotificationListener('TRACK', (n) => void seen.push(n));
    client.track('purchase', 'user-1', { country: 'us' }, { revenue: 10, gone: null });
    expect(seen).toEqual([
      {
        eventKey: 'purchase',
        userId: 'user-1',
        attributes: { country: 'us' },
        eventTags: { revenue: 10 },
        logEvent: processor.buildLogEvent([processor.conversions[0]!]),
      },
    ]);
  });

  it('forwards the processor’s dispatches as LOG_EVENT until closed', async () => {
    const { client, processor } = setup();
    const seen: LogEvent[] = [];
    client.notificationCenter.addNotificationListener('LOG_EVENT', (n) => void seen.push(n));
    const logEvent: LogEvent = { url: 'https://logx.test', httpVerb: 'POST', params: { visitors: [] } };
    processor.dispatch(logEvent);
    expect(seen).toEqual([logEvent]);
    await client.close();
    client.notificationCenter.addNotificationListener('LOG_EVENT', (n) => void seen.push(n));
    processor.dispatch(logEvent);
    expect(seen).toHaveLength(1);
  });

  it('sends OPTIMIZELY_CONFIG_UPDATE for each new config and refreshes getOptimizelyConfig', () => {
    const manager = manualConfigManager();
    const client = createInstance({ projectConfigManager: manager });
    const updates: unknown[] = [];
    client.notificationCenter.addNotificationListener(
      'OPTIMIZELY_CONFIG_UPDATE',
      (n) => void updates.push(n),
    );
    expect(client.getOptimizelyConfig()).toBeNull();
    manager.publish(fixture({ revision: '1' }));
    expect(updates).toEqual([undefined]);
    expect(client.getOptimizelyConfig()?.revision).toBe('1');
    manager.publish(fixture({ revision: '2' }));
    expect(updates).toEqual([undefined, undefined]);
    expect(client.getOptimizelyConfig()?.revision).toBe('2');
  });

  it('keeps deciding when a listener throws, and reports the error', () => {
    const handleError = vi.fn();
    const { client } = setup(fixture(), { errorHandler: { handleError } });
    const after = vi.fn();
    client.notificationCenter.addNotificationListener('DECISION', () => {
      throw new Error('listener broke');
    });
    client.notificationCenter.addNotificationListener('ACTIVATE', () => {
      throw new Error('activate broke');
    });
    client.notificationCenter.addNotificationListener('DECISION', after);
    const decision = client.createUserContext('user-1').decide('flag');
    expect(decision.variationKey).toBe('treatment');
    expect(after).toHaveBeenCalledTimes(1);
    expect(handleError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener broke' }));
    expect(handleError).toHaveBeenCalledWith(expect.objectContaining({ message: 'activate broke' }));
  });

  it('refuses listeners of unknown types and removes listeners by id', () => {
    const { client } = setup();
    const listener = vi.fn();
    expect(client.notificationCenter.addNotificationListener('NOPE' as 'TRACK', listener)).toBe(-1);
    const id = client.notificationCenter.addNotificationListener('DECISION', listener);
    expect(id).toBeGreaterThan(0);
    expect(client.notificationCenter.removeNotificationListener(id)).toBe(true);
    client.createUserContext('user-1').decide('flag');
    expect(listener).not.toHaveBeenCalled();
  });
});

// ─────────────────────────────── createUserContext ───────────────────────────────

describe('Client: createUserContext', () => {
  it.each([
    ['a number', 42],
    ['null', null],
    ['undefined (no VUID)', undefined],
    ['an object', {}],
    ['the string "undefined"', 'undefined'],
  ])('throws an InputError for %s as user id', (_label, userId) => {
    const { client } = setup();
    let caught: unknown;
    try {
      client.createUserContext(userId as string);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).code).toBe('INVALID_USER_ID');
  });

  it('accepts an empty string as user id', () => {
    expect(setup().client.createUserContext('').getUserId()).toBe('');
  });

  it.each([
    ['an undefined value', { a: undefined }],
    ['an array', ['a']],
    ['a string', 'a=1'],
  ])('throws an InputError for attributes with %s', (_label, attributes) => {
    const { client } = setup();
    expect(() => client.createUserContext('user-1', attributes as never)).toThrow(InputError);
    try {
      client.createUserContext('user-1', attributes as never);
    } catch (error) {
      expect((error as InputError).code).toBe('INVALID_ATTRIBUTES');
    }
  });

  it('keeps __proto__ and constructor attribute keys as data without polluting Object.prototype', () => {
    const { client, processor } = setup();
    const attributes = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c", "country": "us"}');
    const user = client.createUserContext('user-1', attributes);
    user.setAttribute('__proto__', { polluted: 'again' });
    const copy = user.getAttributes();
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(copy.constructor).toBe('c');
    expect(user.decide('flag').variationKey).toBe('treatment');
    user.trackEvent('purchase');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(processor.impressions[0]!.user.attributes).toEqual([
      { entityId: 'att-country', key: 'country', value: 'us' },
    ]);
  });

  it('does not throw for NaN, infinite or huge numeric attributes', () => {
    const { client, processor } = setup();
    const attributes = {
      age: Number.NaN,
      score: Number.POSITIVE_INFINITY,
      big: 2 ** 53 + 1,
      beta: 2 ** 53 + 2,
    };
    const user = client.createUserContext('user-1', attributes);
    const decisions = user.decideAll([INCLUDE_REASONS]);
    expect(Object.keys(decisions)).toEqual(['flag', 'rollout_flag', 'off_flag']);
    expect(decisions.flag!.variationKey).toBe('treatment');
    expect(() => user.trackEvent('purchase')).not.toThrow();
    expect(processor.conversions).toHaveLength(1);
  });
});

// ─────────────────────────────── legacy APIs ───────────────────────────────

describe('Client: legacy APIs', () => {
  it('activate buckets the user and sends an experiment impression without a flag key', () => {
    const { client, processor } = setup();
    const activations: ActivateNotification[] = [];
    client.notificationCenter.addNotificationListener('ACTIVATE', (n) => void activations.push(n));
    expect(client.activate('exp', 'user-1', { country: 'us' })).toBe('treatment');
    expect(processor.impressions).toHaveLength(1);
    expect(processor.impressions[0]).toMatchObject({
      layer: { id: 'layer-e1' },
      experiment: { id: 'e1', key: 'exp' },
      variation: { id: 'v-treatment', key: 'treatment' },
      ruleType: 'experiment',
      flagKey: '',
      enabled: true,
      user: { attributes: [{ entityId: 'att-country', key: 'country', value: 'us' }] },
    });
    expect(activations[0]!.experiment?.key).toBe('exp');
    expect(client.activate('ab_only', 'user-1')).toBe('a');
    expect(processor.impressions[1]).toMatchObject({
      experiment: { key: 'ab_only' },
      flagKey: '',
      enabled: true,
    });
  });

  it('activate refuses paused experiments, rollout rules and unknown keys without an impression', () => {
    const { client, processor } = setup();
    expect(client.activate('paused_exp', 'user-1')).toBeNull();
    expect(client.activate('delivery', 'user-1', { beta: true })).toBeNull();
    expect(client.activate('nope', 'user-1')).toBeNull();
    expect(client.activate('exp', 42 as unknown as string)).toBeNull();
    expect(processor.events).toEqual([]);
  });

  it('getVariation decides without an impression and rejects rollout rules', () => {
    const { client, processor } = setup();
    const seen: DecisionNotification[] = [];
    client.notificationCenter.addNotificationListener('DECISION', (n) => void seen.push(n));
    expect(client.getVariation('exp', 'user-1')).toBe('treatment');
    expect(client.getVariation('ab_only', 'user-1')).toBe('a');
    expect(client.getVariation('delivery', 'user-1', { beta: true })).toBeNull();
    expect(client.getVariation('r1', 'user-1')).toBeNull();
    expect(processor.events).toEqual([]);
    expect(seen.map((n) => [n.type, n.decisionInfo])).toEqual([
      ['feature-test', { experimentKey: 'exp', variationKey: 'treatment' }],
      ['ab-test', { experimentKey: 'ab_only', variationKey: 'a' }],
    ]);
  });

  it('isFeatureEnabled decides the flag, with impressions as decide sends them', () => {
    const { client, processor } = setup();
    const seen: DecisionNotification[] = [];
    client.notificationCenter.addNotificationListener('DECISION', (n) => void seen.push(n));
    expect(client.isFeatureEnabled('flag', 'user-1')).toBe(true);
    expect(client.isFeatureEnabled('rollout_flag', 'user-1')).toBe(true);
    expect(client.isFeatureEnabled('off_flag', 'user-1')).toBe(false);
    expect(client.isFeatureEnabled('nope', 'user-1')).toBe(false);
    expect(processor.impressions.map((e) => [e.flagKey, e.ruleType])).toEqual([['flag', 'feature-test']]);
    expect(seen[0]).toEqual({
      type: 'feature',
      userId: 'user-1',
      attributes: {},
      decisionInfo: {
        featureKey: 'flag',
        featureEnabled: true,
        source: 'feature-test',
        sourceInfo: { experimentKey: 'exp', variationKey: 'treatment' },
      },
    });
    expect(seen[1]!.decisionInfo).toEqual({
      featureKey: 'rollout_flag',
      featureEnabled: true,
      source: 'rollout',
      sourceInfo: {},
    });
  });

  it('getEnabledFeatures lists the enabled flags in flag order', () => {
    const { client, processor } = setup();
    expect(client.getEnabledFeatures('user-1')).toEqual(['flag', 'rollout_flag']);
    expect(client.getEnabledFeatures('user-1', { beta: true })).toEqual(['flag', 'rollout_flag']);
    expect(processor.impressions).toHaveLength(2);
    expect(client.getEnabledFeatures(7 as unknown as string)).toEqual([]);
  });

  it('getFeatureVariable* cast values and return null on a type mismatch', () => {
    const { client, logger } = setup();
    expect(client.getFeatureVariableString('flag', 'color', 'user-1')).toBe('red');
    expect(client.getFeatureVariableInteger('flag', 'count', 'user-1')).toBe(7);
    expect(client.getFeatureVariableDouble('flag', 'ratio', 'user-1')).toBe(1.5);
    expect(client.getFeatureVariableBoolean('flag', 'on', 'user-1')).toBe(true);
    expect(client.getFeatureVariableJSON('flag', 'cfg', 'user-1')).toEqual({ a: 2, nested: { b: 3 } });
    expect(client.getFeatureVariable('flag', 'count', 'user-1')).toBe(7);
    expect(client.getFeatureVariableBoolean('flag', 'color', 'user-1')).toBeNull();
    expect(client.getFeatureVariableString('flag', 'cfg', 'user-1')).toBeNull();
    expect(
      logger.lines.some(
        ([level, m]) => level === 'warn' && m.includes('"boolean"') && m.includes('"string"'),
      ),
    ).toBe(true);
    expect(client.getFeatureVariable('flag', 'nope', 'user-1')).toBeNull();
    expect(client.getFeatureVariable('nope', 'color', 'user-1')).toBeNull();
  });

  it('getFeatureVariable* return defaults when the decided variation is disabled', () => {
    const { client } = setup();
    client.setForcedVariation('exp', 'user-1', 'control');
    expect(client.getFeatureVariableString('flag', 'color', 'user-1')).toBe('grey');
    expect(client.getFeatureVariableJSON('flag', 'cfg', 'user-1')).toEqual({ a: 1, nested: { b: 2 } });
  });

  it('getAllFeatureVariables returns every variable, typed', () => {
    const { client } = setup();
    const seen: DecisionNotification[] = [];
    client.notificationCenter.addNotificationListener('DECISION', (n) => void seen.push(n));
    expect(client.getAllFeatureVariables('flag', 'user-1')).toEqual({
      color: 'red',
      count: 7,
      ratio: 1.5,
      on: true,
      cfg: { a: 2, nested: { b: 3 } },
    });
    expect(seen[0]!.type).toBe('all-feature-variables');
    expect(client.getAllFeatureVariables('rollout_flag', 'user-1')).toEqual({});
    expect(client.getAllFeatureVariables('nope', 'user-1')).toBeNull();
  });

  it('round-trips setForcedVariation and getForcedVariation, and removes with null', () => {
    const { client } = setup();
    expect(client.getForcedVariation('exp', 'user-1')).toBeNull();
    expect(client.setForcedVariation('exp', 'user-1', 'control')).toBe(true);
    expect(client.getForcedVariation('exp', 'user-1')).toBe('control');
    expect(client.getForcedVariation('exp', 'user-2')).toBeNull();
    expect(client.createUserContext('user-1').decide('flag').variationKey).toBe('control');
    expect(client.setForcedVariation('exp', 'user-1', null)).toBe(true);
    expect(client.getForcedVariation('exp', 'user-1')).toBeNull();
    expect(client.createUserContext('user-1').decide('flag').variationKey).toBe('treatment');
  });

  it('refuses invalid setForcedVariation calls', () => {
    const { client } = setup();
    expect(client.setForcedVariation('exp', 'never-forced', null)).toBe(false);
    expect(client.setForcedVariation('exp', 'user-1', 'nope')).toBe(false);
    expect(client.setForcedVariation('nope', 'user-1', 'control')).toBe(false);
    expect(client.setForcedVariation('exp', 'user-1', '')).toBe(false);
    expect(client.getForcedVariation('nope', 'user-1')).toBeNull();
    expect(client.getForcedVariation('exp', 'user-1')).toBeNull();
  });

  it('uses the sync user profile service in the legacy APIs', () => {
    const saved: UserProfile[] = [];
    const ups = {
      lookup: (userId: string): UserProfile => ({
        user_id: userId,
        experiment_bucket_map: { e1: { variation_id: 'v-control' } },
      }),
      save: (profile: UserProfile) => void saved.push(profile),
    };
    const { client } = setup(fixture(), { userProfileService: ups });
    expect(client.getVariation('exp', 'user-1')).toBe('control');
    expect(client.isFeatureEnabled('flag', 'user-1')).toBe(false);
    expect(client.activate('ab_only', 'user-1')).toBe('a');
    expect(saved.map((p) => Object.keys(p.experiment_bucket_map))).toEqual([['e1', 'e-ab']]);
  });
});

// ─────────────────────────────── async decide ───────────────────────────────

describe('Client: decideAsync with an async user profile service', () => {
  function deferred<T = void>() {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  }

  function asyncProfileService(stored: Record<string, string> = {}) {
    const saves: UserProfile[] = [];
    const saveGate = deferred();
    const service = {
      saves,
      saveGate,
      lookup: vi.fn(async (userId: string): Promise<UserProfile> => {
        await new Promise((r) => setTimeout(r, 5));
        return {
          user_id: userId,
          experiment_bucket_map: Object.fromEntries(
            Object.entries(stored).map(([e, v]) => [e, { variation_id: v }]),
          ),
        };
      }),
      save: vi.fn(async (profile: UserProfile) => {
        saves.push(profile);
        await saveGate.promise;
      }),
    };
    return service satisfies UserProfileServiceAsync;
  }

  it('awaits the lookup and serves the stored variation', async () => {
    const ups = asyncProfileService({ e1: 'v-control' });
    const { client } = setup(fixture(), { userProfileServiceAsync: ups });
    const decision = await client.createUserContext('user-1').decideAsync('flag', [INCLUDE_REASONS]);
    expect(decision.variationKey).toBe('control');
    expect(ups.lookup).toHaveBeenCalledWith('user-1');
    expect(ups.save).not.toHaveBeenCalled();
  });

  it('awaits the save before resolving', async () => {
    const ups = asyncProfileService();
    const { client } = setup(fixture(), { userProfileServiceAsync: ups });
    let settled = false;
    const pending = client
      .createUserContext('user-1')
      .decideAsync('flag')
      .then((d) => {
        settled = true;
        return d;
      });
    await vi.waitFor(() => expect(ups.save).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    ups.saveGate.resolve();
    expect((await pending).variationKey).toBe('treatment');
    expect(ups.saves[0]).toEqual({
      user_id: 'user-1',
      experiment_bucket_map: { e1: { variation_id: 'v-treatment' } },
    });
  });

  it('looks up and saves once for decideAllAsync, and not at all with IGNORE_USER_PROFILE_SERVICE', async () => {
    const ups = asyncProfileService();
    ups.saveGate.resolve();
    const { client } = setup(fixture(), { userProfileServiceAsync: ups });
    const decisions = await client.createUserContext('user-1').decideAllAsync();
    expect(Object.keys(decisions)).toEqual(['flag', 'rollout_flag', 'off_flag']);
    expect(ups.lookup).toHaveBeenCalledTimes(1);
    expect(ups.save).toHaveBeenCalledTimes(1);
    await client.createUserContext('user-2').decideAsync('flag', [IGNORE_USER_PROFILE_SERVICE]);
    expect(ups.lookup).toHaveBeenCalledTimes(1);
    expect(ups.save).toHaveBeenCalledTimes(1);
  });

  it('is not consulted by synchronous decide', () => {
    const ups = asyncProfileService({ e1: 'v-control' });
    const { client } = setup(fixture(), { userProfileServiceAsync: ups });
    expect(client.createUserContext('user-1').decide('flag').variationKey).toBe('treatment');
    expect(ups.lookup).not.toHaveBeenCalled();
  });

  it('treats a rejected lookup as an empty profile', async () => {
    const ups = asyncProfileService();
    ups.saveGate.resolve();
    ups.lookup.mockImplementation(() => Promise.reject(new Error('redis down')));
    const { client, logger } = setup(fixture(), { userProfileServiceAsync: ups });
    expect((await client.createUserContext('user-1').decideAsync('flag')).variationKey).toBe('treatment');
    expect(logger.lines).toContainEqual([
      'error',
      'Error while looking up user profile for user ID "user-1": redis down.',
    ]);
  });

  it('gives an error decision for an unknown flag', async () => {
    const { client } = setup();
    const decision = await client.createUserContext('user-1').decideAsync('nope');
    expect(decision).toMatchObject({
      flagKey: 'nope',
      variationKey: null,
      reasons: ['No flag was found for key "nope".'],
    });
  });
});
