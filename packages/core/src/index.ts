// The public API of @flagkit/core. Each export is named explicitly so the surface stays visible.

export type { UserAttributes } from './audience/evaluation-user';
export { bucketValue, MAX_TRAFFIC_VALUE } from './bucketing/bucket-value';
// Bucketing (exposed for tools and tests that need Optimizely's hash)
export { murmurhash3 } from './bucketing/murmurhash3';
export { Client } from './client/client';
export type { ClientOptions, OnReadyOptions } from './client/client-options';
// Client and user context
export { createDecideClient } from './client/create-decide-client';
export { createInstance } from './client/create-instance';
export { DecideClient } from './client/decide-client';
export { OptimizelyDecideOption } from './client/decide-options';
export type { OptimizelyDecision, OptimizelyDecisions } from './client/optimizely-decision';
export {
  type OptimizelyDecisionContext,
  type OptimizelyForcedDecision,
  OptimizelyUserContext,
} from './client/user-context';
export { type CmabServiceOptions, createCmabService } from './cmab/create-cmab-service';
export {
  DEFAULT_CMAB_CACHE_SIZE,
  DEFAULT_CMAB_CACHE_TTL_MS,
  InMemoryCmabCache,
} from './cmab/in-memory-cmab-cache';
export { createProjectConfig, type ProjectConfigOptions } from './config/create-project-config';
export type * from './config/optimizely-config';
export { createOptimizelyConfig } from './config/optimizely-config';
export {
  createPollingConfigManager,
  type PollingConfigManagerOptions,
} from './config/polling-config-manager';
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
// Datafile and project config
export type * from './datafile/datafile';
export type { DecisionSource } from './decision/decision-source';
export type { VariableValue } from './decision/variable-values';
export { CmabError, type CmabErrorReason } from './errors/cmab-error';
export { ConfigError, type ConfigErrorReason } from './errors/config-error';
export { DatafileError } from './errors/datafile-error';
// Errors
export { FlagKitError } from './errors/flagkit-error';
export { InputError } from './errors/input-error';
export { ReadyError, type ReadyFailureReason } from './errors/ready-error';
export { type ClientInfo, type UserEventBuilder, userEventBuilder } from './events/build-user-event';
export type { LogEvent } from './events/log-event';
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
// Logging
export { createLogger, type LoggerOptions, type LogHandler, noopLogger } from './logging/create-logger';
// Notifications
export { NotificationCenter } from './notifications/notification-center';
export {
  type ActivateNotification,
  DECISION_NOTIFICATION_TYPES,
  type DecisionNotification,
  type DecisionNotificationType,
  NOTIFICATION_TYPES,
  type NotificationPayloads,
  type NotificationType,
  type TrackNotification,
} from './notifications/notification-types';
export type { CmabCache, CmabCacheEntry } from './ports/cmab-cache';
export type { CmabDecision, CmabFetchOptions, CmabService, CmabUser } from './ports/cmab-service';
export type { ErrorHandler } from './ports/error-handler';
export type { DispatchResponse, EventDispatcher } from './ports/event-dispatcher';
export type { EventProcessor } from './ports/event-processor';
export type { KeyValueStore } from './ports/key-value-store';
// Ports: the interfaces other packages implement
export type { Logger, LogLevel } from './ports/logger';
export type {
  OdpDataValue,
  OdpEventInput,
  OdpManager,
  OdpSegmentOption,
  OdpSendResult,
} from './ports/odp-manager';
export type { ProjectConfigManager } from './ports/project-config-manager';
export type { HttpRequest, HttpResponse, Requester } from './ports/requester';
export type { SegmentsCache } from './ports/segments-cache';
export type {
  ExperimentBucketMap,
  UserProfile,
  UserProfileService,
  UserProfileServiceAsync,
} from './ports/user-profile-service';

// Utilities shared with sibling packages
export { uuidV4 } from './util/uuid';
