import { ConfigError, type ConfigErrorReason } from '../errors/config-error';
import { noopLogger } from '../logging/create-logger';
import type { Logger } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import { createConfigAnnouncer, describeError } from './config-announcer';
import { createProjectConfig } from './create-project-config';
import type { ProjectConfig } from './project-config';

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
  const announcer = createConfigAnnouncer(logger);
  let state: 'new' | 'started' | 'stopped' = 'new';

  /** Logs (unless stopping) and rejects `onReady` with a ConfigError, once. */
  const fail = (reason: ConfigErrorReason, message: string, cause?: unknown): void => {
    if (announcer.settled) return;
    if (reason !== 'stopped' && logger.isEnabled('error')) logger.log('error', message);
    announcer.fail(new ConfigError(reason, message, cause === undefined ? undefined : { cause }));
  };

  return {
    start() {
      if (state !== 'new') return;
      state = 'started';
      // Plain JS callers may omit the datafile despite the type.
      if (options.datafile === undefined || options.datafile === null) {
        fail('no-datafile', 'No datafile was provided.');
        return;
      }
      let config: ProjectConfig;
      try {
        config = createProjectConfig(options.datafile, { logger });
      } catch (cause) {
        fail('invalid-datafile', `The provided datafile is invalid: ${describeError(cause)}`, cause);
        return;
      }
      announcer.announce(config);
    },
    onReady: () => announcer.ready,
    getConfig: () => announcer.config,
    onUpdate: announcer.onUpdate,
    stop() {
      if (state === 'stopped') return Promise.resolve();
      state = 'stopped';
      announcer.clearListeners();
      fail('stopped', 'The config manager was stopped before a config was available.');
      return Promise.resolve();
    },
  };
}
