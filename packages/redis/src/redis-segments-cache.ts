import type { SegmentsCache } from '@flagkit/core';
import { closeRedisConnection, openRedisConnection, type RedisComponentOptions } from './redis-connection';
import type { RedisHealth } from './redis-health';
import { escapeGlob, scanKeys } from './redis-keys';
import { parseUntrustedJson } from './safe-json';

/** Default key prefix of {@link createRedisSegmentsCache}. */
export const DEFAULT_SEGMENTS_KEY_PREFIX = 'flagkit:segments:';
/** Default freshness of a cached entry, as Optimizely's segments cache: 10 minutes. */
export const DEFAULT_SEGMENTS_TTL_MS = 600_000;

export interface RedisSegmentsCacheOptions extends RedisComponentOptions {
  /** How long an entry lives (Redis expiry, `PX`); default 600 000. `0` keeps entries until `reset()`. */
  readonly ttlMs?: number;
  /**
   * Prepended to the ODP cache key (`fs_user_id-$-<id>`, `vuid-$-<vuid>`); default
   * `flagkit:segments:`. `''` gives Optimizely Agent's Redis layout, so both share entries.
   */
  readonly keyPrefix?: string;
}

/** A {@link SegmentsCache} in Redis, shared by every node that uses the same Redis and prefix. */
export interface RedisSegmentsCache extends SegmentsCache {
  /** The segments, or null on a miss, an expired or corrupt entry, or when Redis is unavailable. */
  lookup(key: string): Promise<readonly string[] | null>;
  /** Stores the segments with the TTL; a failure is logged, never thrown. */
  save(key: string, segments: readonly string[]): Promise<void>;
  /** Deletes this cache's entries (those under its prefix) and nothing else; failures are logged. */
  reset(): Promise<void>;
  health(): RedisHealth;
  /** Closes the client if this cache created it. */
  close(): Promise<void>;
}

// With no prefix the cache shares Redis with Agent and other data, so reset removes only ODP keys.
const ODP_KEY_PATTERNS = ['fs_user_id-$-*', 'vuid-$-*'];

/**
 * Creates the Redis segments cache. Values are JSON arrays of segment names, the format Optimizely
 * Agent's Redis cache uses. Reset SCANs for the prefix and UNLINKs in batches: lookups stay one GET
 * (a generation counter would add a round trip to every lookup on the decide path), the layout stays
 * Agent's, and resets are rare (RESET_CACHE, or an ODP settings change in the datafile).
 */
export function createRedisSegmentsCache(options: RedisSegmentsCacheOptions): RedisSegmentsCache {
  const connection = openRedisConnection(options, 'Redis segments cache');
  const { runner } = connection;
  const keyPrefix = options.keyPrefix ?? DEFAULT_SEGMENTS_KEY_PREFIX;
  const ttlMs = options.ttlMs ?? DEFAULT_SEGMENTS_TTL_MS;
  const expiry = ttlMs > 0 ? ['PX', String(Math.ceil(ttlMs))] : [];
  const resetPatterns = keyPrefix === '' ? ODP_KEY_PATTERNS : [`${escapeGlob(keyPrefix)}*`];

  // While this node resets, its lookups are misses: a caller that resets and then looks up (ODP's
  // RESET_CACHE does not wait for an async reset) must not read entries the reset is about to delete.
  let resetsInFlight = 0;

  return {
    async lookup(key) {
      if (resetsInFlight > 0) return null;
      let reply: unknown;
      try {
        reply = await runner.run(['GET', keyPrefix + key]);
      } catch {
        return null; // logged by the runner; a miss makes the caller fetch from ODP
      }
      if (reply === null || reply === undefined) return null;
      const segments = typeof reply === 'string' ? parseUntrustedJson(reply) : undefined;
      if (!Array.isArray(segments) || !segments.every((s) => typeof s === 'string')) {
        runner.report('ignored a corrupt entry (not a JSON array of strings); treating it as a miss');
        return null;
      }
      return segments as string[];
    },

    async save(key, segments) {
      try {
        await runner.run(['SET', keyPrefix + key, JSON.stringify(segments), ...expiry]);
      } catch {
        // logged by the runner; the next lookup is a miss and fetches again
      }
    },

    async reset() {
      resetsInFlight++;
      try {
        for (const pattern of resetPatterns) {
          await scanKeys(runner, pattern, async (keys) => {
            await runner.run(['UNLINK', ...keys]);
          });
        }
      } catch (error) {
        runner.report(`reset incomplete: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        resetsInFlight--;
      }
    },

    health: () => runner.health(),
    close: () => closeRedisConnection(connection),
  };
}
