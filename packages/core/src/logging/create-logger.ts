import type { Logger, LogLevel } from '../ports/logger';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Where log lines go. The default writes to the console. */
export interface LogHandler {
  log(level: LogLevel, message: string): void;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** The least severe level written; default `warn`. */
  readonly level?: LogLevel;
  readonly logHandler?: LogHandler;
  /** Prefix of console lines; default `[FLAGKIT]`. */
  readonly prefix?: string;
}

/**
 * A logger that drops messages below `level` before anything is formatted. The console handler
 * prints `PREFIX - LEVEL <ISO time> message`, like Optimizely's.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'warn'] ?? RANK.warn;
  const prefix = options.prefix ?? '[FLAGKIT]';
  const handler: LogHandler = options.logHandler ?? {
    log(level, message) {
      const line = `${prefix} - ${level.toUpperCase()} ${new Date().toISOString()} ${message}`;
      console[level](line);
    },
  };
  return {
    isEnabled: (level) => RANK[level] >= threshold,
    log(level, message) {
      if (RANK[level] < threshold) return;
      try {
        handler.log(level, message);
      } catch {
        // A broken log handler must never break a decision.
      }
    },
  };
}

/** A logger that logs nothing: the default, as in Optimizely v6. */
export const noopLogger: Logger = Object.freeze({ isEnabled: () => false, log: () => {} });
