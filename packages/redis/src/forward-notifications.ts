import type { NotificationCenter, NotificationPayloads, NotificationType } from '@flagkit/core';
import type { RedisSyncChannel } from './redis-sync-channel';
import type { SyncNotificationType } from './sync-messages';

/** FlagKit's notification types and their names on the wire (Agent's, plus `activate`). */
export const WIRE_NOTIFICATION_TYPES = {
  ACTIVATE: 'activate',
  DECISION: 'decision',
  LOG_EVENT: 'log_event_notification',
  OPTIMIZELY_CONFIG_UPDATE: 'project_config_update',
  TRACK: 'track',
} as const satisfies Record<NotificationType, SyncNotificationType>;

export interface ForwardNotificationsOptions {
  readonly channel: RedisSyncChannel;
  readonly sdkKey: string;
  /** The client's `notificationCenter`. */
  readonly notificationCenter: Pick<
    NotificationCenter,
    'addNotificationListener' | 'removeNotificationListener'
  >;
  /** Which notifications to publish; default DECISION and TRACK (what Agent's SSE streams carry). */
  readonly types?: readonly ('DECISION' | 'TRACK' | 'LOG_EVENT')[];
}

/**
 * Publishes a client's notifications on the sync channel, so listeners on other nodes (an SSE
 * stream behind a load balancer) see this node's decisions. The payloads are FlagKit's (Optimizely
 * JS shapes); TRACK leaves out `logEvent`, the whole event batch, which streams do not need.
 * Returns a function that stops forwarding.
 */
export function forwardNotifications(options: ForwardNotificationsOptions): () => void {
  const { channel, sdkKey, notificationCenter } = options;
  const types = options.types ?? ['DECISION', 'TRACK'];
  const ids: number[] = [];
  for (const type of types) {
    const id = notificationCenter.addNotificationListener(
      type,
      (payload: NotificationPayloads[typeof type]) => {
        void channel.publishNotification(sdkKey, WIRE_NOTIFICATION_TYPES[type], toMessage(type, payload));
      },
    );
    if (id !== -1) ids.push(id);
  }
  return () => {
    for (const id of ids.splice(0)) notificationCenter.removeNotificationListener(id);
  };
}

function toMessage(type: 'DECISION' | 'TRACK' | 'LOG_EVENT', payload: unknown): unknown {
  if (type !== 'TRACK') return payload;
  const { logEvent: _logEvent, ...rest } = payload as NotificationPayloads['TRACK'];
  return rest;
}
