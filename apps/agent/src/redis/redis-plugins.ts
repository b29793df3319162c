import type { Logger } from '@flagkit/node';
import {
  createRedisCmabCache,
  createRedisSegmentsCache,
  createRedisSyncChannel,
  createRedisUserProfileService,
  createResilientRedisClient,
  type RedisSyncChannel,
  type ResilientRedisClient,
} from '@flagkit/redis';
import type { AgentConfig, RedisServiceConfig } from '../config/agent-config';
import { parseDuration } from '../config/parse-duration';
import type { AgentPlugins } from '../sdk/client-cache';
import type { DatafileSyncChannel } from '../sync/datafile-sync';
import type { NotificationBus } from '../sync/notification-bus';

/** The Redis parts a config asks for, and how to close them. */
export interface RedisPlugins {
  readonly plugins: AgentPlugins;
  close(): Promise<void>;
}

/**
 * Builds `@flagkit/redis` components for every place the config names `redis`: the user profile
 * service (`client.userProfileService.default: redis`), the ODP segments cache
 * (`client.odp.segmentsCache.default: redis`), the CMAB cache (`client.cmab.cache.default: redis`) and sync (`synchronization.notification` /
 * `.datafile` with `enable: true`). Keys and channels follow Agent's Redis layout (profile key =
 * user id, segments key `fs_user_id-$-<id>`, channels `optimizely-sync-*`), so FlagKit and Agent
 * nodes can share one Redis. One connection per distinct server, shared by the components.
 */
export function createRedisPlugins(config: AgentConfig, logger: Logger): RedisPlugins | null {
  const ups = config.client.userProfileService;
  const segments = config.client.odp.segmentsCache;
  const sync = config.synchronization;
  const wantsUps = ups.default === 'redis';
  const wantsSegments = segments.default === 'redis';
  const cmab = config.client.cmab.cache;
  const wantsCmab = cmab.default === 'redis';
  const wantsNotifications = sync.notification.enable && sync.notification.default === 'redis';
  const wantsDatafile = sync.datafile.enable && sync.datafile.default === 'redis';
  if (!wantsUps && !wantsSegments && !wantsCmab && !wantsNotifications && !wantsDatafile) return null;

  const clients = new Map<string, ResilientRedisClient>();
  const clientFor = (service: RedisServiceConfig | undefined, envPassword: string): ResilientRedisClient => {
    const url = redisUrl(service ?? {}, envPassword);
    let client = clients.get(url);
    if (!client) {
      client = createResilientRedisClient({ url, logger });
      clients.set(url, client);
    }
    return client;
  };
  const closers: (() => Promise<void>)[] = [];
  const plugins: {
    -readonly [K in keyof AgentPlugins]: AgentPlugins[K];
  } = {};

  if (wantsUps) {
    const service = ups.services.redis as (RedisServiceConfig & { keyPrefix?: string }) | undefined;
    const profiles = createRedisUserProfileService({
      client: clientFor(service, 'REDIS_UPS_PASSWORD'),
      logger,
      keyPrefix: service?.keyPrefix ?? '',
    });
    closers.push(() => profiles.close());
    plugins.userProfileServices = { redis: () => profiles };
  }
  if (wantsSegments) {
    const service = segments.services.redis as
      | (RedisServiceConfig & { keyPrefix?: string; timeout?: unknown })
      | undefined;
    const cache = createRedisSegmentsCache({
      client: clientFor(service, 'REDIS_ODP_PASSWORD'),
      logger,
      keyPrefix: service?.keyPrefix ?? '',
      ttlMs: parseDuration(service?.timeout) ?? 600_000,
    });
    closers.push(() => cache.close());
    plugins.segmentsCaches = { redis: () => cache };
  }
  if (wantsCmab) {
    const service = cmab.services.redis as
      | (RedisServiceConfig & { keyPrefix?: string; timeout?: unknown })
      | undefined;
    const cache = createRedisCmabCache({
      client: clientFor(service, 'REDIS_CMAB_PASSWORD'),
      logger,
      ...(service?.keyPrefix ? { keyPrefix: service.keyPrefix } : {}),
      ttlMs: parseDuration(service?.timeout) ?? 1_800_000,
    });
    closers.push(() => cache.close());
    plugins.cmabCaches = { redis: () => cache };
  }
  if (wantsNotifications || wantsDatafile) {
    const channel = createRedisSyncChannel({
      client: clientFor(sync.pubsub.redis, 'REDIS_PASSWORD'),
      logger,
    });
    closers.push(() => channel.close());
    if (wantsNotifications) plugins.notificationBus = redisNotificationBus(channel);
    if (wantsDatafile) plugins.datafileSync = redisDatafileSync(channel);
  }

  return {
    plugins,
    async close() {
      await Promise.allSettled(closers.map((close) => close()));
      await Promise.allSettled([...clients.values()].map((client) => client.close()));
    },
  };
}

/** `redis://[:password@]host[/database]` from Agent's fields. */
export function redisUrl(service: RedisServiceConfig, envPassword: string): string {
  const host = service.host || 'localhost:6379';
  const password =
    service.auth_token ||
    service.redis_secret ||
    service.password ||
    process.env[envPassword] ||
    process.env.REDIS_PASSWORD ||
    '';
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  const database = typeof service.database === 'number' && service.database > 0 ? `/${service.database}` : '';
  return `redis://${auth}${host}${database}`;
}

/**
 * Notifications through Redis: every node's streams hear every node, this one included, from
 * the channel (as Agent's synced notification center does).
 */
function redisNotificationBus(channel: RedisSyncChannel): NotificationBus {
  return {
    publish(sdkKey, notification) {
      void channel.publishNotification(
        sdkKey,
        notification.type as Parameters<RedisSyncChannel['publishNotification']>[1],
        notification.message,
      );
    },
    subscribe(sdkKey, listener) {
      return channel.onNotification(sdkKey, (n) => listener({ type: n.type, message: n.message }));
    },
  };
}

/** Datafile updates through Redis: this node refreshes at once, the others when the message arrives. */
function redisDatafileSync(channel: RedisSyncChannel): DatafileSyncChannel {
  const local = new Set<(sdkKey: string) => void>();
  return {
    publish(sdkKey) {
      for (const listener of local) listener(sdkKey);
      void channel.publishDatafileUpdate(sdkKey);
    },
    subscribe(listener) {
      local.add(listener);
      const stop = channel.onDatafileUpdate(({ sdkKey }) => listener(sdkKey));
      return () => {
        local.delete(listener);
        stop();
      };
    },
  };
}
