import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { SegmentsCache, UserProfileServiceAsync } from '@flagkit/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentPlugins } from '../src/sdk/client-cache';
import { createInMemoryUserProfileService } from '../src/sdk/in-memory-user-profile-service';
import { createInMemoryDatafileSync } from '../src/sync/datafile-sync';
import { createInMemoryNotificationBus } from '../src/sync/notification-bus';
import { agentDatafile } from './support/agent-datafile';
import {
  type AgentHarness,
  SDK_KEY,
  startAgentHarness,
  WEBHOOK_SECRET,
  waitFor,
} from './support/agent-harness';

/**
 * Two agent nodes sharing one set of plugins, the shape `@flagkit/redis` fills: one user profile
 * store and one segments cache per SDK key, one notification bus, one datafile sync channel.
 * (In-process here; with Redis they are shared across processes and machines.)
 */
function sharedPlugins(): AgentPlugins {
  const profiles = new Map<string, UserProfileServiceAsync>();
  const caches = new Map<string, SegmentsCache>();
  return {
    userProfileServices: {
      shared: (sdkKey) => {
        let service = profiles.get(sdkKey);
        if (!service) {
          service = createInMemoryUserProfileService();
          profiles.set(sdkKey, service);
        }
        return service;
      },
    },
    segmentsCaches: {
      shared: (sdkKey) => {
        let cache = caches.get(sdkKey);
        if (!cache) {
          const entries = new Map<string, readonly string[]>();
          cache = {
            lookup: (key) => entries.get(key),
            save: (key, segments) => void entries.set(key, segments),
            reset: () => entries.clear(),
          };
          caches.set(sdkKey, cache);
        }
        return cache;
      },
    },
    notificationBus: createInMemoryNotificationBus(),
    datafileSync: createInMemoryDatafileSync(),
  };
}

let a: AgentHarness;
let b: AgentHarness;

beforeAll(async () => {
  const plugins = sharedPlugins();
  const config = {
    client: {
      userProfileService: { default: 'shared' },
      odp: { segmentsCache: { default: 'shared' } },
    },
  };
  a = await startAgentHarness({ config, plugins });
  b = await startAgentHarness({ config, plugins, fakes: { cdn: a.cdn, logx: a.logx, odp: a.odp } });
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

const post = (node: AgentHarness, path: string, body: unknown) =>
  fetch(`${node.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': SDK_KEY },
    body: JSON.stringify(body),
  });

describe('two nodes with shared plugins', () => {
  it('share user profiles: a profile saved through node A decides on node B', async () => {
    await post(a, '/v1/save', {
      userId: 'shared-user',
      experimentBucketMap: { 'exp-checkout': { variation_id: 'var-control' } },
    });
    const decided = await post(b, '/v1/decide?keys=checkout', { userId: 'shared-user' });
    expect(((await decided.json()) as { variationKey: string }).variationKey).toBe('control');
  });

  it('share the segments cache: a fetch on node A is a cache hit on node B', async () => {
    a.odp.addCustomer('fs_user_id', 'seg-user', ['vip']);
    const queries = () => a.odp.graphqlRequests.filter((r) => r.body.includes('seg-user')).length;
    await post(a, '/v1/decide?keys=vip_banner', { userId: 'seg-user', fetchSegments: true });
    expect(queries()).toBe(1);
    const onB = await post(b, '/v1/decide?keys=vip_banner', { userId: 'seg-user', fetchSegments: true });
    expect(((await onB.json()) as { variationKey: string }).variationKey).toBe('on');
    expect(queries()).toBe(1);
  });

  it('an SSE client on node B receives a decision made on node A', async () => {
    const chunks: string[] = [];
    const req = httpRequest(new URL('/v1/notifications/event-stream?filter=decision', b.api), {
      headers: { 'x-optimizely-sdk-key': SDK_KEY },
    });
    let open = false;
    req.on('response', (res) => {
      open = true;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => chunks.push(chunk));
    });
    req.on('error', () => {});
    req.end();
    await waitFor(() => open);
    await post(a, '/v1/decide?keys=checkout', { userId: 'from-node-a' });
    await waitFor(() => chunks.join('').includes('"ID":"from-node-a"'));
    req.destroy();
  });

  it('a webhook on node A updates the datafile on both nodes', async () => {
    a.cdn.publish(SDK_KEY, agentDatafile('5', { host: a.odp.host, publicKey: a.odp.apiKey }));
    const body = JSON.stringify({ project_id: 'proj-1', timestamp: 2, event: 'project.datafile_updated' });
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
    await waitFor(() => revision(a) === '5' && revision(b) === '5');
  });

  it('/v1/reset drops a node’s client; the next request builds a new one', async () => {
    const before = a.agent.clients.getReady(SDK_KEY);
    const reset = await post(a, '/v1/reset', {});
    expect(await reset.text()).toBe('{"result":true}\n');
    expect(a.agent.clients.getReady(SDK_KEY)).toBeUndefined();
    await post(a, '/v1/decide?keys=checkout', { userId: 'u' });
    expect(a.agent.clients.getReady(SDK_KEY)).not.toBe(before);
  });
});
