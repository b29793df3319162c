import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDatafile } from './support/agent-datafile';
import {
  type AgentHarness,
  NO_ODP_SDK_KEY,
  SDK_KEY,
  startAgentHarness,
  waitFor,
} from './support/agent-harness';
import { contractClient } from './support/contract-client';
import { OpenApiContract } from './support/openapi-contract';

const contract = new OpenApiContract();
let h: AgentHarness;
const call = contractClient(contract, () => h.api);

beforeAll(async () => {
  h = await startAgentHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Agent's error body, byte for byte (Go's encoder ends it with a newline). */
const errorBody = (message: string) => `${JSON.stringify({ error: message })}\n`;

describe('the contract', () => {
  it('catches a response that breaks it, and an undocumented status', () => {
    const json = 'application/json';
    expect(contract.responseProblems('POST', '/v1/decide', 200, json, '{"flagKey":"f"}')).not.toEqual([]);
    expect(
      contract.responseProblems('POST', '/v1/decide', 200, json, '[{"flagKey":"f","ruleKey":"r"}]'),
    ).not.toEqual([]);
    expect(contract.responseProblems('GET', '/v1/config', 418, json, '{}')).not.toEqual([]);
    expect(contract.requestProblems('POST', '/v1/track', { body: { userId: 'u' } })).not.toEqual([]);
  });

  it('lists the operations this suite covers (every one is checked at the end of the file)', () => {
    expect(contract.operations().sort()).toEqual(
      [
        'GET /v1/config',
        'GET /v1/datafile',
        'POST /oauth/token',
        'POST /v1/activate',
        'POST /v1/batch',
        'POST /v1/decide',
        'POST /v1/lookup',
        'POST /v1/override',
        'POST /v1/save',
        'POST /v1/send-odp-event',
        'POST /v1/track',
      ].sort(),
    );
  });
});

describe('GET /v1/config and /v1/datafile', () => {
  it('serves the OptimizelyConfig of the key', async () => {
    const { status, json } = await call('GET', '/v1/config');
    expect(status).toBe(200);
    const config = json as { revision: string; sdkKey: string; featuresMap: Record<string, { key: string }> };
    expect(config.revision).toBe('1');
    expect(config.sdkKey).toBe(SDK_KEY);
    expect(Object.keys(config.featuresMap).sort()).toEqual(['banner', 'checkout', 'vip_banner']);
  });

  it('serves the datafile as fetched', async () => {
    const { status, json } = await call('GET', '/v1/datafile');
    expect(status).toBe(200);
    expect(json).toEqual(agentDatafile('1', { host: h.odp.host, publicKey: h.odp.apiKey }));
  });

  it('answers a key the CDN refuses with 403 and Agent’s message, and does not cache it', async () => {
    const first = await call('GET', '/v1/config', { sdkKey: 'unknownKey' });
    expect(first.status).toBe(403);
    expect(first.text).toBe(
      errorBody('unable to fetch fresh datafile (consider rechecking SDK key), status code: 403 Forbidden'),
    );
    const second = await call('POST', '/v1/decide', { sdkKey: 'unknownKey', body: { userId: 'u' } });
    expect(second.status).toBe(403);
    expect(h.cdn.requestsFor('unknownKey')).toHaveLength(2);
  });

  it('requires the SDK key header, and validates it', async () => {
    const missing = await call('GET', '/v1/config', { sdkKey: null, undocumentedStatus: true });
    expect(missing.status).toBe(400);
    expect(missing.text).toBe(errorBody('missing required X-Optimizely-SDK-Key header'));
    const invalid = await call('GET', '/v1/config', { sdkKey: 'not a key!', undocumentedStatus: true });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toBe(errorBody('sdkKey failed validation'));
  });

  it('accepts sdkKey:datafileAccessToken and fetches with the token', async () => {
    h.cdn.publish('secureKey', agentDatafile('7', null));
    h.cdn.requireToken('secureKey', 'tok3n=');
    const { status, json } = await call('GET', '/v1/config', { sdkKey: 'secureKey:tok3n=' });
    expect(status).toBe(200);
    expect((json as { revision: string }).revision).toBe('7');
    expect(h.cdn.requestsFor('secureKey')[0]?.headers.authorization).toBe('Bearer tok3n=');
  });
});

describe('POST /v1/decide', () => {
  it('gives one key as an object, with variables and isEveryoneElseVariation', async () => {
    const { status, json } = await call('POST', '/v1/decide', {
      query: { keys: 'checkout' },
      body: { userId: 'user-1', userAttributes: { country: 'de' } },
    });
    expect(status).toBe(200);
    expect(json).toEqual({
      variationKey: 'treatment',
      enabled: true,
      ruleKey: 'checkout_test',
      flagKey: 'checkout',
      userContext: { userId: 'user-1', attributes: { country: 'de' } },
      reasons: [],
      variables: { color: 'red' },
      isEveryoneElseVariation: false,
    });
  });

  it('marks the everyone-else rule, and omits an empty variables map', async () => {
    const { json } = await call('POST', '/v1/decide', {
      query: { keys: 'banner' },
      body: { userId: 'user-1' },
    });
    expect(json).toEqual({
      variationKey: 'off',
      enabled: false,
      ruleKey: 'default-rollout-banner',
      flagKey: 'banner',
      userContext: { userId: 'user-1', attributes: {} },
      reasons: [],
      isEveryoneElseVariation: true,
    });
  });

  it('gives no key or several keys as an array', async () => {
    const all = await call('POST', '/v1/decide', { body: { userId: 'user-1' } });
    expect((all.json as { flagKey: string }[]).map((d) => d.flagKey).sort()).toEqual([
      'banner',
      'checkout',
      'vip_banner',
    ]);
    const two = await call('POST', '/v1/decide', {
      query: { keys: ['banner', 'checkout'] },
      body: { userId: 'user-1', decideOptions: ['ENABLED_FLAGS_ONLY'] },
    });
    expect((two.json as { flagKey: string }[]).map((d) => d.flagKey)).toEqual(['checkout']);
  });

  it('applies forced decisions and reports reasons with INCLUDE_REASONS', async () => {
    const { json } = await call('POST', '/v1/decide', {
      query: { keys: 'banner' },
      body: {
        userId: 'user-1',
        decideOptions: ['INCLUDE_REASONS'],
        forcedDecisions: [{ flagKey: 'banner', variationKey: 'on' }],
      },
    });
    const decision = json as { variationKey: string; enabled: boolean; reasons: string[] };
    expect(decision.variationKey).toBe('on');
    expect(decision.enabled).toBe(true);
    expect(decision.reasons).toContain(
      'Variation (on) is mapped to flag (banner) and user (user-1) in the forced decision map.',
    );
  });

  it('sends an impression to logx for an experiment decision', async () => {
    const before = h.logx.requests;
    await call('POST', '/v1/decide', { query: { keys: 'checkout' }, body: { userId: 'impression-user' } });
    await waitFor(() => h.logx.requests > before);
  });

  it('refuses a missing userId with Agent’s exact message', async () => {
    const { status, text } = await call('POST', '/v1/decide', { body: {}, invalidRequest: true });
    expect(status).toBe(400);
    expect(text).toBe(errorBody('missing "userId" in request payload'));
  });

  it('refuses an unknown decide option with Agent’s exact message', async () => {
    const { status, text } = await call('POST', '/v1/decide', {
      body: { userId: 'u', decideOptions: ['NOT_AN_OPTION'] },
      invalidRequest: true,
    });
    expect(status).toBe(400);
    expect(text).toBe(errorBody('invalid option: NOT_AN_OPTION'));
  });

  it('refuses a body of the wrong types as unparsable', async () => {
    const { status, text } = await call('POST', '/v1/decide', { body: { userId: 42 }, invalidRequest: true });
    expect(status).toBe(400);
    expect(text).toBe(errorBody('error parsing request body'));
  });

  it('fetches segments from ODP with fetchSegments, honouring IGNORE_CACHE and RESET_CACHE', async () => {
    h.odp.addCustomer('fs_user_id', 'vip-user', ['vip']);
    const decide = (fetchSegmentsOptions?: string[]) =>
      call('POST', '/v1/decide', {
        query: { keys: 'vip_banner' },
        body: {
          userId: 'vip-user',
          fetchSegments: true,
          ...(fetchSegmentsOptions ? { fetchSegmentsOptions } : {}),
        },
      });
    const queries = () => h.odp.graphqlRequests.filter((r) => r.body.includes('vip-user')).length;
    const first = await decide();
    expect((first.json as { variationKey: string }).variationKey).toBe('on');
    expect(queries()).toBe(1);
    await decide();
    expect(queries()).toBe(1);
    await decide(['IGNORE_CACHE']);
    expect(queries()).toBe(2);
    await decide(['RESET_CACHE']);
    expect(queries()).toBe(3);
    const without = await call('POST', '/v1/decide', {
      query: { keys: 'vip_banner' },
      body: { userId: 'vip-user' },
    });
    expect((without.json as { variationKey: string }).variationKey).toBe('off');
  });

  it('answers 500 when segments cannot be fetched (ODP not integrated)', async () => {
    const { status, text } = await call('POST', '/v1/decide', {
      sdkKey: NO_ODP_SDK_KEY,
      body: { userId: 'u', fetchSegments: true },
    });
    expect(status).toBe(500);
    expect(text).toBe(errorBody('failed to fetch qualified segments'));
  });
});

describe('POST /v1/track', () => {
  it('tracks a known event and sends it to logx', async () => {
    const before = h.logx.requests;
    const { status, json } = await call('POST', '/v1/track', {
      query: { eventKey: 'purchase' },
      body: { userId: 'buyer', userAttributes: { country: 'nl' }, eventTags: { revenue: 100 } },
    });
    expect(status).toBe(200);
    expect(json).toEqual({ userId: 'buyer', eventKey: 'purchase' });
    await waitFor(() => h.logx.requests > before);
  });

  it('answers an unknown event with 200 and an error field', async () => {
    const { status, json } = await call('POST', '/v1/track', {
      query: { eventKey: 'nope' },
      body: { userId: 'u' },
    });
    expect(status).toBe(200);
    expect(json).toEqual({ userId: 'u', eventKey: 'nope', error: 'event with key "nope" not found' });
  });

  it('refuses a missing eventKey with Agent’s exact message', async () => {
    const { status, text } = await call('POST', '/v1/track', { body: { userId: 'u' }, invalidRequest: true });
    expect(status).toBe(400);
    expect(text).toBe(errorBody('missing required path parameter: eventKey'));
  });
});

describe('POST /v1/send-odp-event', () => {
  it('accepts an event and delivers it to ODP', async () => {
    const { status, text } = await call('POST', '/v1/send-odp-event', {
      body: {
        action: 'signed_up',
        type: 'fullstack',
        identifiers: { fs_user_id: 'odp-user' },
        data: { plan: 'pro' },
      },
    });
    expect(status).toBe(200);
    expect(text).toBe('{"success":true}\n');
    await waitFor(() => h.odp.events.some((e) => e.action === 'signed_up'));
  });

  it('refuses a missing action and missing identifiers with Agent’s exact messages', async () => {
    const noAction = await call('POST', '/v1/send-odp-event', {
      body: { identifiers: { fs_user_id: 'u' } },
      invalidRequest: true,
    });
    expect(noAction.status).toBe(400);
    expect(noAction.text).toBe(errorBody('missing "action" in request payload'));
    const noIdentifiers = await call('POST', '/v1/send-odp-event', {
      body: { action: 'a', identifiers: {} },
    });
    expect(noIdentifiers.status).toBe(400);
    expect(noIdentifiers.text).toBe(errorBody('missing or empty "identifiers" in request payload'));
  });

  it('answers 500 "ODP is not integrated" for a project without ODP', async () => {
    const { status, text } = await call('POST', '/v1/send-odp-event', {
      sdkKey: NO_ODP_SDK_KEY,
      body: { action: 'a', identifiers: { fs_user_id: 'u' } },
    });
    expect(status).toBe(500);
    expect(text).toBe(errorBody('ODP is not integrated'));
  });
});

describe('POST /v1/activate', () => {
  it('activates experiments and features, reporting unknown keys per item', async () => {
    const { status, json } = await call('POST', '/v1/activate', {
      query: { experimentKey: ['legacy_exp', 'missing_exp'], featureKey: ['checkout', 'missing_flag'] },
      body: { userId: 'user-1' },
    });
    expect(status).toBe(200);
    const items = json as Record<string, unknown>[];
    expect(items).toHaveLength(4);
    expect(items[0]).toMatchObject({
      userId: 'user-1',
      experimentKey: 'legacy_exp',
      type: 'experiment',
      enabled: true,
    });
    expect(['a', 'b']).toContain(items[0]?.variationKey);
    expect(items[1]).toEqual({
      userId: 'user-1',
      experimentKey: 'missing_exp',
      featureKey: '',
      variationKey: '',
      type: 'experiment',
      enabled: false,
      error: 'experimentKey not found',
    });
    expect(items[2]).toEqual({
      userId: 'user-1',
      experimentKey: 'checkout_test',
      featureKey: 'checkout',
      variationKey: 'treatment',
      type: 'feature',
      variables: { color: 'red' },
      enabled: true,
    });
    expect(items[3]).toMatchObject({ featureKey: 'missing_flag', error: 'featureKey not found' });
  });

  it('takes every feature with type=feature and filters with enabled', async () => {
    const { json } = await call('POST', '/v1/activate', {
      query: { type: 'feature', enabled: 'true', disableTracking: 'true' },
      body: { userId: 'user-1' },
    });
    expect((json as { featureKey: string }[]).map((d) => d.featureKey)).toEqual(['checkout']);
  });

  it('refuses an unknown type', async () => {
    const { status, text } = await call('POST', '/v1/activate', {
      query: { type: 'bogus' },
      body: { userId: 'user-1' },
      invalidRequest: true,
    });
    expect(status).toBe(400);
    expect(text).toBe(errorBody('type "bogus" not supported'));
  });
});

describe('POST /v1/override', () => {
  it('sets, updates and removes an override, and decisions follow it', async () => {
    const override = (variationKey: string) =>
      call('POST', '/v1/override', {
        body: { userId: 'ov-user', experimentKey: 'legacy_exp', variationKey },
      });
    const activate = async () =>
      (
        (
          await call('POST', '/v1/activate', {
            query: { experimentKey: 'legacy_exp', disableTracking: 'true' },
            body: { userId: 'ov-user' },
          })
        ).json as { variationKey: string }[]
      )[0]?.variationKey;

    expect((await override('a')).json).toEqual({
      userId: 'ov-user',
      experimentKey: 'legacy_exp',
      variationKey: 'a',
      prevVariationKey: '',
      messages: null,
    });
    expect(await activate()).toBe('a');
    expect((await override('b')).json).toEqual({
      userId: 'ov-user',
      experimentKey: 'legacy_exp',
      variationKey: 'b',
      prevVariationKey: 'a',
      messages: ['updating previous override'],
    });
    expect(await activate()).toBe('b');
    expect((await override('')).json).toMatchObject({
      prevVariationKey: 'b',
      messages: ['removing previous override'],
    });
    expect((await override('')).json).toMatchObject({
      prevVariationKey: '',
      messages: ['no pre-existing override'],
    });
    expect((await override('zzz')).json).toMatchObject({
      messages: ['variationKey not found in configuration'],
    });
  });

  it('refuses empty ids with Agent’s exact messages', async () => {
    const noUser = await call('POST', '/v1/override', { body: { experimentKey: 'legacy_exp' } });
    expect(noUser.status).toBe(400);
    expect(noUser.text).toBe(errorBody('userId cannot be empty'));
    const noExperiment = await call('POST', '/v1/override', { body: { userId: 'u' } });
    expect(noExperiment.text).toBe(errorBody('experimentKey cannot be empty'));
  });
});

describe('POST /v1/lookup and /v1/save', () => {
  it('saves a profile, looks it up, and decide keeps to it', async () => {
    const saved = await call('POST', '/v1/save', {
      body: { userId: 'sticky', experimentBucketMap: { 'exp-checkout': { variation_id: 'var-control' } } },
    });
    expect(saved.status).toBe(200);
    expect(saved.text).toBe('');
    const looked = await call('POST', '/v1/lookup', { body: { userId: 'sticky' } });
    expect(looked.json).toEqual({
      userId: 'sticky',
      experimentBucketMap: { 'exp-checkout': { variation_id: 'var-control' } },
    });
    const decided = await call('POST', '/v1/decide', {
      query: { keys: 'checkout' },
      body: { userId: 'sticky' },
    });
    expect((decided.json as { variationKey: string }).variationKey).toBe('control');
  });

  it('records new bucketings made by decide', async () => {
    await call('POST', '/v1/decide', { query: { keys: 'checkout' }, body: { userId: 'fresh' } });
    const looked = await call('POST', '/v1/lookup', { body: { userId: 'fresh' } });
    expect(looked.json).toEqual({
      userId: 'fresh',
      experimentBucketMap: { 'exp-checkout': { variation_id: 'var-treatment' } },
    });
  });

  it('refuses a missing userId', async () => {
    const { status, text } = await call('POST', '/v1/lookup', { body: {}, invalidRequest: true });
    expect(status).toBe(400);
    expect(text).toBe(errorBody('missing "userId" in request payload'));
  });
});

describe('POST /v1/batch', () => {
  it('runs each operation and reports its answer', async () => {
    const { status, json } = await call('POST', '/v1/batch', {
      sdkKey: null,
      body: {
        operations: [
          {
            method: 'POST',
            url: '/v1/decide',
            operationID: '1',
            body: { userId: 'user-1' },
            parameters: {},
            headers: { 'X-Optimizely-SDK-Key': SDK_KEY, 'Content-Type': 'application/json' },
          },
          {
            method: 'POST',
            url: '/v1/decide',
            operationID: '3',
            body: { userId: 'user-1' },
            parameters: { keys: 'banner' },
            headers: { 'X-Optimizely-SDK-Key': SDK_KEY },
          },
          {
            method: 'POST',
            url: '/v1/decide',
            operationID: '2',
            body: { userId: 'user-1' },
            headers: { 'Content-Type': 'application/json' },
          },
        ],
      },
    });
    expect(status).toBe(200);
    const batch = json as {
      errorCount: number;
      response: { status: number; operationID: string; body: unknown }[];
    };
    expect(batch.errorCount).toBe(1);
    expect(batch.response[0]?.status).toBe(200);
    expect(batch.response[0]?.operationID).toBe('1');
    expect(Array.isArray(batch.response[0]?.body)).toBe(true);
    expect(batch.response[1]).toMatchObject({ status: 200, operationID: '3', body: { flagKey: 'banner' } });
    expect(batch.response[2]).toMatchObject({
      status: 400,
      operationID: '2',
      body: { error: 'missing required X-Optimizely-SDK-Key header' },
    });
  });

  it('refuses more operations than the limit with Agent’s exact message', async () => {
    const op = {
      method: 'GET',
      url: '/v1/config',
      operationID: 'x',
      headers: { 'X-Optimizely-SDK-Key': SDK_KEY },
    };
    const { status, text } = await call('POST', '/v1/batch', {
      sdkKey: null,
      body: { operations: [op, op, op, op] },
    });
    expect(status).toBe(422);
    expect(text).toBe(errorBody('too many operations, exceeding 3 operations'));
  });
});

describe('the webhook', () => {
  it('refetches the datafile on a signed webhook and refuses a bad signature', async () => {
    const { createHmac } = await import('node:crypto');
    h.cdn.publish(SDK_KEY, agentDatafile('2', { host: h.odp.host, publicKey: h.odp.apiKey }));
    const body = JSON.stringify({
      project_id: 'proj-1',
      timestamp: 1,
      event: 'project.datafile_updated',
      data: {},
    });
    const post = (signature: string) =>
      fetch(`${h.webhook}/webhooks/optimizely`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
        body,
      });
    const bad = await post('sha1=0000');
    expect(bad.status).toBe(400);
    const good = await post(`sha1=${createHmac('sha1', 'webhook-secret').update(body).digest('hex')}`);
    expect(good.status).toBe(204);
    await waitFor(() => h.agent.clients.getReady(SDK_KEY)?.client.getProjectConfig()?.revision === '2');
    const { json } = await call('GET', '/v1/config');
    expect((json as { revision: string }).revision).toBe('2');
  });
});

describe('coverage', () => {
  it('validated a response of every operation but /oauth/token (see auth.test.ts)', () => {
    const missing = contract.operations().filter((op) => !contract.covered.has(op));
    expect(missing).toEqual(['POST /oauth/token']);
  });
});
