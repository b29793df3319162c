import type { Logger, LogLevel } from '../ports/logger';

/**
 * Collects the human-readable reasons of one decision and mirrors them to the logger. Callers
 * check `active` before building a message, so a decision nobody reads costs no string work.
 */
export class DecisionTrace {
  readonly active: boolean;
  private readonly logInfo: boolean;
  private readonly logDebug: boolean;

  constructor(
    private readonly logger: Logger,
    /** Reasons for the caller, when it asked for them (INCLUDE_REASONS). */
    readonly reasons: string[] | null,
  ) {
    this.logInfo = logger.isEnabled('info');
    this.logDebug = logger.isEnabled('debug');
    this.active = reasons !== null || this.logInfo;
  }

  /** Records a reason; `level` is the level the reference logs it at. */
  add(level: LogLevel, message: string): void {
    if (this.reasons) this.reasons.push(message);
    if (level === 'debug' ? this.logDebug : this.logger.isEnabled(level)) this.logger.log(level, message);
  }

  /**
   * A trace that logs as this one does but keeps its reasons apart, for the caller to
   * {@link adopt} or drop (some reasons are reported only on one outcome).
   */
  fork(): DecisionTrace {
    return new DecisionTrace(this.logger, this.reasons ? [] : null);
  }

  /** Takes over the reasons a {@link fork} collected (they were logged already). */
  adopt(fork: DecisionTrace): void {
    if (this.reasons && fork.reasons) this.reasons.push(...fork.reasons);
  }

  /** A log line that is not a decide reason (the reference logs it without reporting it). */
  log(level: LogLevel, message: string): void {
    if (this.logger.isEnabled(level)) this.logger.log(level, message);
  }
}
