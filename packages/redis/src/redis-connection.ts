import type { Logger } from '@flagkit/core';
import { CommandRunner } from './command-runner';
import {
  createResilientRedisClient,
  firstConnectionOf,
  isRedisClient,
  type ResilientRedisClient,
  type ResilientRedisClientOptions,
} from './create-resilient-redis-client';
import type { RedisCommandClient } from './redis-client-port';

/** How every component gets to Redis: your client instance, or options for one it creates and owns. */
export type RedisClientOption = RedisCommandClient | ResilientRedisClientOptions;

/** Options every component shares. */
export interface RedisComponentOptions {
  /** A connected client (node-redis or anything with `sendCommand`), or options to create one. */
  readonly client: RedisClientOption;
  /** Longest wait for one command before it counts as failed; default 1 000 ms. */
  readonly commandTimeoutMs?: number;
  /** Where failures are logged (rate-limited). */
  readonly logger?: Logger;
  /** At most one error line per this many ms; default 10 000. */
  readonly errorLogIntervalMs?: number;
}

/** A component's link to Redis: the client, its command runner, and the client it must close, if any. */
export interface RedisConnection {
  readonly client: RedisCommandClient;
  readonly runner: CommandRunner;
  /** Set when the component created the client, so `close()` closes it; null for a borrowed one. */
  readonly owned: ResilientRedisClient | null;
}

export function openRedisConnection(options: RedisComponentOptions, name: string): RedisConnection {
  const given = options.client;
  let client: RedisCommandClient;
  let owned: ResilientRedisClient | null = null;
  if (isRedisClient(given)) {
    client = given;
  } else {
    owned = createResilientRedisClient({
      ...(given ?? {}),
      logger: given?.logger ?? options.logger,
    });
    client = owned;
  }
  const firstReady = firstConnectionOf(client);
  const runner = new CommandRunner({
    client,
    name,
    commandTimeoutMs: options.commandTimeoutMs,
    logger: options.logger,
    errorLogIntervalMs: options.errorLogIntervalMs,
    firstReady,
  });
  return { client, runner, owned };
}

/** Closes a client the component created; a borrowed client is left to its owner. */
export function closeRedisConnection(connection: RedisConnection): Promise<void> {
  return closeOwnedClient(connection.owned);
}

/** Closes `owned` gracefully when connected; otherwise stops its reconnect loop at once. */
export async function closeOwnedClient(owned: ResilientRedisClient | null): Promise<void> {
  if (!owned) return;
  try {
    if (owned.isReady) await owned.close();
    else owned.destroy();
  } catch {
    owned.destroy();
  }
}
