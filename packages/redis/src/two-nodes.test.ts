import { OptimizelyDecideOption, type OptimizelyDecision } from '@flagkit/core';
import { OptimizelySegmentOption } from '@flagkit/odp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentDatafile } from '../test-support/datafiles';
import { FakeBackend } from '../test-support/fake-backend';
import { RedisServer, waitFor } from '../test-support/redis-server';
import {
  createServiceNode,
  SDK_KEY,
  type ServiceNode,
  whenStartupSettled,
} from '../test-support/service-node';
import type { SyncNotification } from './sync-messages';

let redis: RedisServer;
let backend: FakeBackend;
let nodeA: ServiceNode;
let nodeB: ServiceNode;

beforeAll(async () => {
  redis = await RedisServer.launch();
  backend = new FakeBackend();
  await backend.start();
  // Revision 1 puts everyone in `treatment`.
  backend.datafiles.set(SDK_KEY, JSON.stringify(experimentDatafile('1', 10_000, backend.origin)));
  backend.segments.set('vip-user', ['vip']);
  nodeA = createServiceNode({ name: 'node-a', redisUrl: redis.url, backendOrigin: backend.origin });
  nodeB = createServiceNode({ name: 'node-b', redisUrl: redis.url, backendOrigin: backend.origin });
  await Promise.all([nodeA.client.onReady({ timeout: 5_000 }), nodeB.client.onReady({ timeout: 5_000 })]);
  await whenStartupSettled([nodeA, nodeB]);
});

afterAll(async () => {
  await Promise.all([nodeA?.close(), nodeB?.close()]);
  await backend?.close();
  await redis?.kill();
});

describe('two FlagKit nodes sharing one Redis', () => {
  it('node B serves segments node A fetched from the shared cache, without asking ODP', async () => {
    const onA = nodeA.client.createUserContext('vip-user');
    expect(await onA.fetchQualifiedSegments()).toBe(true);
    expect(onA.qualifiedSegments).toEqual(['vip']);
    expect(backend.graphqlRequests).toBe(1);

    const onB = nodeB.client.createUserContext('vip-user');
    expect(await onB.fetchQualifiedSegments()).toBe(true);
    expect(onB.qualifiedSegments).toEqual(['vip']);
    expect(backend.graphqlRequests).toBe(1); // served by Redis
    expect(onB.decide('vip_banner').enabled).toBe(true);
    expect(nodeB.segmentsCache.health().commands).toBeGreaterThan(0);
  });

  it('RESET_CACHE on node B clears the shared cache for node A too', async () => {
    const requestsBefore = backend.graphqlRequests;
    const onB = nodeB.client.createUserContext('other-user');
    await onB.fetchQualifiedSegments();
    await nodeA.client.createUserContext('other-user').fetchQualifiedSegments();
    expect(backend.graphqlRequests).toBe(requestsBefore + 1); // A was served from Redis

    await nodeB.client
      .createUserContext('vip-user')
      .fetchQualifiedSegments([OptimizelySegmentOption.RESET_CACHE]);
    expect(backend.graphqlRequests).toBe(requestsBefore + 2);
    await waitFor(async () => (await nodeA.segmentsCache.lookup('fs_user_id-$-other-user')) === null);
    await nodeA.client.createUserContext('other-user').fetchQualifiedSegments();
    expect(backend.graphqlRequests).toBe(requestsBefore + 3); // the reset reached A's view of the cache
  });

  it('a webhook on node A updates the datafile on both; buckets stay sticky across nodes; B streams A decisions', async () => {
    const streamOnB: SyncNotification[] = [];
    const stopStream = nodeB.sync.onNotification(SDK_KEY, (n) => streamOnB.push(n));
    expect(await nodeB.sync.whenSubscribed()).toBe(true);

    // Node A buckets the user into treatment (revision 1) and saves the profile in Redis.
    const first = await nodeA.client.createUserContext('sticky-user').decideAsync('checkout');
    expect(first.variationKey).toBe('treatment');

    // The decision made on A reaches B's stream.
    await waitFor(() => streamOnB.some((n) => n.type === 'decision'));
    const decision = streamOnB.find((n) => n.type === 'decision');
    expect(decision?.origin).toBe('node-a');
    expect(decision?.message).toMatchObject({
      type: 'flag',
      userId: 'sticky-user',
      decisionInfo: { flagKey: 'checkout', variationKey: 'treatment', enabled: true },
    });

    // Revision 2 sends everyone to control; the webhook reaches node A only.
    backend.datafiles.set(SDK_KEY, JSON.stringify(experimentDatafile('2', 0, backend.origin)));
    await nodeA.webhook();
    expect(nodeA.client.getOptimizelyConfig()?.revision).toBe('2');
    await waitFor(() => nodeB.client.getOptimizelyConfig()?.revision === '2');

    // New users land in control on B, but the user A bucketed stays in treatment via Redis.
    const fresh: OptimizelyDecision = await nodeB.client
      .createUserContext('fresh-user')
      .decideAsync('checkout');
    expect(fresh.variationKey).toBe('control');
    const sticky = await nodeB.client.createUserContext('sticky-user').decideAsync('checkout');
    expect(sticky.variationKey).toBe('treatment');
    // Without the profile service the same user would now be in control.
    const unsticky = await nodeB.client
      .createUserContext('sticky-user')
      .decideAsync('checkout', [OptimizelyDecideOption.IGNORE_USER_PROFILE_SERVICE]);
    expect(unsticky.variationKey).toBe('control');
    // TRACK is forwarded too, without the event batch it would otherwise carry.
    nodeA.client.createUserContext('sticky-user').trackEvent('purchase');
    await waitFor(() => streamOnB.some((n) => n.type === 'track'));
    const track = streamOnB.find((n) => n.type === 'track')?.message as Record<string, unknown>;
    expect(track).toMatchObject({ eventKey: 'purchase', userId: 'sticky-user' });
    expect('logEvent' in track).toBe(false);
    stopStream();
  });
});
