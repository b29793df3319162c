/**
 * The official SDK accepts every generated datafile, over many seeds and knob settings, and
 * decides every flag without an error decision. Official SDK only; independent of FlagKit.
 * (`getOptimizelyConfig()` is checked too, except on the two quirk shapes it throws on.)
 */
import {
  type GenerateDatafileOptions,
  type GeneratedDatafile,
  generateDatafile,
  generateUsers,
} from '@flagkit/datafile-generator';
import { createInstance, createStaticProjectConfigManager } from '@optimizely/optimizely-sdk';
import { describe, expect, it } from 'vitest';
import { SEED_OFFSET } from './corpus';

const VARIANTS: readonly Omit<GenerateDatafileOptions, 'seed'>[] = [
  { flags: 0 },
  { flags: 1 },
  { flags: 5, quirks: false },
  { flags: 25 },
  { flags: 25, prototypeKeyConditions: true },
  { flags: 60, quirks: false },
  { flags: 40, odp: true, holdouts: 3, localHoldouts: 3 },
  { flags: 40, odp: false, holdouts: 0, localHoldouts: 0, groups: 0 },
  { flags: 80, maxExperimentRules: 3, maxDeliveryRules: 3, groupShare: 0.6, cmabShare: 0.2 },
];

/**
 * Whether a rule uses a shape on which the official `getOptimizelyConfig()` throws (and returns
 * null): a bare audience id as `audienceConditions`, or `["not", <unknown audience id>, ...]`.
 * The generator emits both only with `quirks` on.
 */
function breaksOfficialConfig(df: GeneratedDatafile): boolean {
  const known = new Set([...df.audiences, ...df.typedAudiences].map((a) => a.id));
  const notUnknown = (node: unknown): boolean =>
    Array.isArray(node) &&
    ((node[0] === 'not' && typeof node[1] === 'string' && !known.has(node[1])) || node.some(notUnknown));
  const rules = [
    ...df.experiments,
    ...df.groups.flatMap((g) => g.experiments),
    ...df.rollouts.flatMap((r) => r.experiments),
  ];
  return rules.some((r) => typeof r.audienceConditions === 'string' || notUnknown(r.audienceConditions));
}

const CASES = VARIANTS.flatMap((variant, v) =>
  Array.from({ length: 5 }, (_, k) => ({ ...variant, seed: 1000 + SEED_OFFSET + 10 * v + k })),
);

describe('official SDK accepts generated datafiles', () => {
  it.each(CASES)('seed $seed, $flags flags', async (options) => {
    const datafile = generateDatafile(options);
    const client = createInstance({
      projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }),
    });
    await expect(client.onReady({ timeout: 5000 })).resolves.toBeUndefined();
    const config = client.getOptimizelyConfig();
    if (options.quirks === false || !breaksOfficialConfig(datafile)) {
      expect(config).not.toBeNull();
      expect(Object.keys(config?.featuresMap ?? {})).toHaveLength(datafile.featureFlags.length);
    }
    for (const user of generateUsers(datafile, { seed: options.seed, count: 20 })) {
      const ctx = client.createUserContext(user.userId, user.attributes as Record<string, string>);
      ctx.qualifiedSegments = user.segments;
      const decisions = ctx.decideAll();
      expect(Object.keys(decisions)).toHaveLength(datafile.featureFlags.length);
      // Without INCLUDE_REASONS only error decisions carry reasons.
      for (const d of Object.values(decisions)) expect(d.reasons).toEqual([]);
    }
    await client.close();
  });
});
