import { uuidV4 } from '@flagkit/core';
import { DEFAULT_COMMAND_TIMEOUT_MS, positiveOr } from './command-runner';
import { duplicateResilientRedisClient, type ResilientRedisClient } from './create-resilient-redis-client';
import type { RedisSubscriberClient } from './redis-client-port';
import {
  closeOwnedClient,
  closeRedisConnection,
  openRedisConnection,
  type RedisComponentOptions,
} from './redis-connection';
import type { RedisHealth } from './redis-health';
import {
  AGENT_CHANNEL_PREFIX,
  baseSdkKey,
  datafileChannel,
  decodeNotification,
  encodeNotification,
  isValidSdkKey,
  notificationChannel,
  type SyncNotification,
  type SyncNotificationType,
} from './sync-messages';

/** Default bound on one received message; longer ones are dropped and counted. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;
// How long a published datafile update waits for its own echo before it stops suppressing one.
const ECHO_WINDOW_MS = 5_000;
const SUBSCRIBE_RETRY_MS = 500;

export interface RedisSyncChannelOptions extends RedisComponentOptions {
  /** The connection used to PUBLISH (`client` of {@link RedisComponentOptions}). */
  readonly client: RedisComponentOptions['client'];
  /**
   * A connection in subscriber mode. Default: a `duplicate()` of `client` (node-redis), created and
   * closed by the channel.
   */
  readonly subscriber?: RedisSubscriberClient;
  /** Channel names start with this; default `optimizely-sync`, Agent's, so both kinds of node interoperate. */
  readonly channelPrefix?: string;
  /** This node's id, sent as `origin` with notifications; default a random UUID. */
  readonly nodeId?: string;
  /** Skip this node's own datafile updates; default true: the node that took the webhook refreshed already. */
  readonly ignoreOwnDatafileUpdates?: boolean;
  /**
   * Skip notifications this node published; default false. As in Agent, a stream that listens on
   * the channel then sees every node's notifications, this one's included, from one source. Set it
   * when local listeners already handle this node's own notifications.
   */
  readonly ignoreOwnNotifications?: boolean;
  /** Longer messages are dropped and counted; default 1 048 576 characters. */
  readonly maxMessageBytes?: number;
}

/** A datafile update received from another node. */
export interface SyncDatafileUpdate {
  /** Whose datafile changed; re-fetch it (every client whose key starts with it, `key:token` too). */
  readonly sdkKey: string;
}

/** The channel's own numbers next to its publisher's {@link RedisHealth}. */
export interface RedisSyncHealth extends RedisHealth {
  /** Whether the subscriber connection is up. */
  readonly subscriberConnected: boolean;
  /** Channels subscribed right now, and channels waiting for Redis to come back. */
  readonly subscribedChannels: number;
  readonly pendingChannels: number;
  /** Messages delivered to listeners, skipped as this node's own, and dropped as invalid. */
  readonly received: number;
  readonly ignoredOwn: number;
  readonly invalidMessages: number;
}

/**
 * Keeps several nodes in step over Redis pub/sub, with Optimizely Agent's channels and formats:
 * datafile updates (the sdkKey as plain text on `<prefix>-datafile`) and notifications (`{"type",
 * "message"}` JSON on `<prefix>-<sdkKey>`). Nothing here throws into the caller: failures are
 * logged (rate-limited), counted, and publish resolves false.
 */
export interface RedisSyncChannel {
  readonly nodeId: string;
  /** Tells every node that `sdkKey`'s datafile changed. Resolves false when it could not be sent. */
  publishDatafileUpdate(sdkKey: string): Promise<boolean>;
  /** Calls `listener` for each datafile update from other nodes; returns the unsubscribe function. */
  onDatafileUpdate(listener: (update: SyncDatafileUpdate) => void): () => void;
  /** Publishes one notification; `message` must be JSON-serialisable. Resolves false when not sent. */
  publishNotification(sdkKey: string, type: SyncNotificationType, message: unknown): Promise<boolean>;
  /** Calls `listener` for each valid notification of `sdkKey`; returns the unsubscribe function. */
  onNotification(sdkKey: string, listener: (notification: SyncNotification) => void): () => void;
  /** Resolves true once every wanted channel is subscribed, false if that took over `timeoutMs` (default 5 000). */
  whenSubscribed(timeoutMs?: number): Promise<boolean>;
  health(): RedisSyncHealth;
  /** Unsubscribes everything and closes the connections the channel created. Idempotent. */
  close(): Promise<void>;
}

interface Subscription {
  /** The sdkKey for a notification channel; null for the datafile channel. */
  readonly sdkKey: string | null;
  readonly listeners: Set<(value: never) => void>;
  state: 'pending' | 'subscribing' | 'subscribed';
}

export function createRedisSyncChannel(options: RedisSyncChannelOptions): RedisSyncChannel {
  const connection = openRedisConnection(options, 'Redis sync channel');
  const { runner } = connection;
  const prefix = options.channelPrefix ?? AGENT_CHANNEL_PREFIX;
  const nodeId = options.nodeId ?? uuidV4();
  const ignoreOwnDatafile = options.ignoreOwnDatafileUpdates ?? true;
  const ignoreOwnNotifications = options.ignoreOwnNotifications ?? false;
  const maxMessageBytes = positiveOr(options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES);
  const timeoutMs = positiveOr(options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS);
  const datafileChannelName = datafileChannel(prefix);

  let ownedSubscriber: ResilientRedisClient | null = null;
  let subscriber: RedisSubscriberClient;
  if (options.subscriber) {
    subscriber = options.subscriber;
  } else {
    const source = connection.client as Partial<ResilientRedisClient>;
    if (typeof source.duplicate !== 'function') {
      throw new TypeError('createRedisSyncChannel: pass `subscriber`, or a client with duplicate()');
    }
    ownedSubscriber = duplicateResilientRedisClient(source as ResilientRedisClient, {
      logger: options.logger,
      errorLogIntervalMs: options.errorLogIntervalMs,
    });
    subscriber = ownedSubscriber;
  }

  const subscriptions = new Map<string, Subscription>();
  const echoes = new Map<string, number[]>(); // sdkKey → expiry times of our own pending echoes
  let received = 0;
  let ignoredOwn = 0;
  let invalidMessages = 0;
  let retryTimer: unknown = null;
  let closed = false;

  const invalid = (why: string) => {
    invalidMessages++;
    runner.report(`dropped an invalid message: ${why}`);
  };

  const deliver = <T>(subscription: Subscription, value: T) => {
    received++;
    for (const listener of [...subscription.listeners]) {
      try {
        (listener as (value: T) => void)(value);
      } catch (error) {
        runner.report(`a listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  // Echoes that never came (the subscriber was down) expire here rather than pile up.
  const pruneEchoes = () => {
    const now = Date.now();
    for (const [sdkKey, pending] of echoes) {
      while (pending.length > 0 && (pending[0] as number) < now) pending.shift();
      if (pending.length === 0) echoes.delete(sdkKey);
    }
  };

  /** True, once per publish, for the echo of a datafile update this node sent itself. */
  const isOwnEcho = (sdkKey: string): boolean => {
    pruneEchoes();
    const pending = echoes.get(sdkKey);
    if (!pending) return false;
    pending.shift();
    if (pending.length === 0) echoes.delete(sdkKey);
    return true;
  };

  // One stable function for every channel, so a repeated SUBSCRIBE never adds a second listener.
  const onMessage = (message: string, channel: string) => {
    if (closed) return;
    const subscription = subscriptions.get(channel);
    if (!subscription) return;
    if (typeof message !== 'string' || message.length > maxMessageBytes) {
      return invalid(`not text, or longer than ${maxMessageBytes}`);
    }
    if (subscription.sdkKey === null) {
      // Agent's datafile message is the bare sdkKey.
      if (!isValidSdkKey(message)) return invalid('datafile update is not an sdkKey');
      if (ignoreOwnDatafile && isOwnEcho(message)) {
        ignoredOwn++;
        return;
      }
      return deliver<SyncDatafileUpdate>(subscription, { sdkKey: message });
    }
    const decoded = decodeNotification(message);
    if (!decoded) return invalid('not a {"type","message"} notification');
    if (ignoreOwnNotifications && decoded.origin === nodeId) {
      ignoredOwn++;
      return;
    }
    deliver<SyncNotification>(subscription, { sdkKey: subscription.sdkKey, ...decoded });
  };

  const subscribe = (channel: string, subscription: Subscription) => {
    if (closed || subscription.state !== 'pending') return;
    subscription.state = 'subscribing';
    withTimeout(() => subscriber.subscribe(channel, onMessage), timeoutMs).then(
      () => {
        if (subscriptions.get(channel) === subscription) subscription.state = 'subscribed';
      },
      (error: unknown) => {
        subscription.state = 'pending';
        runner.report(
          `SUBSCRIBE failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
        );
        scheduleRetry();
      },
    );
  };

  const retryPending = () => {
    retryTimer = null;
    for (const [channel, subscription] of subscriptions) subscribe(channel, subscription);
  };

  const scheduleRetry = () => {
    if (retryTimer !== null || closed) return;
    retryTimer = setTimeout(retryPending, SUBSCRIBE_RETRY_MS);
    (retryTimer as { unref?: () => void }).unref?.();
  };
  // node-redis re-subscribes known channels itself after a reconnect; this catches the ones that
  // never got through while Redis was away.
  subscriber.on?.('ready', retryPending);

  const listen = (channel: string, sdkKey: string | null, listener: (value: never) => void) => {
    let subscription = subscriptions.get(channel);
    if (!subscription) {
      subscription = { sdkKey, listeners: new Set(), state: 'pending' };
      subscriptions.set(channel, subscription);
    }
    subscription.listeners.add(listener);
    subscribe(channel, subscription);
    const current = subscription;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || subscriptions.get(channel) !== current) return;
      subscriptions.delete(channel);
      withTimeout(() => subscriber.unsubscribe(channel, onMessage), timeoutMs).catch(() => {
        // A dead connection has no subscriptions left to remove.
      });
    };
  };

  const publish = async (channel: string, message: string): Promise<boolean> => {
    if (closed) return false;
    try {
      await runner.run(['PUBLISH', channel, message]);
      return true;
    } catch {
      return false; // logged by the runner
    }
  };

  return {
    nodeId,

    async publishDatafileUpdate(sdkKey) {
      if (!isValidSdkKey(sdkKey)) {
        runner.report('refused to publish a datafile update for an invalid sdkKey');
        return false;
      }
      // Only a node that hears the channel gets an echo to skip. Recorded before sending, since
      // the echo can arrive before PUBLISH's reply.
      const expectsEcho = ignoreOwnDatafile && subscriptions.get(datafileChannelName)?.state === 'subscribed';
      let pending: number[] | undefined;
      if (expectsEcho) {
        pruneEchoes();
        pending = echoes.get(sdkKey) ?? [];
        pending.push(Date.now() + ECHO_WINDOW_MS);
        echoes.set(sdkKey, pending);
      }
      const sent = await publish(datafileChannelName, sdkKey);
      if (!sent && pending) pending.pop();
      return sent;
    },

    onDatafileUpdate(listener) {
      return listen(datafileChannelName, null, listener as (value: never) => void);
    },

    async publishNotification(sdkKey, type, message) {
      if (!isValidSdkKey(sdkKey)) {
        runner.report('refused to publish a notification for an invalid sdkKey');
        return false;
      }
      let text: string;
      try {
        text = encodeNotification(type, message, nodeId);
      } catch (error) {
        runner.report(
          `notification not serialisable: ${error instanceof Error ? error.message : String(error)}`,
        );
        return false;
      }
      return publish(notificationChannel(prefix, sdkKey), text);
    },

    onNotification(sdkKey, listener) {
      if (!isValidSdkKey(sdkKey)) {
        runner.report('refused to listen for notifications of an invalid sdkKey');
        return () => {};
      }
      const channel = notificationChannel(prefix, sdkKey);
      const existing = subscriptions.get(channel);
      if (existing && existing.sdkKey === null) {
        runner.report(
          'refused to listen for notifications of sdkKey "datafile": that is the datafile channel',
        );
        return () => {};
      }
      return listen(channel, baseSdkKey(sdkKey), listener as (value: never) => void);
    },

    async whenSubscribed(waitMs = 5_000) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const all = [...subscriptions.values()].every((s) => s.state === 'subscribed');
        if (all) return true;
        if (Date.now() >= deadline || closed) return false;
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 20);
          (timer as { unref?: () => void }).unref?.();
        });
      }
    },

    health() {
      let subscribed = 0;
      for (const s of subscriptions.values()) if (s.state === 'subscribed') subscribed++;
      return {
        ...runner.health(),
        subscriberConnected: subscriber.isReady !== false,
        subscribedChannels: subscribed,
        pendingChannels: subscriptions.size - subscribed,
        received,
        ignoredOwn,
        invalidMessages,
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer as ReturnType<typeof setTimeout>);
      subscriber.off?.('ready', retryPending);
      const channels = [...subscriptions.keys()];
      subscriptions.clear();
      if (!ownedSubscriber) {
        await Promise.all(
          channels.map((channel) =>
            withTimeout(() => subscriber.unsubscribe(channel, onMessage), timeoutMs).catch(() => {}),
          ),
        );
      }
      await closeOwnedClient(ownedSubscriber);
      await closeRedisConnection(connection);
    },
  };
}

/** Runs `start` and rejects if it has not settled within `ms`. */
function withTimeout<T>(start: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    (timer as { unref?: () => void }).unref?.();
    let promise: Promise<T>;
    try {
      promise = start();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
