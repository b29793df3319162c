import { FlagKitError } from './flagkit-error';

/** An argument the caller passed is not usable, e.g. a non-string user id or an `undefined` attribute. */
export class InputError extends FlagKitError {
  constructor(code: 'INVALID_USER_ID' | 'INVALID_ATTRIBUTES' | 'INVALID_INPUT', message: string) {
    super(code, message);
    this.name = 'InputError';
  }
}
