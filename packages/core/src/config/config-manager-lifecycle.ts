import { ConfigError } from '../errors/config-error';
import type { Logger } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import { createProjectConfig } from './create-project-config';
import type { ProjectConfig } from './project-config';

/** Hands a config manager a config (ignored if its revision is the current one) or a failure. */
export type ConfigSource = (
  install: (config: ProjectConfig) => void,
  fail: (error: ConfigError) => void,
) => void;

/** An error's message, or the thrown value as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The config parsed from `datafile`, or why it cannot be used; `source` says whose datafile it is. */
export function parseDatafile(
  datafile: string | object,
  source: string,
  logger: Logger,
): ProjectConfig | ConfigError {
  try {
    return createProjectConfig(datafile, { logger });
  } catch (cause) {
    return new ConfigError('invalid-datafile', `The ${source} datafile is invalid: ${describeError(cause)}`, {
      cause,
    });
  }
}

/**
 * The lifecycle every FlagKit config manager shares; where configs come from is up to the caller.
 * The first `start()` (unless stopped) calls `begin`, which installs configs and reports failures
 * from then on; every `stop()` calls `end`, which must be idempotent. `onReady()` settles with the
 * first config or failure. A failure is logged at error level (a stop is not); a rejected
 * `onReady()` nobody listens to is never reported as unhandled. A listener that throws is logged
 * and the others still run.
 */
export function createConfigManager(
  logger: Logger,
  begin: ConfigSource,
  end?: () => void,
): ProjectConfigManager {
  const listeners = new Set<(config: ProjectConfig) => void>();
  let config: ProjectConfig | null = null;
  // Set by stop() too, so that a start() after it does nothing.
  let started = false;
  let resolveReady!: () => void;
  let rejectReady!: (error: ConfigError) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A caller that never asks for onReady() must not see an unhandled rejection.
  ready.catch(() => {});

  const logError = (message: string): void => {
    if (logger.isEnabled('error')) logger.log('error', message);
  };
  // Settling a settled promise does nothing, so only the first config or failure counts.
  const fail = (error: ConfigError): void => {
    logError(error.message);
    rejectReady(error);
  };
  const install = (next: ProjectConfig): void => {
    if (config?.revision === next.revision) return;
    config = next;
    resolveReady();
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        logError(`A config update listener threw: ${describeError(error)}`);
      }
    }
  };

  return {
    start() {
      if (started) return;
      started = true;
      begin(install, fail);
    },
    onReady: () => ready,
    getConfig: () => config,
    onUpdate(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    // Idempotent: clearing, ending and settling again change nothing.
    async stop() {
      started = true;
      listeners.clear();
      end?.();
      // Not a failure to log: the caller asked for it.
      rejectReady(
        new ConfigError('stopped', 'The config manager was stopped before a config was available.'),
      );
    },
  };
}
