import { createProjectConfig, type ProjectConfig, type ProjectConfigManager } from '@flagkit/core';

/**
 * A config manager that fetches the datafile from `url` once at start and again on `refresh()`:
 * what a service node does when the sync channel says an sdkKey's datafile changed.
 */
export interface RefreshableConfigManager extends ProjectConfigManager {
  refresh(): Promise<void>;
}

export function createRefreshableConfigManager(url: string): RefreshableConfigManager {
  let config: ProjectConfig | null = null;
  const listeners = new Set<(config: ProjectConfig) => void>();
  let first: Promise<void> | null = null;

  const refresh = async () => {
    const response = await fetch(url);
    const next = createProjectConfig(await response.text());
    if (config?.revision === next.revision) return;
    config = next;
    for (const listener of listeners) listener(next);
  };

  return {
    start() {
      first ??= refresh();
    },
    onReady: () => first ?? Promise.reject(new Error('not started')),
    getConfig: () => config,
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {},
    refresh,
  };
}
