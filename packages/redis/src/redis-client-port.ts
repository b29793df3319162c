/**
 * The small part of a Redis client this package uses. node-redis (`redis` / `@redis/client` 5.x and
 * 6.x) fits as is; anything else can be adapted in a few lines. Keeping the surface this small means
 * a user's own client (any modules, any RESP version) is accepted without type gymnastics.
 */
export interface RedisCommandClient {
  /** Sends one command, e.g. `['SET', key, value, 'PX', '1000']`; resolves with the raw reply. */
  sendCommand(args: ReadonlyArray<string>, options?: { readonly timeout?: number }): Promise<unknown>;
  /** False while disconnected; commands are then failed at once instead of being sent. */
  readonly isReady?: boolean;
}

/** A listener for one pub/sub channel: the message text and the channel it came on. */
export type RedisMessageListener = (message: string, channel: string) => void;

/**
 * A client in subscriber mode (node-redis: a `duplicate()` of the publisher). `on('ready')` lets the
 * sync channel retry subscriptions that failed while Redis was away.
 */
export interface RedisSubscriberClient {
  subscribe(channel: string, listener: RedisMessageListener): Promise<unknown>;
  unsubscribe(channel: string, listener?: RedisMessageListener): Promise<unknown>;
  readonly isReady?: boolean;
  on?(event: 'ready', listener: () => void): unknown;
  off?(event: 'ready', listener: () => void): unknown;
}
