// The public API of @flagkit/redis. Each export is named explicitly so the surface stays visible.

export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_ERROR_LOG_INTERVAL_MS,
} from './command-runner';
export {
  createResilientRedisClient,
  type ResilientRedisClient,
  type ResilientRedisClientOptions,
  whenRedisReady,
} from './create-resilient-redis-client';
export {
  type ForwardNotificationsOptions,
  forwardNotifications,
  WIRE_NOTIFICATION_TYPES,
} from './forward-notifications';
export type {
  RedisCommandClient,
  RedisMessageListener,
  RedisSubscriberClient,
} from './redis-client-port';
export {
  createRedisCmabCache,
  DEFAULT_CMAB_KEY_PREFIX,
  DEFAULT_CMAB_TTL_MS,
  type RedisCmabCache,
  type RedisCmabCacheOptions,
} from './redis-cmab-cache';
export type { RedisClientOption, RedisComponentOptions } from './redis-connection';
export type { RedisHealth } from './redis-health';
export {
  createRedisKeyValueStore,
  DEFAULT_KEY_VALUE_KEY_PREFIX,
  type RedisKeyValueStore,
  type RedisKeyValueStoreOptions,
} from './redis-key-value-store';
export {
  createRedisSegmentsCache,
  DEFAULT_SEGMENTS_KEY_PREFIX,
  DEFAULT_SEGMENTS_TTL_MS,
  type RedisSegmentsCache,
  type RedisSegmentsCacheOptions,
} from './redis-segments-cache';
export {
  createRedisSyncChannel,
  DEFAULT_MAX_MESSAGE_BYTES,
  type RedisSyncChannel,
  type RedisSyncChannelOptions,
  type RedisSyncHealth,
  type SyncDatafileUpdate,
} from './redis-sync-channel';
export { RedisUnavailableError } from './redis-unavailable-error';
export {
  createRedisUserProfileService,
  DEFAULT_USER_PROFILE_KEY_PREFIX,
  type RedisUserProfileService,
  type RedisUserProfileServiceOptions,
} from './redis-user-profile-service';
export {
  AGENT_CHANNEL_PREFIX,
  datafileChannel,
  type JsonValue,
  notificationChannel,
  type SyncNotification,
  type SyncNotificationType,
} from './sync-messages';
