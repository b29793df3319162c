import type { CmabService } from '../ports/cmab-service';
import type { ErrorHandler } from '../ports/error-handler';
import type { EventProcessor } from '../ports/event-processor';
import type { Logger } from '../ports/logger';
import type { OdpManager } from '../ports/odp-manager';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { UserProfileService, UserProfileServiceAsync } from '../ports/user-profile-service';
import type { OptimizelyDecideOption } from './decide-options';

/**
 * Everything `createInstance` composes. Only a datafile or a config manager is required; every
 * other part is optional and off when absent (no events, no logging, no ODP), as in Optimizely v6.
 */
export interface ClientOptions {
  /** A datafile (JSON text or object): shorthand for a static config manager. */
  readonly datafile?: string | object;
  /** Where configs come from; takes precedence over `datafile`. */
  readonly projectConfigManager?: ProjectConfigManager;
  readonly eventProcessor?: EventProcessor;
  readonly odpManager?: OdpManager;
  readonly userProfileService?: UserProfileService;
  readonly userProfileServiceAsync?: UserProfileServiceAsync;
  /**
   * Predictions for CMAB (contextual bandit) rules, asked by the async decide methods
   * (`createCmabService`). Without it, async decide skips CMAB rules as sync decide does.
   */
  readonly cmabService?: CmabService;
  readonly logger?: Logger;
  readonly errorHandler?: ErrorHandler;
  /** Options applied to every decide call, merged with the call's own. */
  readonly defaultDecideOptions?: readonly OptimizelyDecideOption[];
  /** `client_name` in events; default `javascript-sdk`. */
  readonly clientName?: string;
  /** `client_version` in events; default FlagKit's version. */
  readonly clientVersion?: string;
}

/** Options for `onReady`. */
export interface OnReadyOptions {
  /** Milliseconds before `onReady` rejects with a timeout; default 30 000. */
  readonly timeout?: number;
}
