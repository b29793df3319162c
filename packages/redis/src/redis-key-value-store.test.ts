import { createKeyValueEventStore } from '@flagkit/event-processor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '../test-support/redis-server';
import {
  createResilientRedisClient,
  type ResilientRedisClient,
  whenRedisReady,
} from './create-resilient-redis-client';
import { createRedisKeyValueStore } from './redis-key-value-store';
import { RedisUnavailableError } from './redis-unavailable-error';

let server: RedisServer;
let client: ResilientRedisClient;

beforeAll(async () => {
  server = await RedisServer.launch();
  client = createResilientRedisClient({ url: server.url });
  await whenRedisReady(client);
});

afterAll(async () => {
  client.destroy();
  await server.kill();
});

describe('createRedisKeyValueStore', () => {
  it('gets, sets, removes and lists only its own keys', async () => {
    const store = createRedisKeyValueStore({ client, keyPrefix: 'kv1:' });
    const other = createRedisKeyValueStore({ client, keyPrefix: 'kv2:' });
    expect(await store.get('missing')).toBeNull();
    await store.set('a', '1');
    await store.set('b*', '2');
    await other.set('a', 'other');
    expect(await store.get('a')).toBe('1');
    expect([...(await store.keys())].sort()).toEqual(['a', 'b*']);
    await store.remove('a');
    expect(await store.get('a')).toBeNull();
    expect(await store.keys()).toEqual(['b*']);
    expect(await other.get('a')).toBe('other');
  });

  it("backs event-processor's durable event store: a second process loads what the first saved", async () => {
    const event = {
      type: 'conversion',
      uuid: 'uuid-1',
      timestamp: 1_700_000_000_000,
      context: { accountId: 'acc', projectId: 'proj', revision: '1' },
      user: { id: 'user-1', attributes: [] },
      event: { id: 'ev', key: 'purchase' },
    } as never;
    const first = createKeyValueEventStore(createRedisKeyValueStore({ client, keyPrefix: 'events:' }));
    await first.save('0001', event);
    const otherClient = createResilientRedisClient({ url: server.url });
    const second = createKeyValueEventStore(
      createRedisKeyValueStore({ client: otherClient, keyPrefix: 'events:' }),
    );
    await whenRedisReady(otherClient);
    const loaded = await second.load();
    expect(loaded.map((stored) => stored.id)).toEqual(['0001']);
    expect((loaded[0]!.event as { uuid: string }).uuid).toBe('uuid-1');
    otherClient.destroy();
  });

  it('rejects with a typed RedisUnavailableError when Redis cannot be reached', async () => {
    const offline = createRedisKeyValueStore({
      client: { url: 'redis://127.0.0.1:1' },
      commandTimeoutMs: 200,
    });
    // Before the first connection a command waits for it, but never longer than its timeout; once
    // that wait expired, commands fail at once.
    const started = Date.now();
    await expect(offline.set('a', '1')).rejects.toMatchObject({
      code: 'REDIS_UNAVAILABLE',
      reason: 'timeout',
    });
    const afterFirst = Date.now();
    expect(afterFirst - started).toBeLessThan(200 + 150);
    await expect(offline.get('a')).rejects.toMatchObject({ reason: 'offline' });
    await expect(offline.keys()).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(Date.now() - afterFirst).toBeLessThan(50);
    expect(offline.health()).toMatchObject({ connected: false, errors: 3, timeouts: 1, offline: 2 });
    await offline.close();
  });
});
