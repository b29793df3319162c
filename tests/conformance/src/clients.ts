/**
 * The two SDKs under comparison, behind one structural interface: the official
 * `@optimizely/optimizely-sdk` (the reference) and FlagKit (the candidate).
 *
 * Set `FLAGKIT_CONFORMANCE_CANDIDATE=official` to make a second official client play the
 * candidate: the harness then compares the official SDK with itself, which must always pass.
 * That is how the harness and the generator are validated independently of FlagKit.
 */

import type { GeneratedDatafile } from '@flagkit/datafile-generator';
import {
  createInstance as createOfficialInstance,
  createStaticProjectConfigManager,
  OptimizelyDecideOption,
  type OptimizelyUserContext,
  type UserAttributes,
} from '@optimizely/optimizely-sdk';

/** The decide options both SDKs accept, as their string values. */
export type DecideOptionName =
  | 'DISABLE_DECISION_EVENT'
  | 'ENABLED_FLAGS_ONLY'
  | 'IGNORE_USER_PROFILE_SERVICE'
  | 'INCLUDE_REASONS'
  | 'EXCLUDE_VARIABLES';

/** Every option in {@link DecideOptionName}. */
export const DECIDE_OPTION_NAMES: readonly DecideOptionName[] = [
  'DISABLE_DECISION_EVENT',
  'ENABLED_FLAGS_ONLY',
  'IGNORE_USER_PROFILE_SERVICE',
  'INCLUDE_REASONS',
  'EXCLUDE_VARIABLES',
];

/** The fields of a decision both SDKs must agree on (plus the rest, ignored). */
export interface DecisionLike {
  readonly flagKey: string;
  readonly enabled: boolean;
  readonly variationKey: string | null;
  readonly ruleKey: string | null;
  readonly variables: { readonly [key: string]: unknown };
}

/** A user context, as both SDKs expose it. */
export interface UserContextLike {
  qualifiedSegments: string[] | null;
  decide(key: string, options?: DecideOptionName[]): DecisionLike;
  decideForKeys(keys: string[], options?: DecideOptionName[]): { [key: string]: DecisionLike };
  decideAll(options?: DecideOptionName[]): { [key: string]: DecisionLike };
  setForcedDecision(
    context: { flagKey: string; ruleKey?: string },
    decision: { variationKey: string },
  ): boolean;
}

/** Attributes as the harness passes them (both SDKs copy them). */
export type Attributes = Record<string, unknown>;

/** A client, as both SDKs expose it: lifecycle, user contexts and the legacy getters. */
export interface ClientLike {
  onReady(): Promise<unknown>;
  close(): unknown;
  createUserContext(userId: string, attributes?: Attributes): UserContextLike;
  getVariation(experimentKey: string, userId: string, attributes?: Attributes): string | null;
  setForcedVariation(experimentKey: string, userId: string, variationKey: string | null): boolean;
  getForcedVariation(experimentKey: string, userId: string): string | null;
  isFeatureEnabled(featureKey: string, userId: string, attributes?: Attributes): boolean;
  getEnabledFeatures(userId: string, attributes?: Attributes): string[];
  getFeatureVariable(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: Attributes,
  ): unknown;
  getFeatureVariableBoolean(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: Attributes,
  ): boolean | null;
  getFeatureVariableDouble(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: Attributes,
  ): number | null;
  getFeatureVariableInteger(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: Attributes,
  ): number | null;
  getFeatureVariableString(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: Attributes,
  ): string | null;
  getFeatureVariableJSON(
    featureKey: string,
    variableKey: string,
    userId: string,
    attributes?: Attributes,
  ): unknown;
  getAllFeatureVariables(featureKey: string, userId: string, attributes?: Attributes): unknown;
}

/** Which SDK plays the candidate (see the module comment). */
export const CANDIDATE: 'flagkit' | 'official' =
  process.env.FLAGKIT_CONFORMANCE_CANDIDATE === 'official' ? 'official' : 'flagkit';

function toOfficialOptions(options?: DecideOptionName[]): OptimizelyDecideOption[] | undefined {
  return options?.map((name) => OptimizelyDecideOption[name]);
}

function toOfficialAttributes(attributes?: Attributes): UserAttributes | undefined {
  // UserAttributes is a narrower index type; the values are passed through unchanged.
  return attributes as UserAttributes | undefined;
}

/** Adapts an official user context (enum-typed options) to {@link UserContextLike}. */
class OfficialUserContext implements UserContextLike {
  constructor(private readonly inner: OptimizelyUserContext) {}

  get qualifiedSegments(): string[] | null {
    return this.inner.qualifiedSegments;
  }

  set qualifiedSegments(segments: string[] | null) {
    this.inner.qualifiedSegments = segments;
  }

  decide(key: string, options?: DecideOptionName[]): DecisionLike {
    return this.inner.decide(key, toOfficialOptions(options));
  }

  decideForKeys(keys: string[], options?: DecideOptionName[]): { [key: string]: DecisionLike } {
    return this.inner.decideForKeys(keys, toOfficialOptions(options));
  }

  decideAll(options?: DecideOptionName[]): { [key: string]: DecisionLike } {
    return this.inner.decideAll(toOfficialOptions(options));
  }

  setForcedDecision(
    context: { flagKey: string; ruleKey?: string },
    decision: { variationKey: string },
  ): boolean {
    return this.inner.setForcedDecision(context, decision);
  }
}

/** Creates an official client from a static datafile (no events, no ODP, no polling) and waits for it. */
export async function openOfficial(datafile: GeneratedDatafile): Promise<ClientLike> {
  const client = createOfficialInstance({
    projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }),
  });
  if (!client) throw new Error('official createInstance returned null');
  await client.onReady();
  return {
    onReady: () => client.onReady(),
    close: () => client.close(),
    createUserContext: (userId, attributes) =>
      new OfficialUserContext(client.createUserContext(userId, toOfficialAttributes(attributes))),
    getVariation: (e, u, a) => client.getVariation(e, u, toOfficialAttributes(a)),
    setForcedVariation: (e, u, v) => client.setForcedVariation(e, u, v),
    getForcedVariation: (e, u) => client.getForcedVariation(e, u),
    isFeatureEnabled: (f, u, a) => client.isFeatureEnabled(f, u, toOfficialAttributes(a)),
    getEnabledFeatures: (u, a) => client.getEnabledFeatures(u, toOfficialAttributes(a)),
    getFeatureVariable: (f, v, u, a) => client.getFeatureVariable(f, v, u, toOfficialAttributes(a)),
    getFeatureVariableBoolean: (f, v, u, a) =>
      client.getFeatureVariableBoolean(f, v, u, toOfficialAttributes(a)),
    getFeatureVariableDouble: (f, v, u, a) =>
      client.getFeatureVariableDouble(f, v, u, toOfficialAttributes(a)),
    getFeatureVariableInteger: (f, v, u, a) =>
      client.getFeatureVariableInteger(f, v, u, toOfficialAttributes(a)),
    getFeatureVariableString: (f, v, u, a) =>
      client.getFeatureVariableString(f, v, u, toOfficialAttributes(a)),
    getFeatureVariableJSON: (f, v, u, a) => client.getFeatureVariableJSON(f, v, u, toOfficialAttributes(a)),
    getAllFeatureVariables: (f, u, a) => client.getAllFeatureVariables(f, u, toOfficialAttributes(a)),
  };
}

/** Creates FlagKit's client from the datafile object (a private copy) and waits for it. */
async function openFlagKit(datafile: GeneratedDatafile): Promise<ClientLike> {
  const { createInstance } = await import('@flagkit/core');
  const client: ClientLike | null = createInstance({ datafile: structuredClone(datafile) });
  if (!client) throw new Error('FlagKit createInstance returned null');
  await client.onReady();
  return client;
}

/** Creates the candidate client: FlagKit, or a second official client in self-check mode. */
export function openCandidate(datafile: GeneratedDatafile): Promise<ClientLike> {
  return CANDIDATE === 'official' ? openOfficial(datafile) : openFlagKit(datafile);
}

/** Both clients for one datafile. */
export interface ClientPair {
  readonly official: ClientLike;
  readonly candidate: ClientLike;
  close(): Promise<void>;
}

/** Opens the official client and the candidate for `datafile`. */
export async function openPair(datafile: GeneratedDatafile): Promise<ClientPair> {
  const official = await openOfficial(datafile);
  const candidate = await openCandidate(datafile);
  return {
    official,
    candidate,
    close: async () => {
      await Promise.all([official.close(), candidate.close()]);
    },
  };
}

/** A private copy of a user's attributes (keeps `__proto__` as an own key, NaN, -0, ...). */
export function copyAttributes(attributes: Attributes): Attributes {
  return structuredClone(attributes);
}
