import type { ConfigError } from '../errors/config-error';
import type { Logger } from '../ports/logger';
import type { ProjectConfig } from './project-config';

/**
 * What every config manager does with the configs it obtains: settle `onReady()` once, keep the
 * current config, and tell `onUpdate` listeners about each new one. The managers decide where
 * configs come from (a datafile given up front, the CDN) and when a new one counts as new.
 */
export interface ConfigAnnouncer {
  /** Resolves with the first config; rejects with the first failure. Never reported unhandled. */
  readonly ready: Promise<void>;
  /** True once `ready` has resolved or rejected. */
  readonly settled: boolean;
  /** The last config announced, or null. */
  readonly config: ProjectConfig | null;
  /** Makes `config` current, settles `ready` if it has not, and calls every listener with it. */
  announce(config: ProjectConfig): void;
  /** Rejects `ready` with `error`, unless it has settled already. */
  fail(error: ConfigError): void;
  /** Adds a listener for every config announced from now on; returns its removal. */
  onUpdate(listener: (config: ProjectConfig) => void): () => void;
  /** Forgets every listener. */
  clearListeners(): void;
}

/** A {@link ConfigAnnouncer}; a listener that throws is logged at error level and the rest still run. */
export function createConfigAnnouncer(logger: Logger): ConfigAnnouncer {
  const listeners = new Set<(config: ProjectConfig) => void>();
  let resolveReady!: () => void;
  let rejectReady!: (error: ConfigError) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A caller that never asks for onReady() must not see an unhandled rejection.
  ready.catch(() => {});

  const announcer = {
    ready,
    settled: false,
    config: null as ProjectConfig | null,
    announce(config: ProjectConfig): void {
      announcer.config = config;
      if (!announcer.settled) {
        announcer.settled = true;
        resolveReady();
      }
      for (const listener of [...listeners]) {
        try {
          listener(config);
        } catch (error) {
          if (logger.isEnabled('error'))
            logger.log('error', `A config update listener threw: ${describeError(error)}`);
        }
      }
    },
    fail(error: ConfigError): void {
      if (announcer.settled) return;
      announcer.settled = true;
      rejectReady(error);
    },
    onUpdate(listener: (config: ProjectConfig) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clearListeners(): void {
      listeners.clear();
    },
  };
  return announcer;
}

/** An error's message, or the thrown value as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
