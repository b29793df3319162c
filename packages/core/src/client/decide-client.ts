import type { UserAttributes } from '../audience/evaluation-user';
import type { FeatureFlag, ProjectConfig } from '../config/project-config';
import { CmabAnswers } from '../decision/cmab-answers';
import { DecisionService } from '../decision/decision-service';
import { DecisionTrace } from '../decision/decision-trace';
import { type FlagDecision, flagDecision } from '../decision/flag-decision';
import { ForcedVariations } from '../decision/forced-variations';
import type { GlobalHoldoutMemo } from '../decision/global-holdout-memo';
import { UserProfileTracker } from '../decision/user-profile-tracker';
import { decisionVariables } from '../decision/variable-values';
import { FlagKitError } from '../errors/flagkit-error';
import { InputError } from '../errors/input-error';
import { ReadyError } from '../errors/ready-error';
import type { ClientInfo, UserEventBuilder } from '../events/build-user-event';
import type { EventTags, UserEvent } from '../events/user-event';
import { noopLogger } from '../logging/create-logger';
import { NotificationCenter } from '../notifications/notification-center';
import type { CmabFetchOptions, CmabService } from '../ports/cmab-service';
import type { ErrorHandler } from '../ports/error-handler';
import type { EventProcessor } from '../ports/event-processor';
import type { Logger, LogLevel } from '../ports/logger';
import type { OdpDataValue, OdpManager, OdpSegmentOption, OdpSendResult } from '../ports/odp-manager';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { UserProfile, UserProfileService, UserProfileServiceAsync } from '../ports/user-profile-service';
import { setOwnProperty } from '../util/set-own-property';
import type { ClientOptions, OnReadyOptions } from './client-options';
import { DecideFlag, decideOptionBits, type OptimizelyDecideOption } from './decide-options';
import { copyValidAttributes, isValidUserId } from './input-validation';
import { errorDecision, type OptimizelyDecision, type OptimizelyDecisions } from './optimizely-decision';
import { NO_ATTRIBUTES, OptimizelyUserContext, type UserContextHost } from './user-context';

const SDK_NOT_READY = 'Optimizely SDK not configured properly yet.';
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const VUID_PREFIX = 'vuid_';

/**
 * The decide-only FlagKit client: lifecycle, user contexts, `decide*`, conversion events through
 * user contexts, notifications and ODP. Create it with `createDecideClient`. It leaves out
 * Optimizely's pre-decide API (`activate`, `getVariation`, `isFeatureEnabled`,
 * `getFeatureVariable*`, `track`, `setForcedVariation`) and `getOptimizelyConfig`, which
 * {@link Client} adds, so bundles that only decide stay small. Public methods never throw, except
 * `createUserContext` on invalid input (as Optimizely's does); failures are logged and give safe
 * results. Its protected members are internal: they exist for {@link Client} and may change.
 */
export class DecideClient implements UserContextHost {
  /** Listeners for ACTIVATE, DECISION, LOG_EVENT, OPTIMIZELY_CONFIG_UPDATE and TRACK. */
  readonly notificationCenter: NotificationCenter;

  protected readonly logger: Logger;
  readonly #errorHandler: ErrorHandler | undefined;
  protected readonly configManager: ProjectConfigManager;
  readonly #eventProcessor: EventProcessor | undefined;
  /** The processor's event builder; undefined without one (or with a processor that has none). */
  readonly #eventBuilder: UserEventBuilder | undefined;
  readonly #odpManager: OdpManager | undefined;
  readonly #userProfileService: UserProfileService | undefined;
  readonly #userProfileServiceAsync: UserProfileServiceAsync | undefined;
  readonly #cmabService: CmabService | undefined;
  #warnedNoCmabService = false;
  readonly #defaultDecideBits: number;
  readonly #clientInfo: ClientInfo;
  protected readonly decisionService: DecisionService;
  protected readonly forcedVariations = new ForcedVariations();
  /** Shared by decisions that collect no reasons: logs only. */
  protected readonly quietTrace: DecisionTrace;
  readonly #readyPromise: Promise<void>;
  /** Whether the config was there once the parts started, so `onReady` can only resolve. */
  readonly #readyAtStart: boolean;
  readonly #cleanups: (() => void)[] = [];
  #closeStarted: Promise<void> | null = null;
  #rejectOnClose: ((error: ReadyError) => void)[] = [];
  #warnedNoProcessor = false;

  /**
   * @internal Use `createDecideClient`. `fallbackEventBuilder` builds events for a processor that
   * carries no `userEventBuilder` (the full client passes core's).
   */
  constructor(
    options: ClientOptions & { projectConfigManager: ProjectConfigManager },
    fallbackEventBuilder?: UserEventBuilder,
  ) {
    this.logger = options.logger ?? noopLogger;
    this.#errorHandler = options.errorHandler;
    this.configManager = options.projectConfigManager;
    this.#eventProcessor = options.eventProcessor;
    this.#eventBuilder = eventBuilderOf(options.eventProcessor, fallbackEventBuilder, this.logger);
    this.#odpManager = options.odpManager;
    this.#userProfileService = validUserProfileService(options.userProfileService, this.logger);
    this.#userProfileServiceAsync = options.userProfileServiceAsync;
    this.#cmabService = options.cmabService;
    this.#defaultDecideBits = decideOptionBits(options.defaultDecideOptions ?? [], this.logger);
    this.#clientInfo = {
      clientName: options.clientName ?? 'javascript-sdk',
      clientVersion: options.clientVersion ?? __PACKAGE_VERSION__,
    };
    this.notificationCenter = new NotificationCenter(this.logger, this.#errorHandler);
    this.decisionService = new DecisionService(this.forcedVariations);
    this.quietTrace = new DecisionTrace(this.logger, null);

    this.#cleanups.push(
      this.configManager.onUpdate((config) => {
        this.#odpManager?.updateConfig(config.odp);
        this.notificationCenter.send('OPTIMIZELY_CONFIG_UPDATE', undefined);
      }),
    );
    const unsubscribeDispatch = this.#eventProcessor?.onDispatch?.((logEvent) =>
      this.notificationCenter.send('LOG_EVENT', logEvent),
    );
    if (unsubscribeDispatch) this.#cleanups.push(unsubscribeDispatch);

    this.#safely('start', () => this.configManager.start());
    this.#safely('start', () => this.#eventProcessor?.start());
    this.#safely('start', () => this.#odpManager?.start());

    // A datafile given up front is parsed by start() above: then onReady() needs no timer
    // (whose first use costs a cold process about half a millisecond).
    this.#readyAtStart = this.configManager.getConfig() !== null && !this.#odpManager;
    const parts: Promise<unknown>[] = [this.configManager.onReady()];
    if (this.#eventProcessor) parts.push(Promise.resolve());
    if (this.#odpManager?.onReady) parts.push(this.#odpManager.onReady());
    this.#readyPromise = Promise.all(parts).then(() => {
      const config = this.configManager.getConfig();
      if (config) this.#odpManager?.updateConfig(config.odp);
    });
    // onReady callers get their own rejection; this keeps an unobserved failure from surfacing.
    this.#readyPromise.catch(() => {});
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  /**
   * Resolves when the client has a config and its parts are running. Rejects with a
   * {@link ReadyError}: `timeout` after `options.timeout` ms (default 30 s), `closed` when
   * `close()` comes first, `config` when no config can be loaded (the cause says why).
   */
  onReady(options: OnReadyOptions = {}): Promise<void> {
    const timeout =
      Number.isFinite(options.timeout) && options.timeout! >= 0 ? options.timeout! : DEFAULT_READY_TIMEOUT_MS;
    if (this.#closeStarted) return Promise.reject(new ReadyError('closed', 'The client is closed.'));
    if (this.#readyAtStart) return this.#readyPromise;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: ReadyError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#rejectOnClose = this.#rejectOnClose.filter((r) => r !== onClose);
        if (error) reject(error);
        else resolve();
      };
      const onClose = (error: ReadyError) => settle(error);
      const timer = setTimeout(
        () => settle(new ReadyError('timeout', `onReady timeout expired after ${timeout} ms`)),
        timeout,
      );
      (timer as { unref?: () => void }).unref?.();
      this.#rejectOnClose.push(onClose);
      this.#readyPromise.then(
        () => settle(),
        (cause: unknown) =>
          settle(
            new ReadyError('config', `The client could not load a config: ${errorMessage(cause)}`, { cause }),
          ),
      );
    });
  }

  /** Sends every queued event (and ODP event) now, without closing. */
  async flush(): Promise<void> {
    await Promise.all(
      [this.#eventProcessor?.flush(), this.#odpManager?.flush()].map((p) => p?.catch((e) => this.report(e))),
    );
  }

  /**
   * Stops polling and timers, flushes and delivers queued events, then resolves. Idempotent.
   * Pending `onReady` calls reject with reason `closed`.
   */
  close(): Promise<void> {
    if (this.#closeStarted) return this.#closeStarted;
    const closed = new ReadyError('closed', 'The client was closed before it became ready.');
    for (const reject of this.#rejectOnClose) reject(closed);
    this.#rejectOnClose = [];
    this.#closeStarted = Promise.all(
      [this.configManager.stop(), this.#eventProcessor?.stop(), this.#odpManager?.stop()].map((p) =>
        p?.catch((e: unknown) => this.report(e)),
      ),
    ).then(() => {
      for (const cleanup of this.#cleanups) cleanup();
      this.notificationCenter.clearAllNotificationListeners();
    });
    return this.#closeStarted;
  }

  /** The current project config, or null before the first one arrives. */
  getProjectConfig(): ProjectConfig | null {
    return this.configManager.getConfig();
  }

  // ───────────────────────────── user contexts and decide ─────────────────────────────

  /**
   * Creates a user context. Without a user id, the VUID is used when the ODP manager has one.
   * Throws an {@link InputError} for an invalid id or attributes, as Optimizely does.
   */
  createUserContext(userId?: string, attributes?: UserAttributes): OptimizelyUserContext {
    const id = userId ?? this.#odpManager?.getVuid?.();
    if (!isValidUserId(id)) {
      this.log('error', 'Provided user id is in an invalid format.');
      throw new InputError('INVALID_USER_ID', 'Invalid identifier: the user id must be a string.');
    }
    // The copy goes straight into the new (young) context: no store of fresh arrays into a
    // long-lived object, which V8 has to record for the garbage collector.
    const user = new OptimizelyUserContext(this, id, NO_ATTRIBUTES);
    const problem = copyValidAttributes(attributes, user);
    if (problem !== null) {
      this.log('error', problem);
      throw new InputError('INVALID_ATTRIBUTES', `Invalid attributes: ${problem}`);
    }
    if (this.#odpManager) {
      const odp = this.#odpManager;
      this.#readyPromise.then(
        () => {
          if (this.isOdpIntegrated()) odp.identifyUser(id);
        },
        () => {},
      );
    }
    return user;
  }

  /** @internal */
  decide(
    user: OptimizelyUserContext,
    key: string,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): OptimizelyDecision {
    try {
      const config = this.configManager.getConfig();
      if (!config) return errorDecision(key, user, [SDK_NOT_READY]);
      const flag = typeof key === 'string' ? config.flagsByKey.get(key) : undefined;
      if (!flag) return this.#unknownFlag(key, user);
      // ENABLED_FLAGS_ONLY never applies to a single decide.
      const bits =
        (this.#defaultDecideBits | decideOptionBits(options, this.logger)) & ~DecideFlag.ENABLED_FLAGS_ONLY;
      const profile = this.profileFor(user, bits);
      const holdoutMemo =
        bits & DecideFlag.INCLUDE_REASONS || this.quietTrace.active ? null : user.globalHoldoutMemo(config);
      const decision = this.decideOne(config, flag, user, bits, profile, holdoutMemo);
      this.saveProfile(user.userId, profile);
      return decision;
    } catch (error) {
      this.report(error);
      return errorDecision(key, user, [`Decision failed: ${errorMessage(error)}`]);
    }
  }

  /** @internal */
  decideForKeys(
    user: OptimizelyUserContext,
    keys: readonly string[],
    options: readonly OptimizelyDecideOption[] | undefined,
  ): OptimizelyDecisions {
    const config = this.configManager.getConfig();
    if (!config || !Array.isArray(keys)) return {};
    return this.decideMany(config, user, keys, options, null);
  }

  /** @internal */
  decideAll(
    user: OptimizelyUserContext,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): OptimizelyDecisions {
    const config = this.configManager.getConfig();
    if (!config) return {};
    return this.decideMany(config, user, null, options, null);
  }

  /** @internal */
  async decideAsync(
    user: OptimizelyUserContext,
    key: string,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): Promise<OptimizelyDecision> {
    const config = this.configManager.getConfig();
    if (!config) return errorDecision(key, user, [SDK_NOT_READY]);
    const decisions = await this.#decideManyAsync(config, user, [key], options, true);
    return decisions[key] ?? noFlagDecision(key, user);
  }

  /** @internal */
  decideForKeysAsync(
    user: OptimizelyUserContext,
    keys: readonly string[],
    options: readonly OptimizelyDecideOption[] | undefined,
  ): Promise<OptimizelyDecisions> {
    const config = this.configManager.getConfig();
    if (!config || !Array.isArray(keys)) return Promise.resolve({});
    return this.#decideManyAsync(config, user, keys, options, false);
  }

  /** @internal */
  decideAllAsync(
    user: OptimizelyUserContext,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): Promise<OptimizelyDecisions> {
    const config = this.configManager.getConfig();
    if (!config) return Promise.resolve({});
    return this.#decideManyAsync(config, user, null, options, false);
  }

  async #decideManyAsync(
    config: ProjectConfig,
    user: OptimizelyUserContext,
    keys: readonly string[] | null,
    options: readonly OptimizelyDecideOption[] | undefined,
    single: boolean,
  ): Promise<OptimizelyDecisions> {
    let bits = this.#defaultDecideBits | decideOptionBits(options, this.logger);
    if (single) bits &= ~DecideFlag.ENABLED_FLAGS_ONLY;
    // The async profile service is consulted only here; a sync one takes precedence, as in the reference.
    let stored: UserProfile | null | undefined;
    const useAsync =
      !this.#userProfileService &&
      this.#userProfileServiceAsync &&
      !(bits & DecideFlag.IGNORE_USER_PROFILE_SERVICE);
    if (useAsync) {
      try {
        stored = await this.#userProfileServiceAsync!.lookup(user.userId);
      } catch (error) {
        this.log('error', profileFailure('looking up', user.userId, error));
      }
    }
    const profile = useAsync ? new UserProfileTracker(stored, user.bucketMapAttribute) : undefined;
    const cmabFlags = this.#cmabFlags(config, keys);
    if (cmabFlags.length === 0 || !this.#cmabService) {
      return this.#finishAsync(
        user,
        this.decideMany(config, user, keys, options, profile ?? null, bits),
        profile,
      );
    }
    // The sync profile is looked up once here, for the predictions' rounds and the decisions.
    const tracked = profile ?? this.profileFor(user, bits);
    const cmab = await this.#predictCmab(config, user, cmabFlags, bits, tracked, this.#cmabService);
    const decisions = this.decideMany(config, user, keys, options, tracked, bits, cmab);
    if (!profile) this.saveProfile(user.userId, tracked);
    return this.#finishAsync(user, decisions, profile);
  }

  /** Saves the async profile when the decisions changed it. */
  async #finishAsync(
    user: OptimizelyUserContext,
    decisions: OptimizelyDecisions,
    profile: UserProfileTracker | undefined,
  ): Promise<OptimizelyDecisions> {
    if (profile?.changed) {
      try {
        await this.#userProfileServiceAsync!.save(profile.toProfile(user.userId));
      } catch (error) {
        this.log('error', profileFailure('saving', user.userId, error));
      }
    }
    return decisions;
  }

  /** The flags among `keys` (all flags for null) with a CMAB experiment rule. */
  #cmabFlags(config: ProjectConfig, keys: readonly string[] | null): FeatureFlag[] {
    const found: FeatureFlag[] = [];
    if (!this.#cmabService && this.#warnedNoCmabService) return found;
    const flags = keys === null ? config.flags : keys.map((key) => config.flagsByKey.get(key));
    for (const flag of flags) {
      if (flag?.experimentRules.some((rule) => rule.cmab !== null)) found.push(flag);
    }
    if (found.length > 0 && !this.#cmabService && !this.#warnedNoCmabService) {
      this.#warnedNoCmabService = true;
      this.log('warn', 'No cmabService is configured: async decide skips CMAB rules, as sync decide does.');
    }
    return found;
  }

  /**
   * Fetches the CMAB predictions the decisions of `flags` need. The decision service is
   * synchronous, so the flags are decided quietly in rounds: each round notes the CMAB rules that
   * lack a prediction, which are then fetched together. A flag needs another round only when a
   * prediction sent it on to a later CMAB rule.
   */
  async #predictCmab(
    config: ProjectConfig,
    user: OptimizelyUserContext,
    flags: readonly FeatureFlag[],
    bits: number,
    profile: UserProfileTracker | null,
    service: CmabService,
  ): Promise<CmabAnswers> {
    const answers = new CmabAnswers();
    const silent = new DecisionTrace(noopLogger, null);
    const fetchOptions: CmabFetchOptions = {
      ignoreCache: (bits & DecideFlag.IGNORE_CMAB_CACHE) !== 0,
      resetCache: (bits & DecideFlag.RESET_CMAB_CACHE) !== 0,
      invalidateUserCache: (bits & DecideFlag.INVALIDATE_USER_CMAB_CACHE) !== 0,
    };
    const cmabUser = { userId: user.userId, attributes: user.getAttributes() };
    let pending = flags;
    while (pending.length > 0) {
      const next: FeatureFlag[] = [];
      // Rounds bucket on a copy: only the decisions proper may add to the profile.
      const scratch = profile === null ? null : profile.copy();
      for (const flag of pending) {
        this.decisionService.decideFlag(config, flag, user, scratch, silent, null, answers);
        if (answers.stop === 'pending') next.push(flag);
      }
      const ruleIds = [...answers.missing];
      if (ruleIds.length === 0) break;
      const results = await Promise.all(
        ruleIds.map((ruleId) =>
          service.getDecision(config, cmabUser, ruleId, fetchOptions).then(
            (decision) => decision,
            (error: unknown) => {
              this.log('error', `CMAB prediction for rule ${ruleId} failed: ${errorMessage(error)}`);
              return 'failed' as const;
            },
          ),
        ),
      );
      for (let i = 0; i < ruleIds.length; i++) answers.set(ruleIds[i]!, results[i]!);
      pending = next;
    }
    return answers;
  }

  private decideMany(
    config: ProjectConfig,
    user: OptimizelyUserContext,
    keys: readonly string[] | null,
    options: readonly OptimizelyDecideOption[] | undefined,
    asyncProfile: UserProfileTracker | null,
    presetBits?: number,
    cmab: CmabAnswers | null = null,
  ): OptimizelyDecisions {
    const result: OptimizelyDecisions = {};
    try {
      if (keys !== null && keys.length === 0) return result;
      const bits = presetBits ?? this.#defaultDecideBits | decideOptionBits(options, this.logger);
      const onlyEnabled = (bits & DecideFlag.ENABLED_FLAGS_ONLY) !== 0;
      const profile = asyncProfile ?? this.profileFor(user, bits);
      const flags = keys === null ? config.flags : this.#flagsFor(config, keys, user, result);
      // Global holdouts answer alike for every flag of one user: remember them across the
      // flags (and across calls, when the context keeps a memo) unless reasons are collected.
      const memoize =
        config.globalHoldouts.length > 0 && !(bits & DecideFlag.INCLUDE_REASONS) && !this.quietTrace.active;
      const holdoutMemo = memoize ? (user.globalHoldoutMemo(config) ?? (flags.length > 1 ? [] : null)) : null;
      for (let i = 0; i < flags.length; i++) {
        const flag = flags[i]!;
        const decision = this.decideOne(config, flag, user, bits, profile, holdoutMemo, cmab);
        // An error decision (a failed CMAB prediction) is kept even with ENABLED_FLAGS_ONLY.
        if (!onlyEnabled || decision.enabled || (cmab !== null && cmab.stop !== null))
          setOwnProperty(result, flag.key, decision);
      }
      if (profile !== asyncProfile) this.saveProfile(user.userId, profile);
    } catch (error) {
      this.report(error);
    }
    return result;
  }

  /** The known flags among `keys`; unknown keys get an error decision in `result`. */
  #flagsFor(
    config: ProjectConfig,
    keys: readonly string[],
    user: OptimizelyUserContext,
    result: OptimizelyDecisions,
  ): FeatureFlag[] {
    const flags: FeatureFlag[] = [];
    for (const key of keys) {
      const flag = typeof key === 'string' ? config.flagsByKey.get(key) : undefined;
      if (flag) flags.push(flag);
      else setOwnProperty(result, String(key), this.#unknownFlag(String(key), user));
    }
    return flags;
  }

  /** Logs the unknown flag key and gives its error decision. */
  #unknownFlag(key: string, user: OptimizelyUserContext): OptimizelyDecision {
    this.log('error', `Feature key ${String(key)} is not in datafile.`);
    return noFlagDecision(key, user);
  }

  /** Decides one flag and does what a decision entails: variables, impressions, notification. */
  private decideOne(
    config: ProjectConfig,
    flag: FeatureFlag,
    user: OptimizelyUserContext,
    bits: number,
    profile: UserProfileTracker | null,
    holdoutMemo: GlobalHoldoutMemo | null = null,
    cmab: CmabAnswers | null = null,
  ): OptimizelyDecision {
    const reasons = bits & DecideFlag.INCLUDE_REASONS ? [] : null;
    const trace = reasons ? new DecisionTrace(this.logger, reasons) : this.quietTrace;
    const decision = this.decisionService.decideFlag(config, flag, user, profile, trace, holdoutMemo, cmab);
    if (cmab !== null && cmab.stop !== null)
      return this.#cmabErrorDecision(config, flag, user, profile, cmab);
    const variation = decision.variation;
    const enabled = variation?.featureEnabled ?? false;
    const variables = bits & DecideFlag.EXCLUDE_VARIABLES ? {} : decisionVariables(flag, variation);

    let eventDispatched = false;
    if (!(bits & DecideFlag.DISABLE_DECISION_EVENT)) {
      // Only events read the attributes as an object: without a processor, do not build one.
      const attributes = this.#eventProcessor ? user.attributes : undefined;
      const source = decision.source;
      if (
        source === 'feature-test' ||
        source === 'holdout' ||
        (source === 'rollout' && config.sendFlagDecisions)
      ) {
        this.sendImpression(config, decision, flag.key, user.userId, enabled, attributes);
        eventDispatched = true;
      }
      const applied = decision.appliedHoldout;
      if (applied) {
        const holdoutDecision = flagDecision(applied.holdout, applied.variation, 'holdout');
        this.sendImpression(
          config,
          holdoutDecision,
          flag.key,
          user.userId,
          applied.variation.featureEnabled,
          attributes,
        );
        eventDispatched = true;
      }
    }

    const variationKey = variation?.key ?? null;
    const ruleKey = decision.experiment?.key ?? null;
    const reported = reasons ?? [];
    if (this.notificationCenter.hasListeners('DECISION')) {
      this.notificationCenter.send('DECISION', {
        type: 'flag', // DECISION_NOTIFICATION_TYPES.FLAG
        userId: user.userId,
        attributes: user.getAttributes(),
        decisionInfo: {
          flagKey: flag.key,
          enabled,
          variationKey,
          ruleKey,
          variables,
          reasons: reported,
          decisionEventDispatched: eventDispatched,
          experimentId: decision.experiment?.id ?? null,
          variationId: variation?.id ?? null,
        },
      });
    }
    return {
      variationKey,
      enabled,
      variables,
      ruleKey,
      flagKey: flag.key,
      userContext: user,
      reasons: reported,
    };
  }

  /**
   * The error decision of a flag whose CMAB prediction failed. As in the reference it carries
   * every reason up to the failure, asked for or not: the flag is decided again, quietly, to
   * collect them. No event is sent and no DECISION notification.
   */
  #cmabErrorDecision(
    config: ProjectConfig,
    flag: FeatureFlag,
    user: OptimizelyUserContext,
    profile: UserProfileTracker | null,
    cmab: CmabAnswers,
  ): OptimizelyDecision {
    const reasons: string[] = [];
    this.decisionService.decideFlag(
      config,
      flag,
      user,
      profile,
      new DecisionTrace(noopLogger, reasons),
      null,
      cmab,
    );
    return errorDecision(flag.key, user, reasons);
  }

  /** The sticky-bucketing profile for one decide call, or null when there is nothing to track. */
  protected profileFor(user: OptimizelyUserContext, bits: number): UserProfileTracker | null {
    if (bits & DecideFlag.IGNORE_USER_PROFILE_SERVICE) return null;
    const fromAttribute = user.bucketMapAttribute;
    // Without a service or the attribute the profile starts empty; bucketing again within the call
    // gives the same answers a tracker would, so skip it.
    if (!this.#userProfileService && fromAttribute === undefined) return null;
    let stored: UserProfile | null | undefined;
    if (this.#userProfileService) {
      try {
        stored = this.#userProfileService.lookup(user.userId);
      } catch (error) {
        this.log('error', profileFailure('looking up', user.userId, error));
      }
    }
    return new UserProfileTracker(stored, fromAttribute);
  }

  protected saveProfile(userId: string, profile: UserProfileTracker | null): void {
    if (!profile?.changed || !this.#userProfileService) return;
    try {
      this.#userProfileService.save(profile.toProfile(userId));
      this.log('info', `Saved user profile for user "${userId}".`);
    } catch (error) {
      this.log('error', profileFailure('saving', userId, error));
    }
  }

  // ───────────────────────────── events ─────────────────────────────

  protected sendImpression(
    config: ProjectConfig,
    decision: FlagDecision,
    flagKey: string,
    userId: string,
    enabled: boolean,
    attributes: UserAttributes | undefined,
  ): void {
    const processor = this.#eventProcessor;
    const builder = this.#eventBuilder;
    if (!processor || !builder) {
      if (!this.#warnedNoProcessor) {
        this.#warnedNoProcessor = true;
        this.log('warn', 'No event processor is provided; decision and conversion events are not sent.');
      }
      return;
    }
    const event = builder.impression(
      config,
      this.#clientInfo,
      decision,
      flagKey,
      userId,
      enabled,
      attributes,
      this.logger,
    );
    this.#process(processor, event);
    if (this.notificationCenter.hasListeners('ACTIVATE')) {
      const experiment = decision.experiment;
      this.notificationCenter.send('ACTIVATE', {
        experiment: experiment?.kind === 'experiment' ? experiment : null,
        holdout: experiment?.kind === 'holdout' ? experiment : null,
        userId,
        // A plain copy: the context's own (null-prototype, copy-on-write) map must not leak.
        attributes: attributes && { ...attributes },
        variation: decision.variation,
        logEvent: this.#logEventFor(processor, event),
      });
    }
  }

  #process(processor: EventProcessor, event: UserEvent): void {
    try {
      processor.process(event);
    } catch (error) {
      this.report(error);
    }
  }

  #logEventFor(processor: EventProcessor, event: UserEvent) {
    try {
      return processor.buildLogEvent?.([event]);
    } catch (error) {
      this.report(error);
      return undefined;
    }
  }

  /**
   * @internal Records a conversion; used by `OptimizelyUserContext.trackEvent` and `Client.track`.
   * Null and undefined tags are dropped; `revenue` and `value` tags become the event's revenue
   * (integer) and value (float). Needs an event processor.
   */
  trackEvent(
    eventKey: string,
    userId: string,
    attributes: UserAttributes | undefined,
    eventTags: EventTags | undefined,
  ): void {
    try {
      const processor = this.#eventProcessor;
      const builder = this.#eventBuilder;
      if (!processor || !builder) {
        this.log('error', 'No event processor is provided; the event is not tracked.');
        return;
      }
      const config = this.configManager.getConfig();
      if (!config) {
        this.log(
          'error',
          `Optimizely SDK not configured properly yet: track("${String(eventKey)}") was ignored.`,
        );
        return;
      }
      const event = builder.conversion(
        config,
        this.#clientInfo,
        eventKey,
        userId,
        attributes,
        eventTags,
        this.logger,
      );
      if (!event) return;
      this.log('info', `Tracking event ${eventKey} for user ${userId}.`);
      this.#process(processor, event);
      if (this.notificationCenter.hasListeners('TRACK')) {
        this.notificationCenter.send('TRACK', {
          eventKey,
          userId,
          attributes: attributes && { ...attributes },
          eventTags: event.tags,
          logEvent: this.#logEventFor(processor, event),
        });
      }
    } catch (error) {
      this.report(error);
    }
  }

  // ───────────────────────────── ODP ─────────────────────────────

  /** Whether the current datafile integrates ODP. */
  isOdpIntegrated(): boolean {
    return this.configManager.getConfig()?.odp.integrated ?? false;
  }

  /**
   * Sends an event to ODP. Returns how it went: `{ ok: true }` when accepted for delivery, or
   * `{ ok: false, reason }` (sdkNotReady, odpNotIntegrated, odpNotEnabled, invalidInput, …),
   * which is also logged at error level.
   */
  sendOdpEvent(
    action: string,
    type?: string,
    identifiers?: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
    data?: ReadonlyMap<string, OdpDataValue> | Readonly<Record<string, OdpDataValue>>,
  ): OdpSendResult {
    if (!this.#odpManager || this.#odpManager.isEnabled?.() === false)
      return this.#refuseOdpEvent('odpNotEnabled', 'ODP is not enabled: sendOdpEvent failed.');
    const config = this.configManager.getConfig();
    if (!config)
      return this.#refuseOdpEvent(
        'sdkNotReady',
        'Optimizely SDK not configured properly yet: sendOdpEvent failed.',
      );
    if (!config.odp.integrated)
      return this.#refuseOdpEvent('odpNotIntegrated', 'ODP is not integrated: sendOdpEvent failed.');
    try {
      return this.#odpManager.sendEvent({ action, type, identifiers, data });
    } catch (error) {
      this.report(error);
      return { ok: false, reason: 'invalidInput', message: errorMessage(error) };
    }
  }

  #refuseOdpEvent(
    reason: 'sdkNotReady' | 'odpNotIntegrated' | 'odpNotEnabled',
    message: string,
  ): OdpSendResult {
    this.log('error', message);
    return { ok: false, reason, message };
  }

  /** @internal Used by `OptimizelyUserContext.fetchQualifiedSegments`. */
  async fetchQualifiedSegments(
    userId: string,
    options: readonly OdpSegmentOption[] | undefined,
  ): Promise<string[] | null> {
    if (!this.#odpManager) {
      this.log('error', 'ODP Manager is missing. fetchQualifiedSegments failed.');
      return null;
    }
    try {
      const userKey =
        userId.startsWith(VUID_PREFIX) && userId.length > VUID_PREFIX.length ? 'vuid' : 'fs_user_id';
      return await this.#odpManager.fetchQualifiedSegments(userKey, userId, options);
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  /** The visitor id kept by the ODP manager, if any. */
  getVuid(): string | undefined {
    const vuid = this.#odpManager?.getVuid?.();
    if (vuid === undefined) this.log('error', 'Unable to get VUID: no VUID is available.');
    return vuid;
  }

  // ───────────────────────────── helpers ─────────────────────────────

  #safely(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.log('error', `Failed to ${what} a component: ${errorMessage(error)}`);
      this.report(error);
    }
  }

  protected log(level: LogLevel, message: string): void {
    if (this.logger.isEnabled(level)) this.logger.log(level, message);
  }

  protected report(error: unknown): void {
    this.log('error', errorMessage(error));
    try {
      this.#errorHandler?.handleError(error);
    } catch {
      // An error handler must not throw; nothing more can be done if it does.
    }
  }
}

/**
 * The processor's event builder, else the fallback. Without either (a custom processor that
 * carries none, given to the decide-only client) no event can be built, which is logged here.
 */
function eventBuilderOf(
  processor: EventProcessor | undefined,
  fallback: UserEventBuilder | undefined,
  logger: Logger,
): UserEventBuilder | undefined {
  const builder = processor && (processor.userEventBuilder ?? fallback);
  if (processor && !builder && logger.isEnabled('error'))
    logger.log(
      'error',
      'The event processor has no userEventBuilder, so no events are sent: set it to userEventBuilder from @flagkit/core, or use createInstance.',
    );
  return builder;
}

function validUserProfileService(
  service: UserProfileService | undefined,
  logger: Logger,
): UserProfileService | undefined {
  if (!service) return undefined;
  if (typeof service.lookup === 'function' && typeof service.save === 'function') return service;
  if (logger.isEnabled('error'))
    logger.log('error', 'The user profile service is invalid (it needs lookup and save); it is ignored.');
  return undefined;
}

/** The error decision for a key the datafile has no flag for. */
function noFlagDecision(key: string, user: OptimizelyUserContext): OptimizelyDecision {
  return errorDecision(key, user, [`No flag was found for key "${String(key)}".`]);
}

/** The message logged when the user profile service fails. */
function profileFailure(action: 'looking up' | 'saving', userId: string, error: unknown): string {
  return `Error while ${action} user profile for user ID "${userId}": ${errorMessage(error)}.`;
}

function errorMessage(error: unknown): string {
  if (FlagKitError.isInstance(error) || error instanceof Error) return error.message;
  return String(error);
}
