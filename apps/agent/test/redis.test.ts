import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createResilientRedisClient, whenRedisReady } from '@flagkit/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cmabRuleDatafile,
  type FakeCmabPrediction,
  startFakeCmabPrediction,
} from '../../../packages/core/test-support/fake-cmab-prediction';
import { RedisServer } from '../../../packages/redis/test-support/redis-server';
import { agentDatafile } from './support/agent-datafile';
import {
  type AgentHarness,
  SDK_KEY,
  startAgentHarness,
  WEBHOOK_SECRET,
  waitFor,
} from './support/agent-harness';

/**
 * Two agent nodes configured (config only, as a deployment would) against one real redis-server:
 * Redis user profiles and segments cache, notification and datafile sync.
 */
let redis: RedisServer;
let a: AgentHarness;
let b: AgentHarness;
let prediction: FakeCmabPrediction;

beforeAll(async () => {
  redis = await RedisServer.launch();
  prediction = await startFakeCmabPrediction(() => 'v-b');
  const server = { host: `127.0.0.1:${redis.port}`, database: 0 };
  const config = {
    client: {
      userProfileService: { default: 'redis', services: { redis: server } },
      odp: { segmentsCache: { default: 'redis', services: { redis: { ...server, timeout: '60s' } } } },
      cmab: {
        predictionEndpoint: prediction.endpointTemplate,
        cache: { default: 'redis', services: { redis: { ...server, timeout: '60s' } } },
      },
    },
    synchronization: {
      pubsub: { redis: server },
      notification: { enable: true, default: 'redis' },
      datafile: { enable: true, default: 'redis' },
    },
  };
  a = await startAgentHarness({ config });
  b = await startAgentHarness({ config, fakes: { cdn: a.cdn, logx: a.logx, odp: a.odp } });
}, 20_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await redis?.kill();
  await prediction?.close();
});

/** One GET straight from Redis, to check the key layout. */
async function redisGet(key: string): Promise<unknown> {
  const client = createResilientRedisClient({ url: redis.url });
  try {
    await whenRedisReady(client);
    return await client.sendCommand(['GET', key]);
  } finally {
    await client.close();
  }
}

const post = (node: AgentHarness, path: string, body: unknown) =>
  fetch(`${node.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': SDK_KEY },
    body: JSON.stringify(body),
  });

function openStream(node: AgentHarness) {
  const chunks: string[] = [];
  let open = false;
  const req = httpRequest(new URL('/v1/notifications/event-stream?filter=decision', node.api), {
    headers: { 'x-optimizely-sdk-key': SDK_KEY },
  });
  req.on('response', (res) => {
    open = true;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => chunks.push(chunk));
  });
  req.on('error', () => {});
  req.end();
  return { isOpen: () => open, text: () => chunks.join(''), close: () => req.destroy() };
}

/** Decides on `from` until `stream` has seen the user (the subscription may still be settling). */
async function decideUntilSeen(from: AgentHarness, stream: ReturnType<typeof openStream>, userId: string) {
  await waitFor(() => stream.isOpen());
  const deadline = Date.now() + 5_000;
  while (!stream.text().includes(`"ID":"${userId}"`)) {
    if (Date.now() > deadline) throw new Error(`${userId} never reached the stream`);
    await post(from, '/v1/decide?keys=checkout', { userId });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('two nodes on one Redis', () => {
  it('share user profiles: a bucketing on node A is looked up and kept on node B', async () => {
    await post(a, '/v1/save', {
      userId: 'redis-user',
      experimentBucketMap: { 'exp-checkout': { variation_id: 'var-control' } },
    });
    const looked = await post(b, '/v1/lookup', { userId: 'redis-user' });
    expect(await looked.json()).toEqual({
      userId: 'redis-user',
      experimentBucketMap: { 'exp-checkout': { variation_id: 'var-control' } },
    });
    const decided = await post(b, '/v1/decide?keys=checkout', { userId: 'redis-user' });
    expect(((await decided.json()) as { variationKey: string }).variationKey).toBe('control');
    // Agent's layout: key = user id, value = the bucket map.
    expect(JSON.parse(String(await redisGet('redis-user')))).toEqual({
      'exp-checkout': { variation_id: 'var-control' },
    });
  });

  it('share the segments cache under Agent’s key layout', async () => {
    a.odp.addCustomer('fs_user_id', 'redis-seg', ['vip']);
    const queries = () => a.odp.graphqlRequests.filter((r) => r.body.includes('redis-seg')).length;
    await post(a, '/v1/decide?keys=vip_banner', { userId: 'redis-seg', fetchSegments: true });
    const onB = await post(b, '/v1/decide?keys=vip_banner', { userId: 'redis-seg', fetchSegments: true });
    expect(((await onB.json()) as { variationKey: string }).variationKey).toBe('on');
    expect(queries()).toBe(1);
    expect(JSON.parse(String(await redisGet('fs_user_id-$-redis-seg')))).toEqual(['vip']);
  });

  it('share CMAB predictions: node B serves node A’s prediction without asking again', async () => {
    a.cdn.publish('cmabKey', cmabRuleDatafile());
    const decideOn = async (node: AgentHarness) => {
      const response = await fetch(`${node.api}/v1/decide?keys=flag`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': 'cmabKey' },
        body: JSON.stringify({ userId: 'cmab-user', userAttributes: { plan: 'pro' } }),
      });
      return ((await response.json()) as { variationKey: string }).variationKey;
    };
    expect(await decideOn(a)).toBe('b');
    expect(await decideOn(b)).toBe('b');
    expect(prediction.requests).toHaveLength(1);
    const stored = JSON.parse(String(await redisGet('flagkit:cmab:9-cmab-user-e-cmab')));
    expect(stored).toMatchObject({ variationId: 'v-b' });
  });

  it('an SSE client on node B receives decisions made on node A', async () => {
    const stream = openStream(b);
    await decideUntilSeen(a, stream, 'across-redis');
    stream.close();
  });

  it('a webhook on node A updates the datafile on both nodes', async () => {
    a.cdn.publish(SDK_KEY, agentDatafile('9', { host: a.odp.host, publicKey: a.odp.apiKey }));
    const body = JSON.stringify({ project_id: 'proj-1', timestamp: 3, event: 'project.datafile_updated' });
    const response = await fetch(`${a.webhook}/webhooks/optimizely`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': `sha1=${createHmac('sha1', WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBe(204);
    const revision = (node: AgentHarness) =>
      node.agent.clients.getReady(SDK_KEY)?.client.getProjectConfig()?.revision;
    await waitFor(() => revision(a) === '9' && revision(b) === '9', 5_000);
  });

  it('keeps deciding while Redis is down, and syncs again when it returns', async () => {
    for (let i = 0; i < 5; i++) a.odp.addCustomer('fs_user_id', `outage-${i}`, []);
    await redis.kill();
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const response = await post(b, '/v1/decide?keys=checkout', {
        userId: `outage-${i}`,
        fetchSegments: true,
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { variationKey: string }).variationKey).toBe('treatment');
    }
    // Down Redis fails fast: five decides with profile and segment lookups stay well under a second each.
    expect(Date.now() - started).toBeLessThan(5_000);
    await redis.start();
    const stream = openStream(b);
    await decideUntilSeen(a, stream, 'after-outage');
    stream.close();
  });
});
