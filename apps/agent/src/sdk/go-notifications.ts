import type { DecisionNotification, NodeClient, ProjectConfig, TrackNotification } from '@flagkit/node';
import type { NotificationBus } from '../sync/notification-bus';

/**
 * Notification types an SSE client can ask for (`filter=`), with the names Agent uses.
 */
export const STREAM_TYPES = ['decision', 'track', 'project_config_update'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

/**
 * Publishes a client's notifications to the bus in the shapes Agent's SSE stream sends: Go
 * structs marshalled with their Go field names (`Type`, `UserContext.ID`, `DecisionInfo`…).
 */
export function publishNotifications(
  client: NodeClient,
  sdkKey: string,
  bus: NotificationBus,
  getConfig: () => ProjectConfig | null,
): void {
  const center = client.notificationCenter;
  center.addNotificationListener('DECISION', (n: DecisionNotification) => {
    const info = n.decisionInfo as Record<string, unknown>;
    bus.publish(sdkKey, {
      type: 'decision',
      message: {
        Type: n.type,
        UserContext: { ID: n.userId, Attributes: n.attributes ?? {}, QualifiedSegments: null },
        DecisionInfo:
          n.type === 'flag'
            ? { ...info, variationKey: info.variationKey ?? '', ruleKey: info.ruleKey ?? '' }
            : info,
      },
    });
  });
  center.addNotificationListener('TRACK', (n: TrackNotification) => {
    bus.publish(sdkKey, {
      type: 'track',
      message: {
        EventKey: n.eventKey,
        UserContext: { ID: n.userId, Attributes: n.attributes ?? {}, QualifiedSegments: null },
        EventTags: n.eventTags ?? {},
        ConversionEvent: n.logEvent?.params ?? null,
      },
    });
  });
  center.addNotificationListener('OPTIMIZELY_CONFIG_UPDATE', () => {
    bus.publish(sdkKey, {
      type: 'project_config_update',
      message: { Type: 'project_config_update', Revision: getConfig()?.revision ?? '' },
    });
  });
}
