import type { CmabCache, CmabCacheEntry } from '@flagkit/core';
import { closeRedisConnection, openRedisConnection, type RedisComponentOptions } from './redis-connection';
import type { RedisHealth } from './redis-health';
import { escapeGlob, scanKeys } from './redis-keys';
import { parseUntrustedJson } from './safe-json';

/** Default key prefix of {@link createRedisCmabCache}. */
export const DEFAULT_CMAB_KEY_PREFIX = 'flagkit:cmab:';
/** Default lifetime of an entry, as Optimizely's CMAB cache: 30 minutes. */
export const DEFAULT_CMAB_TTL_MS = 30 * 60 * 1000;

export interface RedisCmabCacheOptions extends RedisComponentOptions {
  /** How long an entry lives (Redis expiry, `PX`); default 30 minutes. `0` keeps entries until `reset()`. */
  readonly ttlMs?: number;
  /**
   * Prepended to the CMAB cache key (`<length>-<userId>-<ruleId>`); default `flagkit:cmab:`. It
   * cannot be empty (a reset would then match every key): `''` means the default.
   */
  readonly keyPrefix?: string;
}

/** A {@link CmabCache} in Redis: CMAB predictions shared by every node on the same Redis and prefix. */
export interface RedisCmabCache extends CmabCache {
  /** The entry, or undefined on a miss, a corrupt entry, or when Redis is unavailable. */
  lookup(key: string): Promise<CmabCacheEntry | undefined>;
  /** Stores the entry with the TTL; a failure is logged, never thrown. */
  save(key: string, entry: CmabCacheEntry): Promise<void>;
  remove(key: string): Promise<void>;
  /** Deletes this cache's entries (those under its prefix) and nothing else; failures are logged. */
  reset(): Promise<void>;
  health(): RedisHealth;
  /** Closes the client if this cache created it. */
  close(): Promise<void>;
}

function isEntry(value: unknown): value is CmabCacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.attributesHash === 'string' &&
    typeof entry.variationId === 'string' &&
    typeof entry.cmabUuid === 'string'
  );
}

/**
 * Creates the Redis CMAB cache. Values are the JSON of `{attributesHash, variationId, cmabUuid}`.
 * When Redis is down every lookup is a miss, so decisions ask the prediction service instead.
 */
export function createRedisCmabCache(options: RedisCmabCacheOptions): RedisCmabCache {
  const connection = openRedisConnection(options, 'Redis CMAB cache');
  const { runner } = connection;
  const keyPrefix = options.keyPrefix || DEFAULT_CMAB_KEY_PREFIX;
  const ttlMs = options.ttlMs ?? DEFAULT_CMAB_TTL_MS;
  const expiry = ttlMs > 0 ? ['PX', String(Math.ceil(ttlMs))] : [];

  return {
    async lookup(key) {
      let reply: unknown;
      try {
        reply = await runner.run(['GET', keyPrefix + key]);
      } catch {
        return undefined; // logged by the runner; a miss asks the prediction service
      }
      if (reply === null || reply === undefined) return undefined;
      const entry = typeof reply === 'string' ? parseUntrustedJson(reply) : undefined;
      if (!isEntry(entry)) {
        runner.report('ignored a corrupt CMAB entry; treating it as a miss');
        return undefined;
      }
      return {
        attributesHash: entry.attributesHash,
        variationId: entry.variationId,
        cmabUuid: entry.cmabUuid,
      };
    },

    async save(key, entry) {
      const value = JSON.stringify({
        attributesHash: entry.attributesHash,
        variationId: entry.variationId,
        cmabUuid: entry.cmabUuid,
      });
      try {
        await runner.run(['SET', keyPrefix + key, value, ...expiry]);
      } catch {
        // logged by the runner; the next lookup is a miss and asks again
      }
    },

    async remove(key) {
      try {
        await runner.run(['UNLINK', keyPrefix + key]);
      } catch {
        // logged by the runner
      }
    },

    async reset() {
      try {
        await scanKeys(runner, `${escapeGlob(keyPrefix)}*`, async (keys) => {
          await runner.run(['UNLINK', ...keys]);
        });
      } catch (error) {
        runner.report(`reset incomplete: ${error instanceof Error ? error.message : String(error)}`);
      }
    },

    health: () => runner.health(),
    close: () => closeRedisConnection(connection),
  };
}
