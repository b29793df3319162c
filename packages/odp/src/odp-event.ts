import type { OdpDataValue } from '@flagkit/core';

/** Event type used when the caller gives none (or an empty one). */
export const DEFAULT_ODP_EVENT_TYPE = 'fullstack';
/** Actions of the events the SDK sends by itself. */
export const ODP_ACTION_IDENTIFIED = 'identified';
export const ODP_ACTION_CLIENT_INITIALIZED = 'client_initialized';

/**
 * An ODP event, validated and ready to send. Identifiers and data are Maps, so any key a user
 * passes (`__proto__` included) is just a key; {@link serializeOdpEvents} writes them as objects.
 */
export interface OdpEvent {
  readonly type: string;
  readonly action: string;
  readonly identifiers: ReadonlyMap<string, string>;
  readonly data: ReadonlyMap<string, OdpDataValue>;
}

/**
 * The body of a `/v3/events` request: a JSON array of `{type, action, identifiers, data}`
 * objects, keys in insertion order, as the official SDK writes them. `Object.fromEntries` defines
 * own properties, so a `__proto__` key stays a key; JSON.stringify of plain objects is V8's
 * fastest path (about 3x faster than building the text by hand).
 */
export function serializeOdpEvents(events: readonly OdpEvent[]): string {
  return JSON.stringify(
    events.map(({ type, action, identifiers, data }) => ({
      type,
      action,
      identifiers: Object.fromEntries(identifiers),
      data: Object.fromEntries(data),
    })),
  );
}
