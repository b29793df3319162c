import { FlagKitError } from './flagkit-error';

/** Why a CMAB prediction could not be had. */
export type CmabErrorReason =
  /** The prediction service answered with a status outside 2xx. */
  | 'http-status'
  /** The answer was not JSON, or had no `predictions[0].variation_id`. */
  | 'invalid-response'
  /** The request failed or timed out. */
  | 'network'
  /** The rule names an attribute id the datafile does not define. */
  | 'unknown-attribute';

/** A CMAB prediction failed; the flag being decided gets an error decision. */
export class CmabError extends FlagKitError {
  readonly reason: CmabErrorReason;

  constructor(reason: CmabErrorReason, message: string, options?: { cause?: unknown }) {
    super('CMAB_FETCH_FAILED', message, options);
    this.name = 'CmabError';
    this.reason = reason;
  }
}
