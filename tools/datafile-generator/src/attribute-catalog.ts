/**
 * The custom attributes a generated project declares, with the kind of value each holds
 * and small vocabularies that audience conditions draw from.
 */

/** What kind of value an attribute holds; decides which match types target it. */
export type AttributeKind = 'string' | 'integer' | 'float' | 'large' | 'boolean' | 'semver';

/** One declared attribute. */
export interface AttributeSpec {
  readonly key: string;
  readonly kind: AttributeKind;
  /** Candidate values for `exact` conditions (strings) and substrings for `substring`. */
  readonly words?: readonly string[];
  readonly substrings?: readonly string[];
}

/** The fixed catalogue; unicode and spaces in keys are deliberate. */
export const ATTRIBUTE_CATALOG: readonly AttributeSpec[] = [
  { key: 'country', kind: 'string', words: ['US', 'DE', 'FR', 'JP', 'BR', '日本', 'Österreich', ''] },
  { key: 'plan', kind: 'string', words: ['free', 'pro', 'enterprise', 'Pro', ' pro'] },
  {
    key: 'email',
    kind: 'string',
    words: ['alice@example.com', 'bob@corp.io', 'carol@例え.jp'],
    substrings: ['@example.com', 'corp', '例え', 'alice', '.'],
  },
  {
    key: 'browser',
    kind: 'string',
    words: ['chrome', 'firefox', 'safari', 'Chrome Mobile', 'Edg/120'],
    substrings: ['chrom', 'Mobile', 'fox', '/'],
  },
  { key: 'device type', kind: 'string', words: ['phone', 'tablet', 'desktop', 'tv 📺'] },
  { key: 'ünïcødé_segment', kind: 'string', words: ['α', 'β', 'ß', '🙂', 'e\u0301'] },
  { key: 'age', kind: 'integer' },
  { key: 'visits', kind: 'integer' },
  { key: 'score', kind: 'float' },
  { key: 'balance', kind: 'large' },
  { key: 'is_beta', kind: 'boolean' },
  { key: 'logged_in', kind: 'boolean' },
  { key: 'app_version', kind: 'semver' },
  { key: 'os_version', kind: 'semver' },
];

/** Versions used as semver condition values: plain, partial, pre-release and build. */
export const SEMVER_CONDITION_VALUES: readonly string[] = [
  '1.2.3',
  '2.0.0',
  '2.1',
  '3',
  '10.4.1',
  '0.9.12',
  '1.2.3-beta',
  '2.0.0-rc.1',
  '3.0.0-alpha.2',
  '1.2.3+build.7',
  '2.1.0+20240101',
  '1.0.0-beta+exp.sha.5114f85',
];
