import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../test-support/memory-logger';
import { RedisServer } from '../test-support/redis-server';
import {
  createResilientRedisClient,
  type ResilientRedisClient,
  whenRedisReady,
} from './create-resilient-redis-client';
import { createRedisSegmentsCache } from './redis-segments-cache';

let server: RedisServer;
let client: ResilientRedisClient;
let raw: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await RedisServer.launch();
  client = createResilientRedisClient({ url: server.url });
  await whenRedisReady(client);
  raw = createClient({ url: server.url });
  await raw.connect();
});

afterAll(async () => {
  client.destroy();
  raw.destroy();
  await server.kill();
});

describe('createRedisSegmentsCache', () => {
  it('saves and looks up segments as a JSON array under the prefix', async () => {
    const cache = createRedisSegmentsCache({ client, keyPrefix: 'a:' });
    expect(await cache.lookup('fs_user_id-$-u1')).toBeNull();
    await cache.save('fs_user_id-$-u1', ['vip', 'has_email']);
    expect(await cache.lookup('fs_user_id-$-u1')).toEqual(['vip', 'has_email']);
    expect(await raw.get('a:fs_user_id-$-u1')).toBe('["vip","has_email"]');
    await cache.save('fs_user_id-$-u2', []);
    expect(await cache.lookup('fs_user_id-$-u2')).toEqual([]);
  });

  it('expires entries after ttlMs through Redis expiry', async () => {
    // Wide margins: on a loaded machine the read right after the save can take a few hundred ms.
    const cache = createRedisSegmentsCache({ client, keyPrefix: 'ttl:', ttlMs: 1_500 });
    await cache.save('fs_user_id-$-u1', ['vip']);
    const saved = performance.now();
    const pttl = await raw.pTTL('ttl:fs_user_id-$-u1');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1_500);
    const read = await cache.lookup('fs_user_id-$-u1');
    if (performance.now() - saved < 1_400) expect(read).toEqual(['vip']);
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect(await cache.lookup('fs_user_id-$-u1')).toBeNull();
  });

  it('uses the 10 minute default TTL and keeps entries forever with ttlMs 0', async () => {
    const byDefault = createRedisSegmentsCache({ client, keyPrefix: 'def:' });
    await byDefault.save('k', ['x']);
    const pttl = await raw.pTTL('def:k');
    expect(pttl).toBeGreaterThan(590_000);
    expect(pttl).toBeLessThanOrEqual(600_000);
    const forever = createRedisSegmentsCache({ client, keyPrefix: 'forever:', ttlMs: 0 });
    await forever.save('k', ['x']);
    expect(await raw.pTTL('forever:k')).toBe(-1);
  });

  it('reset deletes only its own prefix, even when the prefix holds glob characters', async () => {
    const one = createRedisSegmentsCache({ client, keyPrefix: 'one*[x]:' });
    const two = createRedisSegmentsCache({ client, keyPrefix: 'one-two:' });
    await raw.set('one-unrelated', 'keep');
    for (let i = 0; i < 1_200; i++) await one.save(`fs_user_id-$-u${i}`, ['a']);
    await two.save('fs_user_id-$-u1', ['b']);
    await one.reset();
    expect(await one.lookup('fs_user_id-$-u1')).toBeNull();
    expect(await one.lookup('fs_user_id-$-u1199')).toBeNull();
    expect(await raw.keys('one\\*\\[x\\]:*')).toEqual([]);
    expect(await two.lookup('fs_user_id-$-u1')).toEqual(['b']);
    expect(await raw.get('one-unrelated')).toBe('keep');
  });

  it('answers a miss for lookups made while its own reset runs (reset, then fetch, as RESET_CACHE does)', async () => {
    const cache = createRedisSegmentsCache({ client, keyPrefix: 'racing:' });
    await cache.save('fs_user_id-$-u1', ['old']);
    const resetting = cache.reset(); // not awaited, as @flagkit/odp does not await it
    expect(await cache.lookup('fs_user_id-$-u1')).toBeNull();
    await resetting;
    await cache.save('fs_user_id-$-u1', ['new']);
    expect(await cache.lookup('fs_user_id-$-u1')).toEqual(['new']);
  });

  it("with keyPrefix '' uses Agent's layout and resets only ODP keys", async () => {
    const agentLike = createRedisSegmentsCache({ client, keyPrefix: '' });
    await agentLike.save('fs_user_id-$-agent-user', ['vip']);
    await agentLike.save('vuid-$-vuid_123', ['x']);
    await raw.set('unrelated-key', 'keep');
    expect(await raw.get('fs_user_id-$-agent-user')).toBe('["vip"]');
    await agentLike.reset();
    expect(await raw.exists(['fs_user_id-$-agent-user', 'vuid-$-vuid_123'])).toBe(0);
    expect(await raw.get('unrelated-key')).toBe('keep');
  });

  it('treats a corrupt entry as a miss and logs it', async () => {
    const logger = new MemoryLogger();
    const cache = createRedisSegmentsCache({ client, keyPrefix: 'bad:', logger, errorLogIntervalMs: 1 });
    const corrupt = ['not json', '{"a":1}', '[1,2]', '"vip"', '[["nested"]]'];
    for (const [i, value] of corrupt.entries()) {
      await raw.set(`bad:k${i}`, value);
      expect(await cache.lookup(`k${i}`)).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(logger.matching('error', 'corrupt entry').length).toBe(corrupt.length);
  });
});
