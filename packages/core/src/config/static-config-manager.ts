import { ConfigError } from '../errors/config-error';
import { noopLogger } from '../logging/create-logger';
import type { Logger } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import { createConfigManager, parseDatafile } from './config-manager-lifecycle';

/** Options for {@link createStaticConfigManager}. */
export interface StaticConfigManagerOptions {
  /** The datafile, as JSON text or an already-parsed object (never modified). */
  readonly datafile: string | object;
  readonly logger?: Logger;
}

/**
 * A config manager for a datafile supplied up front, with no network. `start()` parses it: a
 * valid datafile makes `onReady()` resolve and is announced once to `onUpdate` listeners; an
 * invalid one is logged at error level and `onReady()` rejects with
 * `ConfigError('invalid-datafile')` carrying the `DatafileError` as cause. Nothing here throws.
 */
export function createStaticConfigManager(options: StaticConfigManagerOptions): ProjectConfigManager {
  const logger = options.logger ?? noopLogger;
  return createConfigManager(logger, (install, fail) => {
    // Plain JS callers may omit the datafile despite the type.
    if (options.datafile == null) return fail(new ConfigError('no-datafile', 'No datafile was provided.'));
    const parsed = parseDatafile(options.datafile, 'provided', logger);
    if (parsed instanceof ConfigError) fail(parsed);
    else install(parsed);
  });
}
