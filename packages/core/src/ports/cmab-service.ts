import type { ProjectConfig } from '../config/project-config';

/** A contextual-bandit (CMAB) prediction for one user and rule. */
export interface CmabDecision {
  /** The id of the variation the prediction service chose. */
  readonly variationId: string;
  /** The prediction's UUID, sent on as `cmab_uuid` in the impression's metadata. */
  readonly cmabUuid: string;
}

/** The CMAB decide options of one call, as flags. */
export interface CmabFetchOptions {
  /** `IGNORE_CMAB_CACHE`: ask the service, and keep nothing. */
  readonly ignoreCache: boolean;
  /** `RESET_CMAB_CACHE`: empty the whole cache first. */
  readonly resetCache: boolean;
  /** `INVALIDATE_USER_CMAB_CACHE`: drop this user and rule's entry first. */
  readonly invalidateUserCache: boolean;
}

/** The user a CMAB prediction is asked for. */
export interface CmabUser {
  readonly userId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/**
 * The CMAB port: predictions for rules whose experiment has a `cmab` section. Only the async
 * decide methods ask it (sync decide skips CMAB rules, as Optimizely's does). It rejects when no
 * prediction can be had; the flag then gets an error decision. `createCmabService` is the default.
 */
export interface CmabService {
  getDecision(
    config: ProjectConfig,
    user: CmabUser,
    ruleId: string,
    options: CmabFetchOptions,
  ): Promise<CmabDecision>;
}
