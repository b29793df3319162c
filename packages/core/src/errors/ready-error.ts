import { FlagKitError } from './flagkit-error';

/** Why `onReady` rejected. */
export type ReadyFailureReason = 'timeout' | 'closed' | 'config';

/** `onReady` rejected: it timed out, the client was closed, or no config could be loaded (see `cause`). */
export class ReadyError extends FlagKitError {
  readonly reason: ReadyFailureReason;

  constructor(reason: ReadyFailureReason, message: string, options?: { cause?: unknown }) {
    super(
      reason === 'timeout' ? 'READY_TIMEOUT' : reason === 'closed' ? 'CLIENT_CLOSED' : 'CONFIG_UNAVAILABLE',
      message,
      options,
    );
    this.name = 'ReadyError';
    this.reason = reason;
  }
}
