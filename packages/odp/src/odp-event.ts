import type { OdpDataValue } from '@flagkit/core';

/** Event type used when the caller gives none (or an empty one). */
export const DEFAULT_ODP_EVENT_TYPE = 'fullstack';
/** Actions of the events the SDK sends by itself. */
export const ODP_ACTION_IDENTIFIED = 'identified';
export const ODP_ACTION_CLIENT_INITIALIZED = 'client_initialized';

/**
 * An ODP event as sent: the JSON array of `/v3/events` holds these. `identifiers` and `data` are
 * prototype-free objects, so any key a user passes (`__proto__` included) is just a key.
 */
export interface OdpEvent {
  readonly type: string;
  readonly action: string;
  readonly identifiers: Record<string, string>;
  readonly data: Record<string, OdpDataValue>;
}
