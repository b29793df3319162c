import { createStaticConfigManager, type StaticConfigManagerOptions } from '../config/static-config-manager';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { ClientOptions } from './client-options';

/**
 * The config manager a client built from `options` uses: the one given, else a static one over
 * `datafile`. Without a datafile that one fails with `no-datafile` (the client then serves error
 * decisions); it reads only `datafile` and `logger` of the options.
 */
export function resolveConfigManager(options: ClientOptions): ProjectConfigManager {
  return options.projectConfigManager || createStaticConfigManager(options as StaticConfigManagerOptions);
}
