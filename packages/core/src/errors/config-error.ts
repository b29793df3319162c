import { FlagKitError } from './flagkit-error';

/** Why a project config manager could not (or will no longer) produce a config. */
export type ConfigErrorReason =
  /** The CDN answered 401 or 403: the sdk key (or datafile access token) is wrong. Not retried. */
  | 'invalid-sdk-key'
  /** Fetching failed (network error, timeout, 5xx) and the bounded startup retries ran out. */
  | 'fetch-failed'
  /** A given or fetched datafile could not be parsed; the `DatafileError` is the `cause`. */
  | 'invalid-datafile'
  /** `stop()` was called before the first config arrived. */
  | 'stopped'
  /** Neither an sdk key nor a datafile was supplied, so no config can ever arrive. */
  | 'no-datafile';

const CODES: Record<ConfigErrorReason, string> = {
  'invalid-sdk-key': 'INVALID_SDK_KEY',
  'fetch-failed': 'DATAFILE_FETCH_FAILED',
  'invalid-datafile': 'INVALID_DATAFILE',
  stopped: 'CONFIG_MANAGER_STOPPED',
  'no-datafile': 'NO_DATAFILE',
};

/**
 * The reason a config manager's `onReady()` rejected. Branch on `reason`; `code` is the matching
 * upper-case code shared with the rest of FlagKit's errors.
 */
export class ConfigError extends FlagKitError {
  /** Why no config is available. */
  readonly reason: ConfigErrorReason;

  constructor(reason: ConfigErrorReason, message: string, options?: { cause?: unknown }) {
    super(CODES[reason], message, options);
    this.name = 'ConfigError';
    this.reason = reason;
  }
}
