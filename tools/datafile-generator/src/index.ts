/**
 * `@flagkit/datafile-generator`: seeded random Optimizely datafiles and users, for conformance
 * and property tests. Deterministic: the same seed and options always give deep-equal output.
 */
export { ATTRIBUTE_CATALOG, type AttributeKind, type AttributeSpec } from './attribute-catalog';
export { type AnyLeafKind, LEAF_KINDS, type LeafKind, ODP_DIMENSION_NAME } from './audience-conditions';
export { type DatafileIndex, type DatafileSource, indexDatafile } from './datafile-index';
export type * from './datafile-types';
export { generateDatafile } from './generate-datafile';
export { INVALID_WHITELIST_VARIATION_KEY, WHITELIST_USER_IDS } from './generate-flags';
export { type GeneratedUser, type GenerateUsersOptions, generateUsers } from './generate-users';
export type { GenerateDatafileOptions } from './generation-context';
export { Random } from './random';
