import type { Logger, LogLevel } from '@flagkit/core';

/**
 * Logs at most one message per `intervalMs`; the next one that gets through says how many were
 * dropped. An outage would otherwise log once per decide call.
 */
export function createRateLimitedLog(
  logger: Logger | undefined,
  level: LogLevel,
  intervalMs: number,
): (message: string) => void {
  let windowStart = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (message) => {
    if (!logger?.isEnabled(level)) return;
    const now = Date.now();
    if (now - windowStart < intervalMs) {
      suppressed++;
      return;
    }
    windowStart = now;
    const note = suppressed > 0 ? ` (${suppressed} similar messages suppressed)` : '';
    suppressed = 0;
    try {
      logger.log(level, message + note);
    } catch {
      // A logger must not throw; if it does, Redis trouble must still not reach the caller.
    }
  };
}
