import type { OdpIntegration } from '../config/project-config';
import type { FlagKitError } from '../errors/flagkit-error';

/** Options for fetching qualified segments. */
export type OdpSegmentOption = 'IGNORE_CACHE' | 'RESET_CACHE';

/** Identifier and data values ODP accepts. */
export type OdpDataValue = string | number | boolean | null;

/** An event for `sendOdpEvent`. Maps or plain objects are both accepted. */
export interface OdpEventInput {
  readonly action: string;
  readonly type?: string;
  readonly identifiers?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  readonly data?: ReadonlyMap<string, OdpDataValue> | Readonly<Record<string, OdpDataValue>>;
}

/** How `sendOdpEvent` went: accepted for delivery, or refused with a reason. */
export type OdpSendResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason:
        | 'sdkNotReady'
        | 'odpNotIntegrated'
        | 'odpNotEnabled'
        | 'invalidInput'
        | 'queueFull'
        | 'closed';
      readonly message: string;
      /** For `invalidInput`: a typed error naming the argument (and key) that was wrong. */
      readonly error?: FlagKitError;
    };

/** The ODP port, implemented by `@flagkit/odp`. */
export interface OdpManager {
  start(): void;
  /** False when the user turned ODP off; `sendOdpEvent` then refuses with `odpNotEnabled`. */
  isEnabled?(): boolean;
  onReady?(): Promise<void>;
  /** Called with each new datafile's ODP settings. */
  updateConfig(config: OdpIntegration): void;
  /** Resolves to the qualified segments, or null when the fetch failed (the failure is logged). */
  fetchQualifiedSegments(
    userKey: 'fs_user_id' | 'vuid',
    userValue: string,
    options?: readonly OdpSegmentOption[],
  ): Promise<string[] | null>;
  identifyUser(userId: string, vuid?: string): void;
  sendEvent(event: OdpEventInput): OdpSendResult;
  getVuid?(): string | undefined;
  flush(): Promise<void>;
  stop(): Promise<void>;
}
