/** Log levels, from most to least verbose. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The logger port. Core checks `isEnabled` before building a message, so a disabled level costs
 * one call and no string work on hot paths. Implementations must not throw.
 */
export interface Logger {
  isEnabled(level: LogLevel): boolean;
  log(level: LogLevel, message: string): void;
}
