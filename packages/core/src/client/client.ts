import type { UserAttributes } from '../audience/evaluation-user';
import { createOptimizelyConfig, type OptimizelyConfig } from '../config/optimizely-config';
import type { FeatureFlag, ProjectConfig } from '../config/project-config';
import { type FlagDecision, flagDecision } from '../decision/flag-decision';
import {
  castVariableValue,
  decisionVariables,
  rawVariableValue,
  type VariableValue,
} from '../decision/variable-values';
import { userEventBuilder } from '../events/build-user-event';
import type { EventTags } from '../events/user-event';
import { DECISION_NOTIFICATION_TYPES } from '../notifications/notification-types';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { ClientOptions } from './client-options';
import { DecideClient } from './decide-client';
import { isNonEmptyString, validInputs } from './input-validation';
import { copyAttributes, OptimizelyUserContext } from './user-context';

type VariableType = 'boolean' | 'double' | 'integer' | 'string' | 'json';

/**
 * The full FlagKit client, a drop-in for Optimizely's: everything {@link DecideClient} does, plus
 * Optimizely's pre-decide API (`activate`, `getVariation`, `track`, forced variations,
 * `isFeatureEnabled`, `getEnabledFeatures`, `getFeatureVariable*`, `getAllFeatureVariables`) and
 * `getOptimizelyConfig`. Create it with `createInstance`. Choose it when porting code that uses
 * those methods; new code that only decides can use the smaller `createDecideClient`.
 */
export class Client extends DecideClient {
  private optimizelyConfigCache: { config: ProjectConfig; value: OptimizelyConfig } | null = null;

  /** @internal Use `createInstance`. */
  constructor(options: ClientOptions & { projectConfigManager: ProjectConfigManager }) {
    // The drop-in builds events for any processor, also a custom one that carries no builder.
    super(options, userEventBuilder);
  }

  /** Logs the first invalid input of a legacy call and returns false, or returns true. */
  protected validInputs(keys: Record<string, unknown>, userId: unknown, attributes: unknown): boolean {
    return validInputs(keys, userId, attributes, this.logger);
  }

  /** The public view of the current datafile, or null before one is available. */
  getOptimizelyConfig(): OptimizelyConfig | null {
    const config = this.configManager.getConfig();
    if (!config) return null;
    // A new config is a new object, so the identity check also invalidates on updates.
    if (this.optimizelyConfigCache?.config !== config) {
      try {
        this.optimizelyConfigCache = {
          config,
          value: createOptimizelyConfig(config, { logger: this.logger }),
        };
      } catch (error) {
        this.report(error);
        return null;
      }
    }
    return this.optimizelyConfigCache.value;
  }

  /**
   * Records a conversion. Null and undefined tags are dropped; `revenue` and `value` tags become
   * the event's revenue (integer) and value (float). Needs an event processor.
   */
  track(eventKey: string, userId: string, attributes?: UserAttributes, eventTags?: EventTags): void {
    this.trackEvent(eventKey, userId, attributes, eventTags);
  }

  /** Buckets a user into an experiment and sends an impression. Returns the variation key or null. */
  activate(experimentKey: string, userId: string, attributes?: UserAttributes): string | null {
    try {
      const config = this.configManager.getConfig();
      if (!config) return this.notReady('activate', null);
      if (!this.validInputs({ experiment_key: experimentKey }, userId, attributes)) return null;
      const variationKey = this.getVariation(experimentKey, userId, attributes);
      const experiment = config.experimentsByKey.get(experimentKey);
      if (variationKey === null || !experiment) {
        this.log('info', `Not activating user ${userId} for experiment ${experimentKey}.`);
        return null;
      }
      if (!experiment.isRunning) return variationKey;
      const decision = flagDecision(
        experiment,
        experiment.variationsByKey.get(variationKey) ?? null,
        'experiment',
      );
      this.sendImpression(config, decision, '', userId, true, attributes);
      return variationKey;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  /** The variation a user gets in an experiment (not a rollout rule), without an impression. */
  getVariation(experimentKey: string, userId: string, attributes?: UserAttributes): string | null {
    try {
      const config = this.configManager.getConfig();
      if (!config) return this.notReady('getVariation', null);
      if (!this.validInputs({ experiment_key: experimentKey }, userId, attributes)) return null;
      const experiment = config.experimentsByKey.get(experimentKey);
      if (!experiment || experiment.isRollout) {
        this.log(
          'debug',
          `Experiment key ${experimentKey} is not in datafile. It is either invalid, paused, or archived.`,
        );
        return null;
      }
      const user = this.internalUser(userId, attributes);
      const profile = this.profileFor(user, 0);
      const variationKey = this.decisionService.resolveExperiment(
        config,
        experiment,
        user,
        profile,
        this.quietTrace,
      );
      this.saveProfile(userId, profile);
      if (this.notificationCenter.hasListeners('DECISION')) {
        this.notificationCenter.send('DECISION', {
          type: experiment.isFeatureExperiment
            ? DECISION_NOTIFICATION_TYPES.FEATURE_TEST
            : DECISION_NOTIFICATION_TYPES.AB_TEST,
          userId,
          attributes: attributes ?? {},
          decisionInfo: { experimentKey, variationKey },
        });
      }
      return variationKey;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  /** Forces (or, with null, un-forces) a variation for a user in an experiment. */
  setForcedVariation(experimentKey: string, userId: string, variationKey: string | null): boolean {
    try {
      const config = this.configManager.getConfig();
      if (!config || !this.validInputs({ experiment_key: experimentKey }, userId, undefined)) return false;
      if (variationKey !== null && variationKey !== undefined && !isNonEmptyString(variationKey)) {
        this.log('error', 'Provided variation key is in an invalid format.');
        return false;
      }
      const experiment = config.experimentsByKey.get(experimentKey);
      if (!experiment) {
        this.log('error', `Experiment key ${experimentKey} is not in datafile.`);
        return false;
      }
      if (variationKey === null || variationKey === undefined) {
        // The reference refuses to clear forced variations of an empty user id.
        if (userId === '' || !this.forcedVariations.remove(userId, experiment.id)) {
          this.log(
            'error',
            `User ${userId} is not in the forced variation map. Cannot remove experiment ${experimentKey}.`,
          );
          return false;
        }
        return true;
      }
      const variation = experiment.variationsByKey.get(variationKey);
      if (!variation) {
        this.log(
          'error',
          `No variation key ${variationKey} defined in datafile for experiment ${experimentKey}.`,
        );
        return false;
      }
      this.forcedVariations.set(userId, experiment.id, variation.id);
      return true;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  /** The variation forced by `setForcedVariation`, or null. */
  getForcedVariation(experimentKey: string, userId: string): string | null {
    try {
      const config = this.configManager.getConfig();
      if (!config || !this.validInputs({ experiment_key: experimentKey }, userId, undefined)) return null;
      const experiment = config.experimentsByKey.get(experimentKey);
      if (!experiment) return null;
      const variationId = this.forcedVariations.get(userId, experiment.id);
      if (!variationId) return null;
      return config.variationsById.get(variationId)?.key ?? null;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  /** Whether a flag is on for a user; sends an impression for experiments and holdouts. */
  isFeatureEnabled(featureKey: string, userId: string, attributes?: UserAttributes): boolean {
    try {
      const config = this.configManager.getConfig();
      if (!config) return this.notReady('isFeatureEnabled', false);
      if (!this.validInputs({ feature_key: featureKey }, userId, attributes)) return false;
      const flag = this.flagOrLog(config, featureKey);
      if (!flag) return false;
      const { decision } = this.legacyFlagDecision(config, flag, userId, attributes);
      const enabled = decision.variation?.featureEnabled ?? false;
      const source = decision.source;
      if (
        source === 'feature-test' ||
        source === 'holdout' ||
        (source === 'rollout' && config.sendFlagDecisions)
      ) {
        this.sendImpression(config, decision, flag.key, userId, enabled, attributes);
      }
      this.log('info', `Feature ${featureKey} is ${enabled ? '' : 'not '}enabled for user ${userId}.`);
      if (this.notificationCenter.hasListeners('DECISION')) {
        const sourceInfo =
          source === 'feature-test' || source === 'holdout'
            ? { experimentKey: decision.experiment?.key ?? '', variationKey: decision.variation?.key ?? '' }
            : {};
        this.notificationCenter.send('DECISION', {
          type: DECISION_NOTIFICATION_TYPES.FEATURE,
          userId,
          attributes: attributes ?? {},
          decisionInfo: { featureKey, featureEnabled: enabled, source, sourceInfo },
        });
      }
      return enabled;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  /** The keys of every flag enabled for the user (each evaluated as by `isFeatureEnabled`). */
  getEnabledFeatures(userId: string, attributes?: UserAttributes): string[] {
    try {
      const config = this.configManager.getConfig();
      if (!config) return this.notReady('getEnabledFeatures', []);
      if (!this.validInputs({}, userId, undefined)) return [];
      return config.flags
        .filter((flag) => this.isFeatureEnabled(flag.key, userId, attributes))
        .map((flag) => flag.key);
    } catch (error) {
      this.report(error);
      return [];
    }
  }

  /** A variable's value for the user, whatever its type. */
  getFeatureVariable(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: UserAttributes,
  ): VariableValue {
    return this.featureVariable(featureKey, variableKey, null, userId, attributes);
  }

  getFeatureVariableBoolean(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: UserAttributes,
  ): boolean | null {
    return this.featureVariable(featureKey, variableKey, 'boolean', userId, attributes) as boolean | null;
  }

  getFeatureVariableDouble(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: UserAttributes,
  ): number | null {
    return this.featureVariable(featureKey, variableKey, 'double', userId, attributes) as number | null;
  }

  getFeatureVariableInteger(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: UserAttributes,
  ): number | null {
    return this.featureVariable(featureKey, variableKey, 'integer', userId, attributes) as number | null;
  }

  getFeatureVariableString(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: UserAttributes,
  ): string | null {
    return this.featureVariable(featureKey, variableKey, 'string', userId, attributes) as string | null;
  }

  getFeatureVariableJSON(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: UserAttributes,
  ): VariableValue {
    return this.featureVariable(featureKey, variableKey, 'json', userId, attributes);
  }

  /** Every variable of a flag for the user, or null when the flag is unknown. */
  getAllFeatureVariables(
    featureKey: string,
    userId: string,
    attributes?: UserAttributes,
  ): Record<string, VariableValue> | null {
    try {
      const config = this.configManager.getConfig();
      if (!config) return this.notReady('getAllFeatureVariables', null);
      if (!this.validInputs({ feature_key: featureKey }, userId, attributes)) return null;
      const flag = this.flagOrLog(config, featureKey);
      if (!flag) return null;
      const { decision } = this.legacyFlagDecision(config, flag, userId, attributes);
      const enabled = decision.variation?.featureEnabled ?? false;
      const values = decisionVariables(flag, decision.variation);
      if (this.notificationCenter.hasListeners('DECISION')) {
        this.notificationCenter.send('DECISION', {
          type: DECISION_NOTIFICATION_TYPES.ALL_FEATURE_VARIABLES,
          userId,
          attributes: attributes ?? {},
          decisionInfo: {
            featureKey,
            featureEnabled: enabled,
            source: decision.source,
            variableValues: values,
            sourceInfo: featureTestSourceInfo(decision),
          },
        });
      }
      return values;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  private featureVariable(
    featureKey: string,
    variableKey: string,
    type: VariableType | null,
    userId: string,
    attributes: UserAttributes | undefined,
  ): VariableValue {
    try {
      const config = this.configManager.getConfig();
      if (!config) return this.notReady('getFeatureVariable', null);
      if (!this.validInputs({ feature_key: featureKey, variable_key: variableKey }, userId, attributes))
        return null;
      const flag = this.flagOrLog(config, featureKey);
      if (!flag) return null;
      const variable = flag.variablesByKey.get(variableKey);
      if (!variable) {
        this.log(
          'error',
          `Variable with key "${variableKey}" associated with feature with key "${featureKey}" is not in datafile.`,
        );
        return null;
      }
      if (type !== null && variable.type !== type) {
        this.log(
          'warn',
          `Requested variable type "${type}", but variable is of type "${variable.type}". Use correct API to retrieve value. Returning None.`,
        );
        return null;
      }
      const { decision } = this.legacyFlagDecision(config, flag, userId, attributes);
      const enabled = decision.variation?.featureEnabled ?? false;
      const value = castVariableValue(rawVariableValue(variable, decision.variation), variable.type);
      if (this.notificationCenter.hasListeners('DECISION')) {
        this.notificationCenter.send('DECISION', {
          type: DECISION_NOTIFICATION_TYPES.FEATURE_VARIABLE,
          userId,
          attributes: attributes ?? {},
          decisionInfo: {
            featureKey,
            featureEnabled: enabled,
            source: decision.source,
            variableKey,
            variableValue: value,
            variableType: variable.type,
            sourceInfo: featureTestSourceInfo(decision),
          },
        });
      }
      return value;
    } catch (error) {
      this.report(error);
      return null;
    }
  }

  /** A flag decision for the legacy APIs: no forced decisions, sticky bucketing on. */
  private legacyFlagDecision(
    config: ProjectConfig,
    flag: FeatureFlag,
    userId: string,
    attributes: UserAttributes | undefined,
  ): { decision: FlagDecision } {
    const user = this.internalUser(userId, attributes);
    const profile = this.profileFor(user, 0);
    const decision = this.decisionService.decideFlag(config, flag, user, profile, this.quietTrace);
    this.saveProfile(userId, profile);
    return { decision };
  }

  private notReady<T>(method: string, fallback: T): T {
    this.log('error', `Optimizely SDK not configured properly yet: ${method} returned a default.`);
    return fallback;
  }

  private internalUser(userId: string, attributes: UserAttributes | undefined): OptimizelyUserContext {
    return new OptimizelyUserContext(this, userId, copyAttributes(attributes));
  }

  private flagOrLog(config: ProjectConfig, featureKey: string): FeatureFlag | undefined {
    const flag = config.flagsByKey.get(featureKey);
    if (!flag) this.log('error', `Feature key ${featureKey} is not in datafile.`);
    return flag;
  }
}

function featureTestSourceInfo(decision: FlagDecision): Record<string, string> {
  return decision.source === 'feature-test' && decision.experiment && decision.variation
    ? { experimentKey: decision.experiment.key, variationKey: decision.variation.key }
    : {};
}
