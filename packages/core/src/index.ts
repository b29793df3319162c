// The public API of @flagkit/core. Each export is named explicitly so the surface stays visible.

// Client and user context
export { createInstance } from './client/create-instance';
export { Client } from './client/client';
export type { ClientOptions, OnReadyOptions } from './client/client-options';
export {
  OptimizelyUserContext,
  type OptimizelyDecisionContext,
  type OptimizelyForcedDecision,
} from './client/user-context';
export type { OptimizelyDecision, OptimizelyDecisions } from './client/optimizely-decision';
export { OptimizelyDecideOption } from './client/decide-options';
export type { VariableValue } from './decision/variable-values';
export type { DecisionSource } from './decision/decision-source';

// Datafile and project config
export type * from './datafile/datafile';
export { createProjectConfig, type ProjectConfigOptions } from './config/create-project-config';
export type {
  Attribute,
  BucketedEntity,
  EventDefinition,
  Experiment,
  FeatureFlag,
  FeatureVariable,
  Group,
  Holdout,
  OdpIntegration,
  ProjectConfig,
  Rollout,
  Variation,
} from './config/project-config';
export { createStaticConfigManager, type StaticConfigManagerOptions } from './config/static-config-manager';
export { createPollingConfigManager, type PollingConfigManagerOptions } from './config/polling-config-manager';
export { createOptimizelyConfig } from './config/optimizely-config';
export type * from './config/optimizely-config';

// Bucketing (exposed for tools and tests that need Optimizely's hash)
export { murmurhash3 } from './bucketing/murmurhash3';
export { bucketValue, MAX_TRAFFIC_VALUE } from './bucketing/bucket-value';

// Events
export type {
  ConversionEvent,
  EventContext,
  EventTags,
  EventTagValue,
  ImpressionEvent,
  UserEvent,
  VisitorAttribute,
} from './events/user-event';
export { areEventContextsEqual } from './events/user-event';
export type { LogEvent } from './events/log-event';

// Notifications
export { NotificationCenter } from './notifications/notification-center';
export {
  DECISION_NOTIFICATION_TYPES,
  NOTIFICATION_TYPES,
  type ActivateNotification,
  type DecisionNotification,
  type DecisionNotificationType,
  type NotificationPayloads,
  type NotificationType,
  type TrackNotification,
} from './notifications/notification-types';

// Logging
export { createLogger, noopLogger, type LogHandler, type LoggerOptions } from './logging/create-logger';

// Ports: the interfaces other packages implement
export type { Logger, LogLevel } from './ports/logger';
export type { ErrorHandler } from './ports/error-handler';
export type { EventProcessor } from './ports/event-processor';
export type { HttpRequest, HttpResponse, Requester } from './ports/requester';
export type { ProjectConfigManager } from './ports/project-config-manager';
export type {
  OdpDataValue,
  OdpEventInput,
  OdpManager,
  OdpSegmentOption,
  OdpSendResult,
} from './ports/odp-manager';
export type {
  ExperimentBucketMap,
  UserProfile,
  UserProfileService,
  UserProfileServiceAsync,
} from './ports/user-profile-service';
export type { UserAttributes } from './audience/evaluation-user';

// Errors
export { FlagKitError } from './errors/flagkit-error';
export { DatafileError } from './errors/datafile-error';
export { ConfigError, type ConfigErrorReason } from './errors/config-error';
export { ReadyError, type ReadyFailureReason } from './errors/ready-error';
export { InputError } from './errors/input-error';

// Utilities shared with sibling packages
export { uuidV4 } from './util/uuid';
