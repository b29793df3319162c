import { type Client, createInstance } from '@flagkit/core';
import { createOdpManager } from '@flagkit/odp';
import { createResilientRedisClient } from '../src/create-resilient-redis-client';
import { forwardNotifications } from '../src/forward-notifications';
import { createRedisSegmentsCache, type RedisSegmentsCache } from '../src/redis-segments-cache';
import { createRedisSyncChannel, type RedisSyncChannel } from '../src/redis-sync-channel';
import {
  createRedisUserProfileService,
  type RedisUserProfileService,
} from '../src/redis-user-profile-service';
import { createFetchRequester } from './fake-backend';
import type { MemoryLogger } from './memory-logger';
import { waitFor } from './redis-server';
import { createRefreshableConfigManager, type RefreshableConfigManager } from './refreshable-config-manager';

export const SDK_KEY = 'sdk-key-1';

/**
 * One "service node" as apps/agent will wire it: a FlagKit client whose ODP segments cache and
 * async user profile service live in Redis, whose datafile is refreshed when the sync channel says
 * so, and whose notifications are published on the sync channel.
 */
export interface ServiceNode {
  readonly client: Client;
  readonly config: RefreshableConfigManager;
  readonly segmentsCache: RedisSegmentsCache;
  readonly userProfiles: RedisUserProfileService;
  readonly sync: RedisSyncChannel;
  /** What a webhook handler does: refresh here, then tell the other nodes. */
  webhook(): Promise<void>;
  close(): Promise<void>;
}

export function createServiceNode(options: {
  name: string;
  redisUrl: string;
  backendOrigin: string;
  logger?: MemoryLogger;
  commandTimeoutMs?: number;
}): ServiceNode {
  // One connection for the node's commands (the sync channel adds its subscriber connection).
  const redis = createResilientRedisClient({
    url: options.redisUrl,
    maxReconnectDelayMs: 100,
    logger: options.logger,
    errorLogIntervalMs: 1_000,
  });
  const shared = {
    client: redis,
    logger: options.logger,
    commandTimeoutMs: options.commandTimeoutMs,
    errorLogIntervalMs: 1_000,
  };
  const segmentsCache = createRedisSegmentsCache({ ...shared, keyPrefix: 'test:segments:' });
  const userProfiles = createRedisUserProfileService({ ...shared, keyPrefix: 'test:ups:' });
  const sync = createRedisSyncChannel({ ...shared, nodeId: options.name });
  const config = createRefreshableConfigManager(`${options.backendOrigin}/datafiles/${SDK_KEY}.json`);
  const client = createInstance({
    projectConfigManager: config,
    odpManager: createOdpManager({ requester: createFetchRequester(), segmentsCache }),
    userProfileServiceAsync: userProfiles,
    // Keeps events in memory: these tests are about Redis, not event delivery.
    eventProcessor: {
      start() {},
      process() {},
      flush: async () => {},
      stop: async () => {},
      buildLogEvent: () =>
        ({ url: 'https://logx.optimizely.com/v1/events', httpVerb: 'POST', params: {} }) as never,
    },
    logger: options.logger,
  });
  const stopRefreshing = sync.onDatafileUpdate(({ sdkKey }) => {
    if (sdkKey.startsWith(SDK_KEY)) void config.refresh();
  });
  const stopForwarding = forwardNotifications({
    channel: sync,
    sdkKey: SDK_KEY,
    notificationCenter: client.notificationCenter,
  });
  return {
    client,
    config,
    segmentsCache,
    userProfiles,
    sync,
    async webhook() {
      await config.refresh();
      await sync.publishDatafileUpdate(SDK_KEY);
    },
    async close() {
      stopRefreshing();
      stopForwarding();
      await client.close();
      await sync.close();
      await redis.close().catch(() => redis.destroy());
    },
  };
}

/**
 * Waits until every node's startup work on the shared cache is done: each ODP manager resets the
 * segments cache when it first gets its ODP settings, and does not wait for that reset.
 */
export async function whenStartupSettled(nodes: readonly ServiceNode[]): Promise<void> {
  const probe = 'fs_user_id-$-startup-probe';
  await waitFor(async () => {
    await nodes[0]?.segmentsCache.save(probe, ['probe']);
    const seen = await Promise.all(nodes.map((node) => node.segmentsCache.lookup(probe)));
    return seen.every((segments) => segments !== null);
  });
}
