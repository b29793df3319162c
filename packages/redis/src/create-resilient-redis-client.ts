import type { Logger } from '@flagkit/core';
import { createClient, type RedisClientOptions } from '@redis/client';
import { createRateLimitedLog } from './rate-limited-log';
import type { RedisCommandClient, RedisSubscriberClient } from './redis-client-port';

/** Connection options for a client this package creates and owns. */
export interface ResilientRedisClientOptions {
  /** `redis[s]://[[user]:password@]host[:port][/db]`; default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /** Bound on one connection attempt; default 1 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest wait between reconnection attempts (backoff 50 ms doubling, with jitter); default 2 000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Connection errors are logged here, at most once per `errorLogIntervalMs` (default 10 000). */
  readonly logger?: Logger;
  readonly errorLogIntervalMs?: number;
  /** Anything else node-redis accepts (TLS, username, password, database...). Ours win where they overlap. */
  readonly clientOptions?: RedisClientOptions;
}

/** A node-redis client created by {@link createResilientRedisClient}. */
export type ResilientRedisClient = RedisCommandClient &
  RedisSubscriberClient & {
    readonly isOpen: boolean;
    duplicate(): ResilientRedisClient;
    close(): Promise<void>;
    destroy(): void;
    connect(): Promise<unknown>;
    on(event: string, listener: (...args: never[]) => void): unknown;
  };

/**
 * Creates a node-redis client set up to fail fast and heal itself, and starts connecting (without
 * waiting). While disconnected, commands are refused at once (`disableOfflineQueue`) rather than
 * queued until Redis returns; the client reconnects forever with capped backoff, and node-redis
 * re-sends SUBSCRIBE for every channel after a reconnect. Errors are logged, rate-limited, so an
 * outage neither crashes the process (an `error` event without a listener would) nor floods logs.
 */
export function createResilientRedisClient(options: ResilientRedisClientOptions = {}): ResilientRedisClient {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const client = createClient({
    ...options.clientOptions,
    url: options.url ?? options.clientOptions?.url ?? 'redis://127.0.0.1:6379',
    disableOfflineQueue: true,
    socket: {
      ...options.clientOptions?.socket,
      connectTimeout: options.connectTimeoutMs ?? 1_000,
      reconnectStrategy: (retries: number) => {
        const base = Math.min(50 * 2 ** Math.min(retries, 16), maxDelay);
        return Math.round(base / 2 + (Math.random() * base) / 2);
      },
    },
  } as RedisClientOptions) as unknown as ResilientRedisClient;
  watch(client, options);
  return client;
}

// Clients made here, until their first connection: components wait for it (within their timeout).
const firstConnections = new WeakMap<object, Promise<void>>();

/** Resolves at the first connection of a client made by this module; undefined for other clients. */
export function firstConnectionOf(client: object): Promise<void> | undefined {
  return firstConnections.get(client);
}

function watch(client: ResilientRedisClient, options: ResilientRedisClientOptions): void {
  firstConnections.set(
    client,
    new Promise<void>((resolve) => {
      client.on('ready', () => resolve());
    }),
  );
  const logError = createRateLimitedLog(options.logger, 'error', options.errorLogIntervalMs ?? 10_000);
  let wasReady = false;
  client.on('error', (error: Error) => {
    logError(`Redis connection error: ${error.message}`);
  });
  client.on('ready', () => {
    if (wasReady && options.logger?.isEnabled('info'))
      options.logger.log('info', 'Redis connection restored');
    wasReady = true;
  });
  // The first attempt may fail while Redis is down; the reconnect strategy keeps trying.
  client.connect().catch((error: unknown) => {
    logError(`Redis connect failed: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/** Creates a subscriber connection next to `client`, with the same resilience settings. */
export function duplicateResilientRedisClient(
  client: ResilientRedisClient,
  options: ResilientRedisClientOptions = {},
): ResilientRedisClient {
  const duplicate = client.duplicate();
  watch(duplicate, options);
  return duplicate;
}

/** True for a client instance (it can send commands); false for connection options. */
export function isRedisClient(value: unknown): value is RedisCommandClient {
  return typeof (value as { sendCommand?: unknown } | null)?.sendCommand === 'function';
}

/** Resolves true once `client` is connected, or false after `timeoutMs` (default 5 000). */
export async function whenRedisReady(
  client: { readonly isReady?: boolean },
  timeoutMs = 5_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (client.isReady === false) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 10);
      (timer as { unref?: () => void }).unref?.();
    });
  }
  return true;
}
