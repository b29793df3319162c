import { NO_ATTRIBUTE, type UserAttributes } from '../audience/evaluation-user';
import type { Holdout, ProjectConfig } from '../config/project-config';
import type { DecisionUser } from '../decision/decision-user';
import type { GlobalHoldoutMemo } from '../decision/global-holdout-memo';
import type { EventTags } from '../events/user-event';
import type { OdpSegmentOption } from '../ports/odp-manager';
import { setOwnProperty } from '../util/set-own-property';
import type { OptimizelyDecideOption } from './decide-options';
import {
  type AttributeList,
  BUCKET_MAP_ATTRIBUTE,
  BUCKETING_ID_ATTRIBUTE,
  copyAttributeList,
} from './input-validation';
import type { OptimizelyDecision, OptimizelyDecisions } from './optimizely-decision';

/** Identifies a forced decision: a whole flag, or one rule of it. */
export interface OptimizelyDecisionContext {
  readonly flagKey: string;
  readonly ruleKey?: string | null;
}

/** The variation a forced decision selects. */
export interface OptimizelyForcedDecision {
  readonly variationKey: string;
}

/** @internal What a user context needs from its client. */
export interface UserContextHost {
  decide(
    user: OptimizelyUserContext,
    key: string,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): OptimizelyDecision;
  decideForKeys(
    user: OptimizelyUserContext,
    keys: readonly string[],
    options: readonly OptimizelyDecideOption[] | undefined,
  ): OptimizelyDecisions;
  decideAll(
    user: OptimizelyUserContext,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): OptimizelyDecisions;
  decideAsync(
    user: OptimizelyUserContext,
    key: string,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): Promise<OptimizelyDecision>;
  decideForKeysAsync(
    user: OptimizelyUserContext,
    keys: readonly string[],
    options: readonly OptimizelyDecideOption[] | undefined,
  ): Promise<OptimizelyDecisions>;
  decideAllAsync(
    user: OptimizelyUserContext,
    options: readonly OptimizelyDecideOption[] | undefined,
  ): Promise<OptimizelyDecisions>;
  trackEvent(eventKey: string, userId: string, attributes: UserAttributes, tags: EventTags | undefined): void;
  fetchQualifiedSegments(
    userId: string,
    options: readonly OdpSegmentOption[] | undefined,
  ): Promise<string[] | null>;
}

/**
 * Global holdout outcomes of one user state, shared by a context and the snapshots its decisions
 * take. They are kept for one list of the config's holdouts (a new config brings a new list), and
 * emptied when another list is seen.
 */
interface HoldoutMemo {
  holdouts: readonly Holdout[] | null;
  readonly results: GlobalHoldoutMemo;
}

// Up to this many attributes a read scans the key list (cheapest for the usual dozen); beyond it,
// reads go through the attributes object, built once, so a large profile does not cost O(n) each.
const SCANNED_ATTRIBUTES_LIMIT = 32;
const NULL_RULE_KEY = '$opt_null_rule_key';

/**
 * @internal An empty attribute list for a context whose attributes are copied in right after it
 * is made (`copyValidAttributes` always gives it fresh arrays). Its own arrays are never written.
 */
export const NO_ATTRIBUTES: Readonly<AttributeList> = Object.freeze({
  attributeKeys: Object.freeze([]) as unknown as string[],
  attributeValues: Object.freeze([]) as unknown as unknown[],
  bucketingIdAttribute: undefined,
  bucketMapAttribute: undefined,
});

/** Copies attributes (unvalidated) into a new attribute list. */
export function copyAttributes(attributes: UserAttributes | null | undefined): AttributeList {
  const list: AttributeList = {
    attributeKeys: [],
    attributeValues: [],
    bucketingIdAttribute: undefined,
    bucketMapAttribute: undefined,
  };
  if (attributes) copyAttributeList(attributes, list);
  return list;
}

/**
 * A user, their attributes, forced decisions and ODP segments, bound to a client. Decisions work
 * on a snapshot, so changing the context later does not change a decision already made.
 *
 * Snapshots share state with their origin until either side changes it (copy on write), which
 * makes the snapshot taken by every decide call nearly free.
 */
export class OptimizelyUserContext implements DecisionUser, AttributeList {
  /** @internal The attribute keys, in order; see {@link AttributeList}. */
  attributeKeys: string[];
  /** @internal The attribute values, parallel to `attributeKeys`. */
  attributeValues: unknown[];
  /**
   * @internal The `$opt_bucketing_id` and `$opt_experiment_bucket_map` attribute values (undefined
   * when absent), read once when the attributes are copied: most users have neither.
   */
  bucketingIdAttribute: unknown;
  /** @internal See {@link OptimizelyUserContext.bucketingIdAttribute}. */
  bucketMapAttribute: unknown;
  // The attributes as an object, built when first asked for (events need one, decisions do not).
  #attributeObject: Record<string, unknown> | null = null;
  #forced: Map<string, Map<string, string>> | null = null;
  #segments: string[] | null = null;
  // True while the attribute arrays / `forced` may be shared with a snapshot and must be copied
  // before writing.
  #sharedAttributes = false;
  #sharedForced = false;
  // Global holdouts answer the same for every flag while the attributes and segments stay as
  // they are, so a context that decides more than once remembers them (from its second decision
  // on: a context decided once, the usual per-request case, pays nothing).
  #decidedBefore = false;
  #holdoutMemo: HoldoutMemo | null = null;

  /**
   * @internal Use `client.createUserContext`. The context takes over `attributes`' arrays (the
   * caller must not change them afterwards).
   */
  constructor(
    private readonly host: UserContextHost,
    readonly userId: string,
    attributes: AttributeList,
  ) {
    this.attributeKeys = attributes.attributeKeys;
    this.attributeValues = attributes.attributeValues;
    this.bucketingIdAttribute = attributes.bucketingIdAttribute;
    this.bucketMapAttribute = attributes.bucketMapAttribute;
  }

  getUserId(): string {
    return this.userId;
  }

  /** A copy of the attributes. */
  getAttributes(): Record<string, unknown> {
    return attributeObjectOf(this.attributeKeys, this.attributeValues);
  }

  /**
   * @internal The attributes as an object, for events: built once per attribute state and shared
   * with snapshots. Read only; use {@link OptimizelyUserContext.getAttributes} for a copy.
   */
  get attributes(): UserAttributes {
    this.#attributeObject ??= attributeObjectOf(this.attributeKeys, this.attributeValues);
    return this.#attributeObject;
  }

  /** @internal The value of own attribute `key`, or `NO_ATTRIBUTE`; see {@link DecisionUser}. */
  attribute(key: string): unknown {
    const keys = this.attributeKeys;
    if (keys.length > SCANNED_ATTRIBUTES_LIMIT) {
      const object = this.attributes;
      return Object.hasOwn(object, key) ? object[key] : NO_ATTRIBUTE;
    }
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === key) return this.attributeValues[i];
    }
    return NO_ATTRIBUTE;
  }

  /** Sets one attribute; `undefined` is not a valid value. */
  setAttribute(name: string, value: unknown): void {
    const key = typeof name === 'string' ? name : String(name);
    if (this.#sharedAttributes) {
      this.attributeKeys = this.attributeKeys.slice();
      this.attributeValues = this.attributeValues.slice();
      this.#sharedAttributes = false;
    }
    const at = this.attributeKeys.indexOf(key);
    if (at === -1) {
      this.attributeKeys.push(key);
      this.attributeValues.push(value);
    } else {
      this.attributeValues[at] = value;
    }
    if (key === BUCKETING_ID_ATTRIBUTE) this.bucketingIdAttribute = value;
    else if (key === BUCKET_MAP_ATTRIBUTE) this.bucketMapAttribute = value;
    this.#attributeObject = null;
    this.#holdoutMemo = null;
  }

  /** The ODP segments the user qualifies for; null until set or fetched. */
  get qualifiedSegments(): string[] | null {
    return this.#segments;
  }

  set qualifiedSegments(segments: string[] | null) {
    this.#segments = Array.isArray(segments) ? segments : null;
    this.#holdoutMemo = null;
  }

  isQualifiedFor(segment: string): boolean {
    return this.#segments !== null && this.#segments.indexOf(segment) !== -1;
  }

  /** Fetches the user's qualified segments through the ODP manager. Resolves true on success. */
  async fetchQualifiedSegments(options?: readonly OdpSegmentOption[]): Promise<boolean> {
    const segments = await this.host.fetchQualifiedSegments(this.userId, options);
    this.#segments = segments;
    this.#holdoutMemo = null;
    return segments !== null;
  }

  decide(key: string, options?: readonly OptimizelyDecideOption[]): OptimizelyDecision {
    return this.host.decide(this.snapshot(), key, options);
  }

  decideForKeys(keys: readonly string[], options?: readonly OptimizelyDecideOption[]): OptimizelyDecisions {
    return this.host.decideForKeys(this.snapshot(), keys, options);
  }

  decideAll(options?: readonly OptimizelyDecideOption[]): OptimizelyDecisions {
    return this.host.decideAll(this.snapshot(), options);
  }

  /** Like `decide`, and also consults the async user profile service. */
  decideAsync(key: string, options?: readonly OptimizelyDecideOption[]): Promise<OptimizelyDecision> {
    return this.host.decideAsync(this.snapshot(), key, options);
  }

  decideForKeysAsync(
    keys: readonly string[],
    options?: readonly OptimizelyDecideOption[],
  ): Promise<OptimizelyDecisions> {
    return this.host.decideForKeysAsync(this.snapshot(), keys, options);
  }

  decideAllAsync(options?: readonly OptimizelyDecideOption[]): Promise<OptimizelyDecisions> {
    return this.host.decideAllAsync(this.snapshot(), options);
  }

  /** Tracks a conversion event for this user with their current attributes. */
  trackEvent(eventKey: string, eventTags?: EventTags): void {
    this.host.trackEvent(eventKey, this.userId, this.attributes, eventTags);
  }

  /** Forces a variation for a flag, or for one rule of it. Always returns true. */
  setForcedDecision(context: OptimizelyDecisionContext, decision: OptimizelyForcedDecision): boolean {
    const forced = this.#writableForced();
    const ruleKey = context.ruleKey ?? NULL_RULE_KEY;
    let byRule = forced.get(context.flagKey);
    if (!byRule) {
      byRule = new Map();
      forced.set(context.flagKey, byRule);
    }
    byRule.set(ruleKey, decision.variationKey);
    return true;
  }

  getForcedDecision(context: OptimizelyDecisionContext): OptimizelyForcedDecision | null {
    const variationKey = this.#forced?.get(context.flagKey)?.get(context.ruleKey ?? NULL_RULE_KEY);
    return variationKey === undefined ? null : { variationKey };
  }

  removeForcedDecision(context: OptimizelyDecisionContext): boolean {
    if (!this.#forced?.get(context.flagKey)?.has(context.ruleKey ?? NULL_RULE_KEY)) return false;
    const byRule = this.#writableForced().get(context.flagKey)!;
    byRule.delete(context.ruleKey ?? NULL_RULE_KEY);
    if (byRule.size === 0) this.#forced!.delete(context.flagKey);
    return true;
  }

  removeAllForcedDecisions(): boolean {
    this.#forced = null;
    this.#sharedForced = false;
    return true;
  }

  /** @internal The forced variation key for a flag (and rule); see {@link DecisionUser}. */
  forcedVariationKey(flagKey: string, ruleKey?: string): string | undefined {
    if (this.#forced === null) return undefined;
    return this.#forced.get(flagKey)?.get(ruleKey ?? NULL_RULE_KEY);
  }

  /** @internal A copy that later changes to this context do not affect. */
  snapshot(): OptimizelyUserContext {
    const copy = new OptimizelyUserContext(this.host, this.userId, this);
    copy.#attributeObject = this.#attributeObject;
    copy.#sharedAttributes = true;
    this.#sharedAttributes = true;
    if (this.#forced !== null) {
      copy.#forced = this.#forced;
      copy.#sharedForced = true;
      this.#sharedForced = true;
    }
    copy.#segments = this.#segments;
    if (this.#decidedBefore) {
      this.#holdoutMemo ??= { holdouts: null, results: [] };
      copy.#holdoutMemo = this.#holdoutMemo;
    }
    this.#decidedBefore = true;
    return copy;
  }

  /**
   * @internal The global holdout outcomes remembered for this user state under `config`, or null
   * when this context keeps none. Only for decisions that collect no reasons or log lines.
   */
  globalHoldoutMemo(config: ProjectConfig): GlobalHoldoutMemo | null {
    const memo = this.#holdoutMemo;
    if (memo === null) return null;
    if (memo.holdouts !== config.globalHoldouts) {
      memo.holdouts = config.globalHoldouts;
      memo.results.length = 0;
    }
    return memo.results;
  }

  #writableForced(): Map<string, Map<string, string>> {
    if (this.#forced === null) {
      this.#forced = new Map();
    } else if (this.#sharedForced) {
      this.#forced = new Map([...this.#forced].map(([flag, byRule]) => [flag, new Map(byRule)] as const));
    }
    this.#sharedForced = false;
    return this.#forced;
  }
}

/**
 * A plain object of the attributes, in key order. Every key is defined as an own data property,
 * so a `__proto__` key stays data and never sets the object's prototype.
 */
function attributeObjectOf(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) setOwnProperty(object, keys[i]!, values[i]);
  return object;
}
