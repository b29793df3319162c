import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../test-support/memory-logger';
import { RedisServer } from '../test-support/redis-server';
import {
  createResilientRedisClient,
  type ResilientRedisClient,
  whenRedisReady,
} from './create-resilient-redis-client';
import { createRedisUserProfileService } from './redis-user-profile-service';

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

const profile = {
  user_id: 'user-1',
  experiment_bucket_map: { 'exp-1': { variation_id: 'var-a' }, 'exp-2': { variation_id: 'var-b' } },
};

describe('createRedisUserProfileService', () => {
  it("round-trips a profile, storing Agent's bucket-map JSON under <prefix><userId>", async () => {
    const ups = createRedisUserProfileService({ client, keyPrefix: 'ups:' });
    expect(await ups.lookup('user-1')).toBeNull();
    await ups.save(profile);
    expect({ ...(await ups.lookup('user-1')) }).toEqual({
      user_id: 'user-1',
      experiment_bucket_map: profile.experiment_bucket_map,
    });
    expect(JSON.parse((await raw.get('ups:user-1')) as string)).toEqual(profile.experiment_bucket_map);
    expect(await raw.pTTL('ups:user-1')).toBe(-1);
  });

  it('reads the full {user_id, experiment_bucket_map} shape too, and an Agent-written value', async () => {
    const ups = createRedisUserProfileService({ client, keyPrefix: '' });
    await raw.set('agent-user', '{"exp-9":{"variation_id":"var-9"}}');
    expect((await ups.lookup('agent-user'))?.experiment_bucket_map['exp-9']).toEqual({
      variation_id: 'var-9',
    });
    await raw.set('full-user', JSON.stringify({ ...profile, user_id: 'full-user' }));
    expect((await ups.lookup('full-user'))?.experiment_bucket_map['exp-2']).toEqual({
      variation_id: 'var-b',
    });
  });

  it('expires profiles with ttlMs', async () => {
    // Wide margins: on a loaded machine the read right after the save can take a few hundred ms.
    const ups = createRedisUserProfileService({ client, keyPrefix: 'ttl-ups:', ttlMs: 1_500 });
    await ups.save(profile);
    const saved = performance.now();
    const read = await ups.lookup('user-1');
    if (performance.now() - saved < 1_400) expect(read).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect(await ups.lookup('user-1')).toBeNull();
  });

  it('gives null for corrupt values, logs them, and never pollutes prototypes', async () => {
    const logger = new MemoryLogger();
    const ups = createRedisUserProfileService({
      client,
      keyPrefix: 'bad-ups:',
      logger,
      errorLogIntervalMs: 1,
    });
    const corrupt = [
      '{not json',
      '[]',
      '"a string"',
      '{"exp-1":"var-a"}',
      '{"exp-1":{"variation_id":7}}',
      '{"user_id":"u","experiment_bucket_map":{"exp-1":{}}}',
    ];
    for (const [i, value] of corrupt.entries()) {
      await raw.set(`bad-ups:u${i}`, value);
      expect(await ups.lookup(`u${i}`)).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(logger.matching('error', 'corrupt user profile').length).toBe(corrupt.length);

    await raw.set(
      'bad-ups:evil',
      '{"__proto__":{"polluted":{"variation_id":"x"}},"exp-1":{"variation_id":"v"}}',
    );
    const evil = await ups.lookup('evil');
    expect(Object.keys(evil?.experiment_bucket_map ?? {})).toEqual(['exp-1']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses to save an invalid profile and logs it', async () => {
    const logger = new MemoryLogger();
    const ups = createRedisUserProfileService({ client, keyPrefix: 'inv:', logger });
    await ups.save({ user_id: '', experiment_bucket_map: {} });
    await ups.save({ user_id: 'x', experiment_bucket_map: { e: 'v' } } as never);
    expect(await raw.keys('inv:*')).toEqual([]);
    expect(logger.matching('error', 'invalid user profile').length).toBe(1); // rate-limited: one line
  });
});
