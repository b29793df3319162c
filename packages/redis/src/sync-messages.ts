import { isPlainRecord, parseUntrustedJson } from './safe-json';

/** Optimizely Agent's channel prefix (`synchronization` in Agent's config). */
export const AGENT_CHANNEL_PREFIX = 'optimizely-sync';

/**
 * Notification types on the wire: Agent's (go-sdk's `notification.Type`) plus `activate`, which
 * only FlagKit nodes send.
 */
export type SyncNotificationType =
  | 'decision'
  | 'track'
  | 'project_config_update'
  | 'log_event_notification'
  | 'activate';

const NOTIFICATION_TYPES = new Set<string>([
  'decision',
  'track',
  'project_config_update',
  'log_event_notification',
  'activate',
]);

/** A JSON value, as a notification's `message` travels. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One notification received from the channel. */
export interface SyncNotification {
  readonly sdkKey: string;
  readonly type: SyncNotificationType;
  readonly message: JsonValue;
  /** The publishing FlagKit node's id; null for messages from Agent nodes, which send none. */
  readonly origin: string | null;
}

/** Channel where every node announces "the datafile of this sdkKey changed" (Agent: `optimizely-sync-datafile`). */
export function datafileChannel(prefix: string): string {
  return `${prefix}-datafile`;
}

/**
 * Channel of one sdkKey's notifications (Agent: `optimizely-sync-<sdkKey>`). A secure environment's
 * `<sdkKey>:<token>` uses the sdkKey alone, as Agent does since 4.2.1.
 */
export function notificationChannel(prefix: string, sdkKey: string): string {
  return `${prefix}-${baseSdkKey(sdkKey)}`;
}

export function baseSdkKey(sdkKey: string): string {
  const colon = sdkKey.indexOf(':');
  return colon === -1 ? sdkKey : sdkKey.slice(0, colon);
}

// SDK keys and access tokens: letters, digits and the few marks base64 and Optimizely use.
const SDK_KEY = /^[A-Za-z0-9_\-:=+/.]{1,512}$/;

export function isValidSdkKey(value: unknown): value is string {
  return typeof value === 'string' && SDK_KEY.test(value);
}

/**
 * Agent's envelope `{"type":…,"message":…}`; FlagKit adds `origin` (its node id), which Agent's
 * decoder ignores. Throws when `message` cannot be serialised (a cycle, a BigInt).
 */
export function encodeNotification(type: SyncNotificationType, message: unknown, origin: string): string {
  return JSON.stringify({ type, message: message ?? null, origin });
}

/** Reads an envelope; null for anything that is not a valid one. */
export function decodeNotification(
  text: string,
): { type: SyncNotificationType; message: JsonValue; origin: string | null } | null {
  const value = parseUntrustedJson(text);
  if (!isPlainRecord(value)) return null;
  const { type, message, origin } = value;
  if (typeof type !== 'string' || !NOTIFICATION_TYPES.has(type) || !('message' in value)) return null;
  if (origin !== undefined && typeof origin !== 'string') return null;
  return { type: type as SyncNotificationType, message: message as JsonValue, origin: origin ?? null };
}
