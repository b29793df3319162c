import { FlagKitError } from '@flagkit/core';

/**
 * A Redis command failed: not connected, timed out, or answered with an error. Only the key-value
 * store rejects with it (its callers must know a write was not durable); the caches and the user
 * profile service turn it into a miss and a log line.
 */
export class RedisUnavailableError extends FlagKitError {
  /** `offline` (not connected), `timeout` (no answer in time) or `command` (Redis said no). */
  readonly reason: 'offline' | 'timeout' | 'command';

  constructor(reason: RedisUnavailableError['reason'], message: string, options?: { cause?: unknown }) {
    super('REDIS_UNAVAILABLE', message, options);
    this.name = 'RedisUnavailableError';
    this.reason = reason;
  }
}
