/**
 * `createOptimizelyConfig` against the official SDK's `getOptimizelyConfig()` on generated
 * datafiles: the two must be deep-equal (own `undefined` properties and key order included), once
 * the official instance's `getDatafile` method and internal `datafile` field are set aside.
 *
 * The official SDK throws inside `getOptimizelyConfig()` (and returns null) on two shapes the
 * generator emits: a bare audience id as `audienceConditions`, and `NOT` followed by an unknown
 * audience id. FlagKit serialises those instead (the id as a one-element list; an unknown id as
 * itself). For such datafiles the official side is given an equivalent datafile: bare ids wrapped in
 * a list, and a placeholder typed audience named after each unknown id (dropped again from its
 * `audiences` list). Every other datafile is compared as is.
 */
import { createOptimizelyConfig, createProjectConfig } from '@flagkit/core';
import { type GeneratedDatafile, generateDatafile } from '@flagkit/datafile-generator';
import {
  createErrorNotifier,
  createInstance,
  createStaticProjectConfigManager,
  type OptimizelyConfig as OfficialConfig,
} from '@optimizely/optimizely-sdk';
import { describe, expect, it } from 'vitest';
import { SEED_OFFSET } from './corpus';

type ConditionTree = string | readonly unknown[];

interface RuleLike {
  audienceConditions?: ConditionTree;
}

/** Plain copies of own enumerable properties, functions left out, `undefined` values kept. */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'function') continue;
      Object.defineProperty(copy, key, {
        value: toPlain(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

/** Like JSON.stringify, but keeps `undefined` values visible so key sets and order both count. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item === undefined ? '<undefined>' : item));
}

async function officialConfig(
  datafileText: string,
): Promise<{ config: OfficialConfig | null; error: unknown }> {
  let error: unknown = null;
  const client = createInstance({
    projectConfigManager: createStaticProjectConfigManager({ datafile: datafileText }),
    errorNotifier: createErrorNotifier({
      handleError: (e: Error) => {
        error = e;
      },
    }),
  });
  await client.onReady();
  const config = client.getOptimizelyConfig();
  await client.close();
  return { config, error };
}

function rulesOf(datafile: GeneratedDatafile): RuleLike[] {
  return [
    ...datafile.experiments,
    ...datafile.groups.flatMap((g) => g.experiments),
    ...datafile.rollouts.flatMap((r) => r.experiments),
  ];
}

function idsIn(tree: ConditionTree, out: Set<string>): void {
  if (typeof tree === 'string') {
    if (tree !== 'and' && tree !== 'or' && tree !== 'not') out.add(tree);
    return;
  }
  for (const child of tree)
    if (typeof child === 'string' || Array.isArray(child)) idsIn(child as ConditionTree, out);
}

/**
 * The datafile the official SDK can serialise with the same result: bare ids wrapped in a list and
 * a placeholder audience, named after its id, for every unknown id. Returns the placeholder ids.
 */
function forOfficial(datafile: GeneratedDatafile): {
  datafile: GeneratedDatafile;
  placeholders: Set<string>;
} {
  const copy = structuredClone(datafile);
  const known = new Set([...copy.audiences, ...copy.typedAudiences].map((a) => a.id));
  const placeholders = new Set<string>();
  for (const rule of rulesOf(copy)) {
    if (typeof rule.audienceConditions === 'string') rule.audienceConditions = [rule.audienceConditions];
    if (rule.audienceConditions) idsIn(rule.audienceConditions, placeholders);
  }
  for (const id of known) placeholders.delete(id);
  copy.typedAudiences = [
    ...copy.typedAudiences,
    ...[...placeholders].map((id) => ({ id, name: id, conditions: ['or' as const] })),
  ];
  return { datafile: copy, placeholders };
}

const variants: { flags: number; options?: Record<string, boolean> }[] = [
  { flags: 3 },
  { flags: 12 },
  { flags: 30 },
  { flags: 15, options: { prototypeKeyConditions: true } },
  { flags: 10, options: { quirks: false } },
];
const seeds = [1, 2, 3, 5, 8, 13, 21, 42, 99, 1234].map((seed) => seed + SEED_OFFSET);

describe('createOptimizelyConfig matches the official getOptimizelyConfig()', () => {
  let direct = 0;
  let adjusted = 0;

  for (const seed of seeds) {
    for (const { flags, options } of variants) {
      it(`seed ${seed}, ${flags} flags${options ? ` ${JSON.stringify(options)}` : ''}`, async () => {
        const datafile = generateDatafile({ seed, flags, ...options });
        const text = JSON.stringify(datafile);
        const ours = createOptimizelyConfig(createProjectConfig(text));
        expect(ours.getDatafile()).toBe(text);

        let { config: official, error } = await officialConfig(text);
        let placeholders = new Set<string>();
        if (official === null) {
          // Only the two known shapes may make the official SDK fail.
          expect(String(error)).toMatch(/forEach is not a function|reading 'name'/);
          const adjustedInput = forOfficial(datafile);
          placeholders = adjustedInput.placeholders;
          ({ config: official, error } = await officialConfig(JSON.stringify(adjustedInput.datafile)));
          adjusted++;
        } else {
          expect(official.getDatafile()).toBe(text);
          direct++;
        }
        expect(official, String(error)).not.toBeNull();

        const expected = toPlain(official) as Record<string, unknown> & { audiences: { id: string }[] };
        delete expected.datafile;
        expected.audiences = expected.audiences.filter((a) => !placeholders.has(a.id));
        const actual = toPlain(ours);
        expect(actual).toStrictEqual(expected);
        expect(canonical(actual)).toBe(canonical(expected));
      });
    }
  }

  it('compared most datafiles without adjusting them', () => {
    expect(direct + adjusted).toBe(seeds.length * variants.length);
    expect(direct).toBeGreaterThan(adjusted);
  });
});
