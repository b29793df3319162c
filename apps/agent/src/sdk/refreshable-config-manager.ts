import {
  createPollingConfigManager,
  type PollingConfigManagerOptions,
  type ProjectConfig,
  type ProjectConfigManager,
} from '@flagkit/node';

/** A config manager whose datafile can be re-fetched on demand (a webhook said it changed). */
export interface RefreshableConfigManager extends ProjectConfigManager {
  /** Fetches the datafile now; new revisions reach `onUpdate` listeners as polled ones do. */
  refresh(): void;
}

/**
 * Wraps core's polling manager. `refresh()` replaces the inner manager with a new one seeded with
 * the current datafile (so decisions never pause) that fetches at once; its config replaces the
 * current one only when the revision differs.
 */
export function createRefreshableConfigManager(
  options: PollingConfigManagerOptions,
): RefreshableConfigManager {
  const listeners = new Set<(config: ProjectConfig) => void>();
  let current: ProjectConfig | null = null;
  let inner = createPollingConfigManager(options);
  let detach = attach(inner);
  let stopped = false;

  function attach(manager: ProjectConfigManager): () => void {
    return manager.onUpdate((config) => {
      if (current !== null && current.revision === config.revision) return;
      current = config;
      for (const listener of listeners) listener(config);
    });
  }

  return {
    start: () => inner.start(),
    onReady: () => inner.onReady(),
    getConfig: () => current ?? inner.getConfig(),
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh() {
      if (stopped || current === null) return;
      const previous = inner;
      const previousDetach = detach;
      inner = createPollingConfigManager({ ...options, datafile: current.datafileText });
      detach = attach(inner);
      inner.start();
      previousDetach();
      void previous.stop();
    },
    async stop() {
      stopped = true;
      detach();
      await inner.stop();
    },
  };
}
