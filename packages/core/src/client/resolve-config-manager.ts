import { createStaticConfigManager } from '../config/static-config-manager';
import { ConfigError } from '../errors/config-error';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { ClientOptions } from './client-options';

/**
 * The config manager a client built from `options` uses: the one given, else a static one over
 * `datafile`, else one that never has a config (the client then serves error decisions).
 */
export function resolveConfigManager(options: ClientOptions): ProjectConfigManager {
  if (options.projectConfigManager) return options.projectConfigManager;
  if (options.datafile !== undefined) {
    return createStaticConfigManager({
      datafile: options.datafile,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }
  return missingConfigManager();
}

function missingConfigManager(): ProjectConfigManager {
  const failure = new ConfigError(
    'no-datafile',
    'Neither a datafile nor a project config manager was provided.',
  );
  return {
    start() {},
    onReady: () => Promise.reject(failure),
    getConfig: () => null,
    onUpdate: () => () => {},
    stop: () => Promise.resolve(),
  };
}
