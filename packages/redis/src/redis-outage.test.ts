import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentDatafile } from '../test-support/datafiles';
import { FakeBackend } from '../test-support/fake-backend';
import { MemoryLogger } from '../test-support/memory-logger';
import { RedisServer, waitFor } from '../test-support/redis-server';
import {
  createServiceNode,
  SDK_KEY,
  type ServiceNode,
  whenStartupSettled,
} from '../test-support/service-node';
import type { SyncDatafileUpdate, SyncNotification } from './index';

const TIMEOUT_MS = 300;
// Slack for scheduling on a busy 2-core machine; far below "hanging".
const SLACK_MS = 500;

let redis: RedisServer;
let backend: FakeBackend;
let nodeA: ServiceNode;
let nodeB: ServiceNode;
const logA = new MemoryLogger();
const logB = new MemoryLogger();
const streamOnB: SyncNotification[] = [];
const datafileUpdatesOnB: SyncDatafileUpdate[] = [];
// Subscribed while Redis is dead: must go through once it is back.
const lateStreamOnB: SyncNotification[] = [];

beforeAll(async () => {
  redis = await RedisServer.launch();
  backend = new FakeBackend();
  await backend.start();
  backend.datafiles.set(SDK_KEY, JSON.stringify(experimentDatafile('1', 5_000, backend.origin)));
  backend.segments.set('vip-user', ['vip']);
  const common = { redisUrl: redis.url, backendOrigin: backend.origin, commandTimeoutMs: TIMEOUT_MS };
  nodeA = createServiceNode({ ...common, name: 'node-a', logger: logA });
  nodeB = createServiceNode({ ...common, name: 'node-b', logger: logB });
  nodeB.sync.onNotification(SDK_KEY, (n) => streamOnB.push(n));
  nodeB.sync.onDatafileUpdate((u) => datafileUpdatesOnB.push(u));
  await Promise.all([nodeA.client.onReady({ timeout: 5_000 }), nodeB.client.onReady({ timeout: 5_000 })]);
  await whenStartupSettled([nodeA, nodeB]);
  expect(await nodeB.sync.whenSubscribed()).toBe(true);
});

afterAll(async () => {
  await Promise.all([nodeA?.close(), nodeB?.close()]);
  await backend?.close();
  await redis?.kill();
});

/** Runs `operation` and returns its result with how long it took. */
async function timed<T>(operation: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await operation();
  return { value, ms: performance.now() - started };
}

/** Publishes on A until B hears it: after a restart, B's re-subscription takes a moment. */
async function untilBHears(publish: () => Promise<boolean>, heard: () => boolean): Promise<void> {
  await waitFor(async () => {
    await publish();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return heard();
  }, 5_000);
}

describe('Redis goes away mid-test', () => {
  it('works normally before the outage', async () => {
    const decision = await nodeA.client.createUserContext('before').decideAsync('checkout');
    expect(decision.ruleKey).toBe('checkout_test');
    await waitFor(() => streamOnB.length === 1);
  });

  it('hung Redis (SIGSTOP): every operation gives up within the command timeout, and the SDK keeps deciding', async () => {
    redis.pause();
    try {
      const lookup = await timed(() => nodeA.segmentsCache.lookup('fs_user_id-$-anyone'));
      expect(lookup.value).toBeNull();
      expect(lookup.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(lookup.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

      const profile = await timed(() => nodeA.userProfiles.lookup('before'));
      expect(profile.value).toBeNull();
      expect(profile.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

      // decideAsync: one profile lookup and one save, each bounded by the timeout.
      const decide = await timed(() => nodeA.client.createUserContext('hung-user').decideAsync('checkout'));
      expect(decide.value.ruleKey).toBe('checkout_test');
      expect(decide.value.variationKey).not.toBeNull();
      expect(decide.ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);

      const publish = await timed(() => nodeA.sync.publishDatafileUpdate(SDK_KEY));
      expect(publish.value).toBe(false);
      expect(publish.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(nodeA.segmentsCache.health().timeouts).toBeGreaterThanOrEqual(1);
    } finally {
      redis.resume();
    }
    // Late answers to timed-out commands must not be mistaken for answers to new ones.
    await nodeA.segmentsCache.save('fs_user_id-$-after-pause', ['p']);
    expect(await nodeA.segmentsCache.lookup('fs_user_id-$-after-pause')).toEqual(['p']);
    expect(await nodeA.userProfiles.lookup('nobody')).toBeNull();
  });

  it('dead Redis (SIGKILL): operations fail at once, decisions and ODP fetches go on, errors are logged but rate-limited', async () => {
    await redis.kill();
    await waitFor(() => !nodeA.segmentsCache.health().connected && !nodeB.sync.health().subscriberConnected);
    const linesBefore = logA.matching('error', 'Redis').length;

    const decisions = await timed(async () => {
      const results = [];
      for (let i = 0; i < 50; i++) {
        results.push(await nodeA.client.createUserContext(`outage-user-${i}`).decideAsync('checkout'));
      }
      return results;
    });
    expect(decisions.value.every((d) => d.ruleKey === 'checkout_test' && d.variationKey !== null)).toBe(true);
    expect(decisions.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS); // offline: failed fast, no waiting at all

    // ODP still answers; the cache miss is fetched and the failed save is only logged.
    const requestsBefore = backend.graphqlRequests;
    const user = nodeA.client.createUserContext('vip-user');
    expect(await user.fetchQualifiedSegments()).toBe(true);
    expect(user.qualifiedSegments).toEqual(['vip']);
    expect(backend.graphqlRequests).toBe(requestsBefore + 1);

    expect(await nodeA.sync.publishNotification(SDK_KEY, 'decision', { x: 1 })).toBe(false);
    nodeB.sync.onNotification('late-key', (n) => lateStreamOnB.push(n));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(nodeB.sync.health().pendingChannels).toBe(1);
    await expect(
      nodeA.userProfiles.save({ user_id: 'u', experiment_bucket_map: {} }),
    ).resolves.toBeUndefined();

    const health = nodeA.userProfiles.health();
    expect(health.connected).toBe(false);
    expect(health.offline).toBeGreaterThanOrEqual(50);
    // ~100 failed profile commands, a few log lines (one per component per second at most).
    const newLines = logA.matching('error', 'Redis').length - linesBefore;
    expect(newLines).toBeGreaterThan(0);
    expect(newLines).toBeLessThan(10);
    expect(logA.matching('error', 'similar messages suppressed').length + newLines).toBeGreaterThan(0);
  });

  it('Redis comes back on the same port: caches, profiles and subscriptions recover by themselves', async () => {
    await redis.start();
    await waitFor(
      () =>
        nodeA.segmentsCache.health().connected &&
        nodeB.userProfiles.health().connected &&
        nodeB.sync.health().subscriberConnected,
    );

    // Profiles: A buckets and saves, B reads it back.
    await nodeA.client.createUserContext('after-user').decideAsync('checkout');
    const stored = await nodeB.userProfiles.lookup('after-user');
    expect(stored?.experiment_bucket_map['exp-1']).toBeDefined();

    // Segments: A's fetch lands in Redis, B is served from it.
    const requestsBefore = backend.graphqlRequests;
    await nodeA.client.createUserContext('vip-user').fetchQualifiedSegments();
    const onB = nodeB.client.createUserContext('vip-user');
    await onB.fetchQualifiedSegments();
    expect(onB.qualifiedSegments).toEqual(['vip']);
    expect(backend.graphqlRequests).toBe(requestsBefore + 1);

    // Subscriptions were re-established on the new server: B hears A again.
    const notificationsBefore = streamOnB.length;
    await untilBHears(
      () => nodeA.sync.publishNotification(SDK_KEY, 'track', { eventKey: 'after' }),
      () => streamOnB.length > notificationsBefore,
    );
    await untilBHears(
      () => nodeA.sync.publishDatafileUpdate(SDK_KEY),
      () => datafileUpdatesOnB.length > 0,
    );
    await untilBHears(
      () => nodeA.sync.publishNotification('late-key', 'decision', { late: true }),
      () => lateStreamOnB.length > 0,
    );
    expect(lateStreamOnB[0]?.message).toEqual({ late: true });
    expect(nodeB.sync.health().pendingChannels).toBe(0);
    expect(logA.matching('info', 'Redis connection restored').length).toBeGreaterThan(0);
  });
});
