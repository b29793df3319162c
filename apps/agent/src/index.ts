// The programmatic API of @flagkit/agent, for embedding and tests. Each export is named explicitly.
export { type Agent, type AgentAddresses, type AgentOptions, createAgent } from './agent';
export type { AgentConfig } from './config/agent-config';
export { DEFAULT_CONFIG } from './config/agent-config';
export { AgentConfigError, type LoadConfigOptions, loadConfig } from './config/load-config';
export type {
  AgentClient,
  AgentPlugins,
  SegmentsCacheFactory,
  UserProfileServiceFactory,
} from './sdk/client-cache';
export { createInMemoryUserProfileService } from './sdk/in-memory-user-profile-service';
export { createInMemoryDatafileSync, type DatafileSyncChannel } from './sync/datafile-sync';
export {
  type BusNotification,
  createInMemoryNotificationBus,
  type NotificationBus,
} from './sync/notification-bus';
