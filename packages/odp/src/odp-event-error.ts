import { FlagKitError } from '@flagkit/core';

/** Which part of a `sendOdpEvent` call was unusable. */
export type OdpEventField = 'action' | 'type' | 'identifiers' | 'data';

/**
 * An ODP event that cannot be sent, naming the bad part: `field` is the argument, `key` the
 * identifier or data key when one entry is at fault. Returned in the refusal of `sendOdpEvent`.
 */
export class OdpEventError extends FlagKitError {
  readonly field: OdpEventField;
  readonly key: string | undefined;

  constructor(field: OdpEventField, message: string, key?: string) {
    super('INVALID_ODP_EVENT', message);
    this.name = 'OdpEventError';
    this.field = field;
    this.key = key;
  }
}
