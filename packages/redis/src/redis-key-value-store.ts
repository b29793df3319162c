import type { KeyValueStore } from '@flagkit/core';
import { closeRedisConnection, openRedisConnection, type RedisComponentOptions } from './redis-connection';
import type { RedisHealth } from './redis-health';
import { escapeGlob, scanKeys } from './redis-keys';

/** Default key prefix of {@link createRedisKeyValueStore}. */
export const DEFAULT_KEY_VALUE_KEY_PREFIX = 'flagkit:kv:';

export interface RedisKeyValueStoreOptions extends RedisComponentOptions {
  /** Namespace of this store in Redis; default `flagkit:kv:`. `keys()` lists only keys under it. */
  readonly keyPrefix?: string;
}

/**
 * A durable {@link KeyValueStore} in Redis: an event store (`createKeyValueEventStore`) or VUID store
 * shared across restarts. Unlike the caches, failures reject with a `RedisUnavailableError` (within
 * the command timeout): the caller must know a write was not durable, and its callers in FlagKit log
 * it and carry on in memory.
 */
export interface RedisKeyValueStore extends KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every key of this store, without the prefix (SCAN, so Redis is never blocked). */
  keys(): Promise<readonly string[]>;
  health(): RedisHealth;
  /** Closes the client if this store created it. */
  close(): Promise<void>;
}

export function createRedisKeyValueStore(options: RedisKeyValueStoreOptions): RedisKeyValueStore {
  const connection = openRedisConnection(options, 'Redis key-value store');
  const { runner } = connection;
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_VALUE_KEY_PREFIX;

  return {
    async get(key) {
      const reply = await runner.run(['GET', keyPrefix + key]);
      return typeof reply === 'string' ? reply : null;
    },
    async set(key, value) {
      await runner.run(['SET', keyPrefix + key, value]);
    },
    async remove(key) {
      await runner.run(['DEL', keyPrefix + key]);
    },
    async keys() {
      const found = new Set<string>(); // SCAN may return a key twice
      await scanKeys(runner, `${escapeGlob(keyPrefix)}*`, (batch) => {
        for (const key of batch) found.add(key.slice(keyPrefix.length));
      });
      return [...found];
    },
    health: () => runner.health(),
    close: () => closeRedisConnection(connection),
  };
}
