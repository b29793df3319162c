import type { ProjectConfig } from '../config/project-config';

/**
 * Supplies the current project config. The client calls `start()` once, reads `getConfig()` on
 * every decision and listens for new revisions.
 */
export interface ProjectConfigManager {
  start(): void;
  /** Resolves once a first config is available; rejects with the reason when it never can be. */
  onReady(): Promise<void>;
  /** The current config, or null before the first one arrives. */
  getConfig(): ProjectConfig | null;
  /** Calls `listener` whenever a config with a new revision replaces the current one. */
  onUpdate(listener: (config: ProjectConfig) => void): () => void;
  /** Stops polling and timers. Idempotent. */
  stop(): Promise<void>;
}
