import { ConfigError, type ConfigErrorReason } from '../errors/config-error';
import { noopLogger } from '../logging/create-logger';
import type { Logger } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
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
  const listeners = new Set<(config: ProjectConfig) => void>();
  let config: ProjectConfig | null = null;
  let state: 'new' | 'started' | 'stopped' = 'new';
  let settled = false;

  let resolveReady!: () => void;
  let rejectReady!: (error: ConfigError) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A caller that never asks for onReady() must not see an unhandled rejection.
  ready.catch(() => {});

  /** Logs (unless stopping) and rejects `onReady` with a ConfigError, once. */
  const fail = (reason: ConfigErrorReason, message: string, cause?: unknown): void => {
    if (settled) return;
    settled = true;
    if (reason !== 'stopped' && logger.isEnabled('error')) logger.log('error', message);
    rejectReady(new ConfigError(reason, message, cause === undefined ? undefined : { cause }));
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
      try {
        config = createProjectConfig(options.datafile, { logger });
      } catch (cause) {
        const detail = cause instanceof Error ? cause.message : String(cause);
        fail('invalid-datafile', `The provided datafile is invalid: ${detail}`, cause);
        return;
      }
      settled = true;
      resolveReady();
      for (const listener of [...listeners]) {
        try {
          listener(config);
        } catch (error) {
          if (logger.isEnabled('error'))
            logger.log('error', `A config update listener threw: ${String(error)}`);
        }
      }
    },
    onReady: () => ready,
    getConfig: () => config,
    onUpdate(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      if (state === 'stopped') return Promise.resolve();
      state = 'stopped';
      listeners.clear();
      fail('stopped', 'The config manager was stopped before a config was available.');
      return Promise.resolve();
    },
  };
}
