import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  datafile,
  flag,
  type Json,
  rollout,
  rule,
  variable,
  variation,
} from '../../test-support/datafile-builder';
import { type FakeCmabPrediction, startFakeCmabPrediction } from '../../test-support/fake-cmab-prediction';
import { createFetchRequester } from '../../test-support/fetch-requester';
import type { Client } from '../client/client';
import type { ClientOptions } from '../client/client-options';
import { createInstance } from '../client/create-instance';
import { OptimizelyDecideOption } from '../client/decide-options';
import type { ImpressionEvent, UserEvent } from '../events/user-event';
import type { EventProcessor } from '../ports/event-processor';
import type { Logger, LogLevel } from '../ports/logger';
import { createCmabService } from './create-cmab-service';

/**
 * CMAB rules in async decide, against a fake prediction service on 127.0.0.1. The flag has a CMAB
 * experiment rule (`cmab_exp`, two variations) and a delivery rule for everyone (`everyone_else`).
 */
function cmabDatafile(cmab: { trafficAllocation: number; attributeIds: string[] } | null): Json {
  return datafile({
    attributes: [
      { id: 'att-country', key: 'country' },
      { id: 'att-plan', key: 'plan' },
    ],
    experiments: [
      rule(
        'e-cmab',
        'cmab_exp',
        [
          variation('v-a', 'a', true, { 'var-color': 'red' }),
          variation('v-b', 'b', true, { 'var-color': 'blue' }),
        ],
        cmab ? { type: 'cmab', cmab, traffic: [] } : {},
      ),
    ],
    rollouts: [rollout('ro1', [rule('r-else', 'everyone_else', [variation('v-off', 'off', false)])])],
    featureFlags: [
      flag('f1', 'flag', {
        experimentIds: ['e-cmab'],
        rolloutId: 'ro1',
        variables: [variable('var-color', 'color', 'string', 'grey')],
      }),
    ],
  });
}

class RecordingProcessor implements EventProcessor {
  readonly events: UserEvent[] = [];
  start(): void {}
  process(event: UserEvent): void {
    this.events.push(event);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  isEnabled(level: LogLevel): boolean {
    return level !== 'debug';
  }
  log(level: LogLevel, message: string): void {
    this.lines.push(`${level}: ${message}`);
  }
}

let service: FakeCmabPrediction;
let predictByPlan: FakeCmabPrediction['answer'];
beforeAll(async () => {
  // Predicts `v-b` for users whose plan is "pro", else `v-a`.
  service = await startFakeCmabPrediction((request) =>
    request.body.instances[0]!.attributes.some((a) => a.id === 'att-plan' && a.value === 'pro')
      ? 'v-b'
      : 'v-a',
  );
  predictByPlan = service.answer;
});
afterAll(() => service.close());
beforeEach(() => {
  service.requests.length = 0;
  service.answer = predictByPlan;
});

function clientFor(
  df: Json,
  options: Partial<ClientOptions> = {},
): { client: Client; events: RecordingProcessor; logger: RecordingLogger } {
  const events = new RecordingProcessor();
  const logger = new RecordingLogger();
  const client = createInstance({
    datafile: df,
    eventProcessor: events,
    logger,
    cmabService: createCmabService({
      requester: createFetchRequester(),
      predictionEndpointTemplate: service.endpointTemplate,
    }),
    ...options,
  });
  return { client, events, logger };
}

const ALL_IN = { trafficAllocation: 10000, attributeIds: ['att-plan', 'att-country'] };

describe('CMAB rules in async decide', () => {
  it('serves the predicted variation and sends its cmab_uuid in the impression', async () => {
    const { client, events } = clientFor(cmabDatafile(ALL_IN));
    const user = client.createUserContext('u1', { plan: 'pro', country: 'fr', other: 1 });
    const decision = await user.decideAsync('flag');
    expect(decision).toMatchObject({ variationKey: 'b', ruleKey: 'cmab_exp', enabled: true });
    expect(decision.variables).toEqual({ color: 'blue' });

    expect(service.requests).toHaveLength(1);
    const request = service.requests[0]!;
    expect(request.path).toBe('/predict/e-cmab');
    expect(request.headers['content-type']).toBe('application/json');
    const instance = request.body.instances[0]!;
    expect(instance).toMatchObject({ visitorId: 'u1', experimentId: 'e-cmab' });
    // Only the rule's attributes, keyed by attribute id, in the rule's order.
    expect(instance.attributes).toEqual([
      { id: 'att-plan', value: 'pro', type: 'custom_attribute' },
      { id: 'att-country', value: 'fr', type: 'custom_attribute' },
    ]);
    expect(instance.cmabUUID).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );

    const impression = events.events[0] as ImpressionEvent;
    expect(impression.type).toBe('impression');
    expect(impression.cmabUuid).toBe(instance.cmabUUID);
    expect(impression.variation?.key).toBe('b');
  });

  it('leaves attributes the user lacks out of the request', async () => {
    const { client } = clientFor(cmabDatafile(ALL_IN));
    await client.createUserContext('u1', { country: 'de' }).decideAsync('flag');
    expect(service.requests[0]!.body.instances[0]!.attributes).toEqual([
      { id: 'att-country', value: 'de', type: 'custom_attribute' },
    ]);
  });

  it('caches a prediction per user and rule until the attributes change', async () => {
    const { client, events } = clientFor(cmabDatafile(ALL_IN));
    const first = await client.createUserContext('u1', { plan: 'pro' }).decideAsync('flag');
    const second = await client.createUserContext('u1', { plan: 'pro', ignored: true }).decideAsync('flag');
    expect(second.variationKey).toBe(first.variationKey);
    expect(service.requests).toHaveLength(1);
    // The cached prediction keeps its UUID.
    const [a, b] = events.events as ImpressionEvent[];
    expect(b!.cmabUuid).toBe(a!.cmabUuid);

    const changed = await client.createUserContext('u1', { plan: 'free' }).decideAsync('flag');
    expect(changed.variationKey).toBe('a');
    expect(service.requests).toHaveLength(2);
    await client.createUserContext('u2', { plan: 'free' }).decideAsync('flag');
    expect(service.requests).toHaveLength(3);
  });

  it('honours IGNORE_CMAB_CACHE, INVALIDATE_USER_CMAB_CACHE and RESET_CMAB_CACHE', async () => {
    const { client } = clientFor(cmabDatafile(ALL_IN));
    const u1 = client.createUserContext('u1', { plan: 'pro' });
    const u2 = client.createUserContext('u2', { plan: 'pro' });
    await u1.decideAsync('flag');
    await u2.decideAsync('flag');
    expect(service.requests).toHaveLength(2);

    await u1.decideAsync('flag', [OptimizelyDecideOption.IGNORE_CMAB_CACHE]);
    expect(service.requests).toHaveLength(3);
    await u1.decideAsync('flag'); // the ignored fetch stored nothing; the old entry still serves
    expect(service.requests).toHaveLength(3);

    await u1.decideAsync('flag', [OptimizelyDecideOption.INVALIDATE_USER_CMAB_CACHE]);
    expect(service.requests).toHaveLength(4);
    await u2.decideAsync('flag'); // u2's entry was untouched
    expect(service.requests).toHaveLength(4);

    await u1.decideAsync('flag', [OptimizelyDecideOption.RESET_CMAB_CACHE]);
    expect(service.requests).toHaveLength(5);
    await u2.decideAsync('flag'); // the reset emptied u2's entry too
    expect(service.requests).toHaveLength(6);
  });

  it('shares one request between concurrent decisions for the same user and rule', async () => {
    const { client } = clientFor(cmabDatafile(ALL_IN));
    const user = client.createUserContext('u1', { plan: 'pro' });
    const decisions = await Promise.all([
      user.decideAsync('flag'),
      user.decideAsync('flag'),
      user.decideAllAsync(),
    ]);
    expect(decisions.map((d) => ('flag' in d ? d.flag! : d).variationKey)).toEqual(['b', 'b', 'b']);
    expect(service.requests).toHaveLength(1);
  });

  it('asks nothing for a user outside the CMAB traffic, and goes on to the delivery rules', async () => {
    const { client } = clientFor(cmabDatafile({ trafficAllocation: 0, attributeIds: ['att-plan'] }));
    const decision = await client
      .createUserContext('u1', { plan: 'pro' })
      .decideAsync('flag', [OptimizelyDecideOption.INCLUDE_REASONS]);
    expect(decision).toMatchObject({ ruleKey: 'everyone_else', variationKey: 'off' });
    expect(service.requests).toHaveLength(0);
    expect(decision.reasons.some((r) => r.startsWith('Assigned bucket '))).toBe(true);
  });

  it('goes on to the next rule when the prediction names no variation of the datafile', async () => {
    service.answer = () => ({ status: 200, body: { predictions: [{ variation_id: 'v-unknown' }] } });
    const { client } = clientFor(cmabDatafile(ALL_IN));
    const decision = await client.createUserContext('u1').decideAsync('flag');
    expect(decision).toMatchObject({ ruleKey: 'everyone_else', variationKey: 'off' });
  });

  it('sends no cmab_uuid for a later rule after a prediction that named no variation', async () => {
    service.answer = () => ({ status: 200, body: { predictions: [{ variation_id: 'v-unknown' }] } });
    const df = cmabDatafile(ALL_IN);
    (df.experiments as Json[]).push(rule('e2', 'second_exp', [variation('v-second', 'second')]));
    ((df.featureFlags as Json[])[0]!.experimentIds as string[]).push('e2');
    const { client, events } = clientFor(df);
    const decision = await client.createUserContext('u1').decideAsync('flag');
    expect(decision.ruleKey).toBe('second_exp');
    expect((events.events[0] as ImpressionEvent).cmabUuid).toBeUndefined();
  });

  it('retries a failed prediction once', async () => {
    let calls = 0;
    service.answer = () =>
      ++calls === 1
        ? { status: 503, body: 'busy' }
        : { status: 200, body: { predictions: [{ variation_id: 'v-a' }] } };
    const { client } = clientFor(cmabDatafile(ALL_IN));
    const decision = await client.createUserContext('u1').decideAsync('flag');
    expect(decision.variationKey).toBe('a');
    expect(service.requests).toHaveLength(2);
  });

  it('gives the flag an error decision, with no event, when the prediction fails twice', async () => {
    service.answer = () => ({ status: 500, body: 'down' });
    const { client, events, logger } = clientFor(cmabDatafile(ALL_IN));
    const decisions = await client
      .createUserContext('u1')
      .decideAllAsync([OptimizelyDecideOption.ENABLED_FLAGS_ONLY]);
    // Kept even with ENABLED_FLAGS_ONLY, as the reference keeps error decisions.
    expect(decisions.flag).toMatchObject({
      variationKey: null,
      enabled: false,
      ruleKey: null,
      variables: {},
    });
    // Every reason up to the failure, without INCLUDE_REASONS.
    expect(decisions.flag!.reasons.at(-1)).toBe('Failed to fetch CMAB data for experiment cmab_exp.');
    expect(decisions.flag!.reasons).toContain(
      'Audiences for experiment cmab_exp collectively evaluated to TRUE.',
    );
    expect(service.requests).toHaveLength(2);
    expect(events.events).toHaveLength(0);
    expect(logger.lines).toContain('error: Failed to fetch CMAB data for experiment cmab_exp.');
  });

  it('treats a reply without predictions as a failure', async () => {
    service.answer = () => ({ status: 200, body: { predictions: [] } });
    const { client } = clientFor(cmabDatafile(ALL_IN));
    const decision = await client.createUserContext('u1').decideAsync('flag');
    expect(decision.reasons).toEqual(
      expect.arrayContaining(['Failed to fetch CMAB data for experiment cmab_exp.']),
    );
  });

  it('still skips CMAB rules in sync decide, and without a cmabService (with one warning)', async () => {
    const { client } = clientFor(cmabDatafile(ALL_IN));
    expect(client.createUserContext('u1').decide('flag').ruleKey).toBe('everyone_else');
    const { client: bare, logger } = clientFor(cmabDatafile(ALL_IN), { cmabService: undefined });
    expect((await bare.createUserContext('u1').decideAsync('flag')).ruleKey).toBe('everyone_else');
    await bare.createUserContext('u2').decideAsync('flag');
    expect(service.requests).toHaveLength(0);
    expect(logger.lines.filter((line) => line.includes('No cmabService'))).toHaveLength(1);
  });

  it('keeps the prediction rounds out of the user profile: decisions bucket as if fresh', async () => {
    const df = cmabDatafile(ALL_IN);
    // An ordinary experiment before the CMAB rule buckets everyone.
    (df.experiments as Json[]).unshift(rule('e0', 'plain_exp', [variation('v-plain', 'plain')]));
    ((df.featureFlags as Json[])[0]!.experimentIds as string[]).unshift('e0');
    const saved: { experiment_bucket_map: object }[] = [];
    const { client } = clientFor(df, {
      userProfileService: { lookup: () => null, save: (profile) => saved.push(profile) },
    });
    const decision = await client
      .createUserContext('u1')
      .decideAsync('flag', [OptimizelyDecideOption.INCLUDE_REASONS]);
    expect(decision.ruleKey).toBe('plain_exp');
    expect(decision.reasons.some((reason) => reason.includes('from user profile'))).toBe(false);
    expect(saved).toEqual([{ user_id: 'u1', experiment_bucket_map: { e0: { variation_id: 'v-plain' } } }]);
  });

  it('does not save CMAB variations in the user profile', async () => {
    const saved: unknown[] = [];
    const { client } = clientFor(cmabDatafile(ALL_IN), {
      userProfileService: { lookup: () => null, save: (profile) => saved.push(profile) },
    });
    expect((await client.createUserContext('u1').decideAsync('flag')).variationKey).toBe('a');
    expect(saved).toEqual([]);
  });
});
