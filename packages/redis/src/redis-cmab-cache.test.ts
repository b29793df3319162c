import { createCmabService, createInstance } from '@flagkit/core';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmabRuleDatafile, startFakeCmabPrediction } from '../../core/test-support/fake-cmab-prediction';
import { createFetchRequester } from '../../core/test-support/fetch-requester';
import { MemoryLogger } from '../test-support/memory-logger';
import { RedisServer } from '../test-support/redis-server';
import {
  createResilientRedisClient,
  type ResilientRedisClient,
  whenRedisReady,
} from './create-resilient-redis-client';
import { createRedisCmabCache } from './redis-cmab-cache';

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

const entry = { attributesHash: '123', variationId: 'v1', cmabUuid: 'u-1' };

describe('createRedisCmabCache', () => {
  it('saves, looks up and removes entries as JSON under the prefix, with the 30 minute TTL', async () => {
    const cache = createRedisCmabCache({ client, keyPrefix: 'c1:' });
    expect(await cache.lookup('2-u1-r1')).toBeUndefined();
    await cache.save('2-u1-r1', entry);
    expect(await cache.lookup('2-u1-r1')).toEqual(entry);
    expect(JSON.parse((await raw.get('c1:2-u1-r1')) ?? 'null')).toEqual(entry);
    const pttl = await raw.pTTL('c1:2-u1-r1');
    expect(pttl).toBeGreaterThan(1_790_000);
    expect(pttl).toBeLessThanOrEqual(1_800_000);
    await cache.remove('2-u1-r1');
    expect(await cache.lookup('2-u1-r1')).toBeUndefined();
  });

  it('resets only its own prefix, and never everything with an empty prefix', async () => {
    await raw.set('other:key', 'kept');
    const cache = createRedisCmabCache({ client, keyPrefix: 'c2:' });
    await cache.save('a', entry);
    await cache.save('b', entry);
    await cache.reset();
    expect(await cache.lookup('a')).toBeUndefined();
    expect(await raw.get('other:key')).toBe('kept');
    const unprefixed = createRedisCmabCache({ client, keyPrefix: '' });
    await unprefixed.reset();
    expect(await raw.get('other:key')).toBe('kept');
  });

  it('treats a corrupt entry as a miss and logs it', async () => {
    const logger = new MemoryLogger();
    const cache = createRedisCmabCache({ client, keyPrefix: 'c3:', logger });
    await raw.set('c3:k', '{"variationId":5}');
    expect(await cache.lookup('k')).toBeUndefined();
    await raw.set(
      'c3:k',
      '{"__proto__":{"polluted":true},"attributesHash":"h","variationId":"v","cmabUuid":"u"}',
    );
    const read = await cache.lookup('k');
    expect(read).toEqual({ attributesHash: 'h', variationId: 'v', cmabUuid: 'u' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(logger.lines.some((line) => line.message.includes('corrupt'))).toBe(true);
  });

  it('lets two clients share predictions: the second asks the service nothing', async () => {
    const prediction = await startFakeCmabPrediction(() => 'v-b');
    try {
      const datafile = cmabRuleDatafile();
      const node = () =>
        createInstance({
          datafile,
          cmabService: createCmabService({
            requester: createFetchRequester(),
            predictionEndpointTemplate: prediction.endpointTemplate,
            cache: createRedisCmabCache({ client, keyPrefix: 'shared:' }),
          }),
        });
      const first = await node().createUserContext('u1', { plan: 'pro' }).decideAsync('flag');
      const second = await node().createUserContext('u1', { plan: 'pro' }).decideAsync('flag');
      expect([first.variationKey, second.variationKey]).toEqual(['b', 'b']);
      expect(prediction.requests).toHaveLength(1);
    } finally {
      await prediction.close();
    }
  });
});
