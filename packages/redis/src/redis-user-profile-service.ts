import type { ExperimentBucketMap, UserProfile, UserProfileServiceAsync } from '@flagkit/core';
import { closeRedisConnection, openRedisConnection, type RedisComponentOptions } from './redis-connection';
import type { RedisHealth } from './redis-health';
import { isPlainRecord, parseUntrustedJson } from './safe-json';

/** Default key prefix of {@link createRedisUserProfileService}. */
export const DEFAULT_USER_PROFILE_KEY_PREFIX = 'flagkit:ups:';

export interface RedisUserProfileServiceOptions extends RedisComponentOptions {
  /** Prepended to the user id; default `flagkit:ups:`. `''` is Optimizely Agent's layout (key = user id). */
  readonly keyPrefix?: string;
  /** Expiry of a profile, refreshed on every save; default none (sticky forever, as in Agent). */
  readonly ttlMs?: number;
}

/** Sticky bucketing in Redis for the async decide APIs, shared by every node. */
export interface RedisUserProfileService extends UserProfileServiceAsync {
  /** The profile, or null when there is none, it is corrupt (logged) or Redis is unavailable (logged). */
  lookup(userId: string): Promise<UserProfile | null>;
  /** Stores the profile; a failure is logged, never thrown. */
  save(profile: UserProfile): Promise<void>;
  health(): RedisHealth;
  /** Closes the client if this service created it. */
  close(): Promise<void>;
}

/**
 * Creates the Redis user profile service. The value under `<prefix><userId>` is the JSON experiment
 * bucket map, `{"<experimentId>":{"variation_id":"<variationId>"}}`, as Optimizely Agent's Redis UPS
 * stores it; lookup also reads the full `{user_id, experiment_bucket_map}` shape.
 */
export function createRedisUserProfileService(
  options: RedisUserProfileServiceOptions,
): RedisUserProfileService {
  const connection = openRedisConnection(options, 'Redis user profile service');
  const { runner } = connection;
  const keyPrefix = options.keyPrefix ?? DEFAULT_USER_PROFILE_KEY_PREFIX;
  const ttlMs = options.ttlMs ?? 0;
  const expiry = ttlMs > 0 ? ['PX', String(Math.ceil(ttlMs))] : [];

  return {
    async lookup(userId) {
      if (typeof userId !== 'string' || userId === '') return null;
      let reply: unknown;
      try {
        reply = await runner.run(['GET', keyPrefix + userId]);
      } catch {
        return null; // logged by the runner; decisions bucket afresh
      }
      if (reply === null || reply === undefined) return null;
      const bucketMap = typeof reply === 'string' ? readBucketMap(parseUntrustedJson(reply)) : null;
      if (!bucketMap) {
        runner.report('ignored a corrupt user profile (not an experiment bucket map); bucketing afresh');
        return null;
      }
      return { user_id: userId, experiment_bucket_map: bucketMap };
    },

    async save(profile) {
      const userId = profile?.user_id;
      const bucketMap = readBucketMap(profile?.experiment_bucket_map);
      if (typeof userId !== 'string' || userId === '' || !bucketMap) {
        runner.report('refused to save an invalid user profile');
        return;
      }
      try {
        await runner.run(['SET', keyPrefix + userId, JSON.stringify(bucketMap), ...expiry]);
      } catch {
        // logged by the runner; the decision stands, only its stickiness is lost
      }
    },

    health: () => runner.health(),
    close: () => closeRedisConnection(connection),
  };
}

/**
 * A clean copy of a bucket map (or of a full profile's map): every entry must be
 * `{variation_id: string}`. Null when anything else is found.
 */
function readBucketMap(value: unknown): ExperimentBucketMap | null {
  if (!isPlainRecord(value)) return null;
  const source =
    typeof value.user_id === 'string' && isPlainRecord(value.experiment_bucket_map)
      ? value.experiment_bucket_map
      : value;
  const map: Record<string, { variation_id: string }> = Object.create(null);
  for (const [experimentId, entry] of Object.entries(source)) {
    if (!isPlainRecord(entry) || typeof entry.variation_id !== 'string') return null;
    map[experimentId] = { variation_id: entry.variation_id };
  }
  return map;
}
