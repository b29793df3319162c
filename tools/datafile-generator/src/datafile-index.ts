/**
 * What `generateUsers` needs to know about a datafile: attribute keys, the conditions on each
 * attribute, ODP segment names, whitelisted user ids and experiment variations. Works on any
 * datafile-shaped object, not only generated ones.
 */
import { ODP_DIMENSION_NAME } from './audience-conditions';
import type { LeafCondition } from './datafile-types';

/** The parts of a datafile the index reads; every field is optional. */
export interface DatafileSource {
  readonly attributes?: readonly { readonly key: string }[];
  readonly audiences?: readonly { readonly conditions: unknown }[];
  readonly typedAudiences?: readonly { readonly conditions: unknown }[];
  readonly experiments?: readonly ExperimentSource[];
  readonly groups?: readonly { readonly experiments?: readonly ExperimentSource[] }[];
  readonly rollouts?: readonly { readonly experiments?: readonly ExperimentSource[] }[];
}

/** The parts of an experiment the index reads. */
export interface ExperimentSource {
  readonly id: string;
  readonly variations?: readonly { readonly id: string }[];
  readonly forcedVariations?: Readonly<Record<string, string>>;
}

/** The index. */
export interface DatafileIndex {
  /** Declared attribute keys, then other names that conditions use, in first-seen order. */
  readonly attributeNames: readonly string[];
  /** `custom_attribute` leaves per attribute name. */
  readonly leavesByName: ReadonlyMap<string, readonly LeafCondition[]>;
  /** Values of `third_party_dimension` leaves. */
  readonly segments: readonly string[];
  /** User ids in any experiment's or rule's `forcedVariations`. */
  readonly whitelistedUserIds: readonly string[];
  /** Every experiment and rule with its variation ids. */
  readonly experiments: readonly { readonly id: string; readonly variationIds: readonly string[] }[];
}

function isLeaf(node: unknown): node is LeafCondition {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && 'type' in node;
}

function collectLeaves(node: unknown, out: LeafCondition[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectLeaves(child, out);
  } else if (isLeaf(node)) {
    out.push(node);
  }
}

function parseConditions(conditions: unknown): unknown {
  if (typeof conditions !== 'string') return conditions;
  try {
    return JSON.parse(conditions) as unknown;
  } catch {
    return undefined;
  }
}

/** Indexes a datafile for user generation. */
export function indexDatafile(datafile: DatafileSource): DatafileIndex {
  const leaves: LeafCondition[] = [];
  for (const audience of [...(datafile.audiences ?? []), ...(datafile.typedAudiences ?? [])]) {
    collectLeaves(parseConditions(audience.conditions), leaves);
  }
  const names: string[] = (datafile.attributes ?? []).map((a) => a.key);
  const leavesByName = new Map<string, LeafCondition[]>();
  const segments = new Set<string>();
  for (const leaf of leaves) {
    if (leaf.type === 'third_party_dimension' && leaf.name === ODP_DIMENSION_NAME) {
      if (typeof leaf.value === 'string') segments.add(leaf.value);
      continue;
    }
    if (leaf.type !== 'custom_attribute' || typeof leaf.name !== 'string') continue;
    if (!names.includes(leaf.name)) names.push(leaf.name);
    const list = leavesByName.get(leaf.name);
    if (list) list.push(leaf);
    else leavesByName.set(leaf.name, [leaf]);
  }
  const experiments: ExperimentSource[] = [
    ...(datafile.experiments ?? []),
    ...(datafile.groups ?? []).flatMap((g) => g.experiments ?? []),
    ...(datafile.rollouts ?? []).flatMap((r) => r.experiments ?? []),
  ];
  const whitelisted = new Set<string>();
  for (const e of experiments)
    for (const userId of Object.keys(e.forcedVariations ?? {})) whitelisted.add(userId);
  return {
    attributeNames: names,
    leavesByName,
    segments: [...segments],
    whitelistedUserIds: [...whitelisted],
    experiments: experiments.map((e) => ({ id: e.id, variationIds: (e.variations ?? []).map((v) => v.id) })),
  };
}
