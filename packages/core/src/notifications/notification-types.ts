import type { UserAttributes } from '../audience/evaluation-user';
import type { Experiment, Holdout, Variation } from '../config/project-config';
import type { LogEvent } from '../events/log-event';
import type { EventTags } from '../events/user-event';

/** The notification types, with the reference's string values. */
export const NOTIFICATION_TYPES = {
  ACTIVATE: 'ACTIVATE',
  DECISION: 'DECISION',
  LOG_EVENT: 'LOG_EVENT',
  OPTIMIZELY_CONFIG_UPDATE: 'OPTIMIZELY_CONFIG_UPDATE',
  TRACK: 'TRACK',
} as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[keyof typeof NOTIFICATION_TYPES];

/** The `type` of a DECISION notification. */
export const DECISION_NOTIFICATION_TYPES = {
  AB_TEST: 'ab-test',
  FEATURE: 'feature',
  FEATURE_TEST: 'feature-test',
  FEATURE_VARIABLE: 'feature-variable',
  ALL_FEATURE_VARIABLES: 'all-feature-variables',
  FLAG: 'flag',
} as const;

export type DecisionNotificationType =
  (typeof DECISION_NOTIFICATION_TYPES)[keyof typeof DECISION_NOTIFICATION_TYPES];

/** Sent for every impression. Exactly one of `experiment` and `holdout` is set when a rule decided. */
export interface ActivateNotification {
  readonly experiment: Experiment | null;
  readonly holdout: Holdout | null;
  readonly userId: string;
  readonly attributes: UserAttributes | undefined;
  readonly variation: Variation | null;
  /** The request this impression alone would make, when the event processor can build it. */
  readonly logEvent: LogEvent | undefined;
}

/** Sent for decisions; `decisionInfo` depends on `type` as in the reference. */
export interface DecisionNotification {
  readonly type: DecisionNotificationType;
  readonly userId: string;
  readonly attributes: UserAttributes;
  readonly decisionInfo: Readonly<Record<string, unknown>>;
}

/** Sent for every `track`. */
export interface TrackNotification {
  readonly eventKey: string;
  readonly userId: string;
  readonly attributes: UserAttributes | undefined;
  readonly eventTags: EventTags | undefined;
  readonly logEvent: LogEvent | undefined;
}

/** Payload type of each notification. */
export interface NotificationPayloads {
  ACTIVATE: ActivateNotification;
  DECISION: DecisionNotification;
  LOG_EVENT: LogEvent;
  OPTIMIZELY_CONFIG_UPDATE: undefined;
  TRACK: TrackNotification;
}
