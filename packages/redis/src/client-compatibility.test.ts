import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';
import type { RedisCommandClient, RedisSubscriberClient } from './redis-client-port';
import { createRedisSegmentsCache } from './redis-segments-cache';
import { createRedisSyncChannel } from './redis-sync-channel';

describe('client compatibility', () => {
  it('accepts a plain node-redis client, with or without modules, as command and subscriber client', async () => {
    // Type-level: these assignments are checked by `pnpm typecheck` (tsconfig.test.json).
    const plain = createClient({ url: 'redis://127.0.0.1:1' });
    const asCommands: RedisCommandClient = plain;
    const asSubscriber: RedisSubscriberClient = plain.duplicate();
    const withResp3 = createClient({ RESP: 3 });
    const resp3Commands: RedisCommandClient = withResp3;
    expect(asCommands.isReady).toBe(false);
    expect(resp3Commands.isReady).toBe(false);

    // Never connected: commands fail at once instead of hanging, and nothing throws.
    const cache = createRedisSegmentsCache({ client: plain });
    expect(await cache.lookup('fs_user_id-$-u')).toBeNull();
    const channel = createRedisSyncChannel({
      client: plain,
      subscriber: asSubscriber,
      commandTimeoutMs: 100,
    });
    expect(await channel.publishDatafileUpdate('key')).toBe(false);
    await channel.close();
  });
});
