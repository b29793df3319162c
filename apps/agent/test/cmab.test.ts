import { createLogger } from '@flagkit/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cmabRuleDatafile,
  type FakeCmabPrediction,
  startFakeCmabPrediction,
} from '../../../packages/core/test-support/fake-cmab-prediction';
import { type AgentHarness, startAgentHarness } from './support/agent-harness';

/** Serves the CMAB project: flag `flag`, CMAB rule `cmab_exp` (id `e-cmab`), variations `a`/`b`. */
const CMAB_KEY = 'cmabSdkKey';

let prediction: FakeCmabPrediction;
let predictionAnswer: FakeCmabPrediction['answer'];
let h: AgentHarness;

beforeAll(async () => {
  // u-a is predicted into `a`, everyone else into `b`.
  prediction = await startFakeCmabPrediction((request) =>
    request.body.instances[0]?.visitorId === 'u-a' ? 'v-a' : 'v-b',
  );
  predictionAnswer = prediction.answer;
  h = await startAgentHarness({
    config: {
      // No user profile service: the decide route must go async for CMAB alone.
      client: {
        cmab: { predictionEndpoint: prediction.endpointTemplate },
        userProfileService: { default: '' },
      },
    },
  });
  h.cdn.publish(CMAB_KEY, cmabRuleDatafile());
});

afterAll(async () => {
  await h?.close();
  await prediction?.close();
});

beforeEach(() => {
  prediction.requests.length = 0;
  prediction.answer = predictionAnswer;
});

const decide = async (body: unknown, keys: string[] = ['flag']) => {
  const url = new URL('/v1/decide', h.api);
  for (const key of keys) url.searchParams.append('keys', key);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': CMAB_KEY },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as unknown };
};

const cmabDecision = (userId: string, variationKey: string, attributes: Record<string, unknown> = {}) => ({
  variationKey,
  enabled: true,
  ruleKey: 'cmab_exp',
  flagKey: 'flag',
  userContext: { userId, attributes },
  reasons: [],
  isEveryoneElseVariation: false,
});

describe('POST /v1/decide with a CMAB rule', () => {
  it('serves the predicted variation, asking /predict/<ruleId> for the user with the rule’s attributes', async () => {
    const answer = await decide({ userId: 'u1', userAttributes: { plan: 'pro', other: 1 } });
    expect(answer).toEqual({ status: 200, json: cmabDecision('u1', 'b', { plan: 'pro', other: 1 }) });
    expect(prediction.requests).toHaveLength(1);
    const [request] = prediction.requests;
    expect(request?.path).toBe('/predict/e-cmab');
    expect(request?.body.instances).toHaveLength(1);
    expect(request?.body.instances[0]).toMatchObject({
      visitorId: 'u1',
      experimentId: 'e-cmab',
      attributes: [{ id: 'att-plan', value: 'pro', type: 'custom_attribute' }],
    });
  });

  it('serves an identical decide from the cache, and asks again with IGNORE_CMAB_CACHE', async () => {
    const body = { userId: 'u-cache', userAttributes: { plan: 'free' } };
    expect((await decide(body)).json).toEqual(cmabDecision('u-cache', 'b', { plan: 'free' }));
    expect(prediction.requests).toHaveLength(1);

    expect((await decide(body)).json).toEqual(cmabDecision('u-cache', 'b', { plan: 'free' }));
    expect(prediction.requests).toHaveLength(1);

    const ignoring = await decide({ ...body, decideOptions: ['IGNORE_CMAB_CACHE'] });
    expect(ignoring).toEqual({ status: 200, json: cmabDecision('u-cache', 'b', { plan: 'free' }) });
    expect(prediction.requests).toHaveLength(2);
    expect(prediction.requests[1]?.body.instances[0]?.visitorId).toBe('u-cache');
  });

  it('asks again when the rule’s attributes change, and predicts per user', async () => {
    await decide({ userId: 'u-attr', userAttributes: { plan: 'free' } });
    await decide({ userId: 'u-attr', userAttributes: { plan: 'free', unrelated: true } });
    expect(prediction.requests).toHaveLength(1);
    await decide({ userId: 'u-attr', userAttributes: { plan: 'pro' } });
    expect(prediction.requests).toHaveLength(2);
    expect((await decide({ userId: 'u-a' })).json).toEqual(cmabDecision('u-a', 'a'));
  });

  it('predicts in decideAll and decideForKeys too', async () => {
    const all = await decide({ userId: 'u-all' }, []);
    expect(all).toEqual({ status: 200, json: [cmabDecision('u-all', 'b')] });
    const several = await decide({ userId: 'u-keys' }, ['flag', 'missing']);
    expect(several.status).toBe(200);
    expect(several.json).toEqual(
      expect.arrayContaining([cmabDecision('u-keys', 'b'), expect.objectContaining({ flagKey: 'missing' })]),
    );
    expect(prediction.requests.map((r) => r.body.instances[0]?.visitorId)).toEqual(['u-all', 'u-keys']);
  });

  it('answers a failed prediction with an error decision, as the Go SDK does', async () => {
    prediction.answer = () => ({ status: 500, body: { error: 'down' } });
    const answer = await decide({ userId: 'u-fail' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ variationKey: '', enabled: false, flagKey: 'flag' });
    expect((answer.json as { reasons: string[] }).reasons).toContain(
      'Failed to fetch CMAB data for experiment cmab_exp.',
    );
  });
});

describe('client.cmab.cache and $OPTIMIZELY_CMAB_PREDICTIONENDPOINT', () => {
  it('falls back to the in-memory cache, with a warning, for a service it does not have; the variable wins', async () => {
    const warnings: string[] = [];
    const logger = createLogger({
      level: 'warn',
      logHandler: {
        log(level, message) {
          if (level === 'warn') warnings.push(message);
        },
      },
    });
    const other = await startAgentHarness({
      logger,
      env: { OPTIMIZELY_CMAB_PREDICTIONENDPOINT: prediction.endpointTemplate },
      config: {
        client: {
          // The endpoint is left at Optimizely's default, which the variable replaces.
          cmab: { cache: { default: 'memcached' } },
          userProfileService: { default: '' },
        },
      },
    });
    try {
      other.cdn.publish(CMAB_KEY, cmabRuleDatafile());
      const post = () =>
        fetch(`${other.api}/v1/decide?keys=flag`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': CMAB_KEY },
          body: JSON.stringify({ userId: 'u-fallback' }),
        }).then((r) => r.json());
      expect(await post()).toEqual(cmabDecision('u-fallback', 'b'));
      expect(await post()).toEqual(cmabDecision('u-fallback', 'b'));
      expect(prediction.requests).toHaveLength(1);
      expect(warnings).toContain('CMAB cache "memcached" is not available; the in-memory one is used.');
    } finally {
      await other.close();
    }
  });
});
