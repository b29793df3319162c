import { createStaticConfigManager } from '../config/static-config-manager';
import { ConfigError } from '../errors/config-error';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import { Client } from './client';
import type { ClientOptions } from './client-options';

/**
 * Creates a client from the parts given. `createInstance({ datafile })` alone gives a working
 * client; pass a config manager, event processor, ODP manager, user profile service and logger
 * to add polling, events, segments, sticky bucketing and logs.
 */
export function createInstance(options: ClientOptions): Client {
  const projectConfigManager =
    options.projectConfigManager ??
    (options.datafile !== undefined
      ? createStaticConfigManager({
          datafile: options.datafile,
          ...(options.logger ? { logger: options.logger } : {}),
        })
      : missingConfigManager());
  return new Client({ ...options, projectConfigManager });
}

/** A config manager that never has a config: the client then serves error decisions. */
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
