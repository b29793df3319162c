import type { LeafCondition } from '../datafile/datafile';
import type { Logger, LogLevel } from '../ports/logger';
import { type ConditionEvaluator, type EvaluationUser, isNoAttribute } from './evaluation-user';
import { compareSemver } from './semver';

/**
 * Optimizely's "safe integer" check is really `|x| <= 2^53`: floats pass, NaN and ±Infinity fail.
 * Numbers outside it make a numeric or exact condition evaluate to unknown.
 */
const NUMBER_LIMIT = 2 ** 53;

// Plain property reads on a fresh `{}`: what the reference sees for a key the user did not set.
const EMPTY_ATTRIBUTES: Readonly<Record<string, unknown>> = {};

const ALWAYS_NULL: ConditionEvaluator = () => null;

function isWithinLimit(value: number): boolean {
  return Math.abs(value) <= NUMBER_LIMIT;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** The property key the reference would use for `name` (it coerces like `obj[name]`), or null. */
function toAttributeKey(name: unknown): string | null {
  try {
    return interned(typeof name === 'string' ? name : String(name));
  } catch {
    return null;
  }
}

/**
 * The engine's interned copy of `s`: a property key is interned, and reading it back gives that
 * copy. A user's attribute keys come from `Object.keys`, so they are interned too, and the
 * key scan of every attribute read compares two interned strings: a pointer check, where a
 * name parsed from the datafile as a JSON value would cost a string comparison per key.
 */
function interned(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

function describeCondition(leaf: LeafCondition): string {
  try {
    return JSON.stringify(leaf) ?? String(leaf);
  } catch {
    return '<unserializable condition>';
  }
}

/**
 * Logs why one condition evaluated to unknown. Every method returns `null` so evaluators can
 * `return report.x()`. Messages are built only when their level is enabled.
 */
class ConditionReport {
  private text: string | undefined;

  constructor(
    private readonly leaf: LeafCondition,
    private readonly key: string,
    private readonly logger: Logger,
  ) {}

  private get condition(): string {
    this.text ??= describeCondition(this.leaf);
    return this.text;
  }

  private emit(level: LogLevel, reason: string): null {
    this.logger.log(level, `Audience condition ${this.condition} evaluated to UNKNOWN because ${reason}.`);
    return null;
  }

  unknownMatch(): null {
    if (!this.logger.isEnabled('warn')) return null;
    return this.emit(
      'warn',
      `it uses an unknown match type "${String(this.leaf.match)}"; a newer SDK version may support it`,
    );
  }

  unsupportedConditionValue(): null {
    if (!this.logger.isEnabled('warn')) return null;
    return this.emit('warn', 'its condition value is not supported for its match type');
  }

  missing(): null {
    if (!this.logger.isEnabled('debug')) return null;
    return this.emit('debug', `no value was passed for user attribute "${this.key}"`);
  }

  nullValue(): null {
    if (!this.logger.isEnabled('debug')) return null;
    return this.emit('debug', `a null value was passed for user attribute "${this.key}"`);
  }

  wrongType(value: unknown, expected: string): null {
    if (!this.logger.isEnabled('warn')) return null;
    return this.emit(
      'warn',
      `the value for user attribute "${this.key}" is of type "${typeof value}" while this condition only supports ${expected}`,
    );
  }

  outOfRange(): null {
    if (!this.logger.isEnabled('warn')) return null;
    return this.emit(
      'warn',
      `the number value for user attribute "${this.key}" is not in the range [-2^53, +2^53]`,
    );
  }

  invalidVersion(conditionIsValid: boolean): null {
    if (!this.logger.isEnabled('warn')) return null;
    const which = conditionIsValid ? `the value for user attribute "${this.key}"` : 'the condition value';
    return this.emit('warn', `${which} is not a valid semantic version`);
  }
}

/** The user's number for a numeric match, or NaN (after logging) when the result is unknown. */
function readNumber(user: EvaluationUser, key: string, report: ConditionReport): number {
  // NaN is a safe "unknown" marker: a NaN attribute fails the limit check, so it never gets through.
  const value = user.attribute(key);
  if (isNoAttribute(value)) {
    report.missing();
  } else if (value === null) {
    report.nullValue();
  } else if (typeof value !== 'number') {
    report.wrongType(value, 'numbers');
  } else if (!isWithinLimit(value)) {
    report.outOfRange();
  } else {
    return value;
  }
  return Number.NaN;
}

/** The user's string for a substring or semver match, or null (after logging) when unknown. */
function readString(user: EvaluationUser, key: string, report: ConditionReport): string | null {
  const value = user.attribute(key);
  if (isNoAttribute(value)) return report.missing();
  if (value === null) return report.nullValue();
  if (typeof value !== 'string') return report.wrongType(value, 'strings');
  return value;
}

/** A condition whose own value is unusable: unknown, but a missing attribute is reported first. */
function invalidConditionValue(key: string, report: ConditionReport): ConditionEvaluator {
  return (user) =>
    isNoAttribute(user.attribute(key)) ? report.missing() : report.unsupportedConditionValue();
}

function compileExact(expected: unknown, key: string, report: ConditionReport): ConditionEvaluator {
  if (typeof expected === 'number') {
    if (!isWithinLimit(expected)) return invalidConditionValue(key, report);
    return (user) => {
      const value = readNumber(user, key, report);
      return Number.isNaN(value) ? null : value === expected;
    };
  }
  if (typeof expected !== 'string' && typeof expected !== 'boolean') {
    return invalidConditionValue(key, report);
  }
  // Two closures, not one: each comparison site then only ever compares strings, or booleans,
  // which V8 compiles to a string or pointer check instead of its generic comparison.
  if (typeof expected === 'string') {
    return (user) => {
      const value = user.attribute(key);
      if (isNoAttribute(value)) return report.missing();
      if (value === null) return report.nullValue();
      if (typeof value !== 'string') return report.wrongType(value, 'strings');
      return value === expected;
    };
  }
  return (user) => {
    const value = user.attribute(key);
    if (isNoAttribute(value)) return report.missing();
    if (value === null) return report.nullValue();
    if (typeof value !== 'boolean') return report.wrongType(value, 'booleans');
    return value === expected;
  };
}

function compileExists(key: string): ConditionEvaluator {
  // The reference reads `attributes[name]` through the prototype chain, so e.g. `exists` on
  // "constructor" is true for every user. We reproduce that, but decide the inherited answer once,
  // here, from a pristine `{}`: evaluation never reads a user-supplied (or later polluted) prototype.
  const inheritedIsPresent = isPresent(EMPTY_ATTRIBUTES[key]);
  return (user) => {
    const value = user.attribute(key);
    return isNoAttribute(value) ? inheritedIsPresent : isPresent(value);
  };
}

function compileNumeric(
  match: 'gt' | 'ge' | 'lt' | 'le',
  limit: unknown,
  key: string,
  report: ConditionReport,
): ConditionEvaluator {
  if (typeof limit !== 'number' || !isWithinLimit(limit)) return invalidConditionValue(key, report);
  switch (match) {
    case 'gt':
      return (user) => {
        const value = readNumber(user, key, report);
        return Number.isNaN(value) ? null : value > limit;
      };
    case 'ge':
      return (user) => {
        const value = readNumber(user, key, report);
        return Number.isNaN(value) ? null : value >= limit;
      };
    case 'lt':
      return (user) => {
        const value = readNumber(user, key, report);
        return Number.isNaN(value) ? null : value < limit;
      };
    case 'le':
      return (user) => {
        const value = readNumber(user, key, report);
        return Number.isNaN(value) ? null : value <= limit;
      };
  }
}

function compileSubstring(needle: unknown, key: string, report: ConditionReport): ConditionEvaluator {
  if (typeof needle !== 'string') return invalidConditionValue(key, report);
  // Through String.prototype: see util/char-code-at.ts.
  return (user) => {
    const value = readString(user, key, report);
    return value === null ? null : String.prototype.includes.call(value, needle);
  };
}

function compileSemver(
  match: 'semver_eq' | 'semver_gt' | 'semver_ge' | 'semver_lt' | 'semver_le',
  version: unknown,
  key: string,
  report: ConditionReport,
): ConditionEvaluator {
  if (typeof version !== 'string') return invalidConditionValue(key, report);
  // A valid version always equals itself, so this tells the log which side was invalid.
  const versionIsValid = compareSemver(version, version) !== null;
  const compare = (user: EvaluationUser): number | null => {
    const value = readString(user, key, report);
    if (value === null) return null;
    return compareSemver(version, value) ?? report.invalidVersion(versionIsValid);
  };
  switch (match) {
    case 'semver_eq':
      return (user) => {
        const order = compare(user);
        return order === null ? null : order === 0;
      };
    case 'semver_gt':
      return (user) => {
        const order = compare(user);
        return order === null ? null : order > 0;
      };
    case 'semver_ge':
      return (user) => {
        const order = compare(user);
        return order === null ? null : order >= 0;
      };
    case 'semver_lt':
      return (user) => {
        const order = compare(user);
        return order === null ? null : order < 0;
      };
    case 'semver_le':
      return (user) => {
        const order = compare(user);
        return order === null ? null : order <= 0;
      };
  }
}

/**
 * Compiles one `custom_attribute` leaf into an evaluator. Everything about the condition (match
 * type, validity of its value) is settled here, so evaluating is a property read and a comparison.
 *
 * Semantics follow Optimizely: an unknown `match` is unknown (`null`) and a missing one means
 * `exact`; an attribute the user does not have (`user.attribute(key)` is `NO_ATTRIBUTE`) is unknown except for
 * `exists`; numbers must satisfy `|x| <= 2^53` on both sides; `null` or wrongly typed user values
 * are unknown. Reasons are logged (debug for missing/null values, warn otherwise).
 * The evaluator does not throw (user attributes are plain copies; see {@link EvaluationUser}).
 *
 * @param leaf - A leaf whose `type` is `custom_attribute`.
 * @param logger - Receives the reasons a condition evaluated to unknown.
 */
export function compileCustomAttributeCondition(leaf: LeafCondition, logger: Logger): ConditionEvaluator {
  const key = toAttributeKey(leaf.name);
  if (key === null) return ALWAYS_NULL;
  const report = new ConditionReport(leaf, key, logger);
  const match: unknown = leaf.match;
  switch (match) {
    case undefined:
    case 'exact':
      return compileExact(leaf.value, key, report);
    case 'exists':
      return compileExists(key);
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return compileNumeric(match, leaf.value, key, report);
    case 'substring':
      return compileSubstring(leaf.value, key, report);
    case 'semver_eq':
    case 'semver_gt':
    case 'semver_ge':
    case 'semver_lt':
    case 'semver_le':
      return compileSemver(match, leaf.value, key, report);
    default:
      return () => report.unknownMatch();
  }
}
