import { describe, expect, it } from 'vitest';
import type { Experiment, GeneratedDatafile, LeafCondition } from './datafile-types';
import { generateDatafile } from './generate-datafile';
import { INVALID_WHITELIST_VARIATION_KEY } from './generate-flags';

const SEEDS = [1, 2, 3, 4, 5];

function groupedExperiments(df: GeneratedDatafile): Experiment[] {
  return df.groups.flatMap((g) => g.experiments);
}

function allRules(df: GeneratedDatafile): Experiment[] {
  return [...df.experiments, ...groupedExperiments(df), ...df.rollouts.flatMap((r) => r.experiments)];
}

function leavesOf(node: unknown, out: LeafCondition[] = []): LeafCondition[] {
  if (Array.isArray(node)) for (const child of node) leavesOf(child, out);
  else if (typeof node === 'object' && node !== null) out.push(node as LeafCondition);
  return out;
}

function allLeaves(df: GeneratedDatafile): LeafCondition[] {
  return [
    ...df.typedAudiences.flatMap((a) => leavesOf(a.conditions)),
    ...df.audiences.flatMap((a) => leavesOf(JSON.parse(a.conditions))),
  ];
}

function treeDepth(node: unknown): number {
  return Array.isArray(node) ? 1 + Math.max(0, ...node.map(treeDepth)) : 0;
}

describe('generateDatafile', () => {
  it('is deterministic: same seed, deep-equal datafile', () => {
    for (const seed of SEEDS) {
      expect(generateDatafile({ seed, flags: 30 })).toEqual(generateDatafile({ seed, flags: 30 }));
    }
    expect(generateDatafile({ seed: 1, flags: 30 })).not.toEqual(generateDatafile({ seed: 2, flags: 30 }));
  });

  it('survives a JSON round trip unchanged (plain JSON, no undefined or NaN)', () => {
    for (const seed of SEEDS) {
      const df = generateDatafile({ seed, flags: 40 });
      expect(JSON.parse(JSON.stringify(df))).toEqual(df);
    }
  });

  it('handles zero flags', () => {
    const df = generateDatafile({ seed: 1, flags: 0 });
    expect(df.featureFlags).toEqual([]);
    expect(df.version).toBe('4');
  });

  it('uses digit-string ids, each id naming one entity only', () => {
    for (const seed of SEEDS) {
      const df = generateDatafile({ seed, flags: 50 });
      const owners = new Map<string, string>();
      const claim = (id: string, owner: string): void => {
        expect(id).toMatch(/^\d+$/);
        const previous = owners.get(id);
        if (previous !== undefined) expect(previous).toBe(owner);
        owners.set(id, owner);
      };
      claim(df.accountId, 'account');
      claim(df.projectId, 'project');
      for (const a of df.attributes) claim(a.id, `attribute:${a.key}`);
      for (const e of df.events) claim(e.id, `event:${e.key}`);
      for (const a of df.typedAudiences) claim(a.id, `audience:${a.id}`);
      for (const a of df.audiences) claim(a.id, `audience:${a.id}`);
      for (const g of df.groups) claim(g.id, 'group');
      for (const r of df.rollouts) claim(r.id, 'rollout');
      for (const f of df.featureFlags) {
        claim(f.id, `flag:${f.key}`);
        for (const v of f.variables) claim(v.id, `variable:${f.key}:${v.key}`);
      }
      for (const rule of [...allRules(df), ...df.holdouts, ...df.localHoldouts]) {
        claim(rule.id, `rule:${rule.key}`);
        if ('layerId' in rule) claim(rule.layerId, `layer:${rule.key}`);
        // A flag's variations are shared by its rules: same id, same variation.
        for (const v of rule.variations) claim(v.id, `variation:${JSON.stringify(v)}`);
      }
    }
  });

  it('keeps keys unique', () => {
    const df = generateDatafile({ seed: 8, flags: 60 });
    const unique = (keys: string[]): void => expect(new Set(keys).size).toBe(keys.length);
    unique(df.featureFlags.map((f) => f.key));
    unique([...allRules(df), ...df.holdouts, ...df.localHoldouts].map((r) => r.key));
    unique(df.attributes.map((a) => a.key));
    unique(df.events.map((e) => e.key));
    unique(df.typedAudiences.map((a) => a.id));
    for (const f of df.featureFlags) unique(f.variables.map((v) => v.key));
    for (const rule of allRules(df)) unique(rule.variations.map((v) => v.key));
  });

  it('covers every match type and condition kind in a 50-flag datafile', () => {
    for (const seed of SEEDS) {
      const leaves = allLeaves(generateDatafile({ seed, flags: 50 }));
      const custom = leaves.filter((l) => l.type === 'custom_attribute');
      const matches = new Set(custom.map((l) => l.match));
      for (const m of [
        'exact',
        'exists',
        'gt',
        'ge',
        'lt',
        'le',
        'substring',
        'semver_eq',
        'semver_gt',
        'semver_ge',
        'semver_lt',
        'semver_le',
        undefined,
      ]) {
        expect(matches, `match ${m}`).toContain(m);
      }
      expect(
        [...matches].some((m) => m !== undefined && !/^(exact|exists|[gl][te]|substring|semver_..)$/.test(m)),
      ).toBe(true);
      const exactTypes = new Set(custom.filter((l) => l.match === 'exact').map((l) => typeof l.value));
      expect(exactTypes).toEqual(new Set(['string', 'number', 'boolean', 'object']));
      for (const m of ['gt', 'ge', 'lt', 'le']) {
        const values = custom.filter((l) => l.match === m).map((l) => l.value);
        expect(
          values.some((v) => Number.isInteger(v)),
          `${m} int`,
        ).toBe(true);
        expect(
          values.some((v) => typeof v === 'number' && !Number.isInteger(v)),
          `${m} float`,
        ).toBe(true);
      }
      const versions = custom.filter((l) => l.match?.startsWith('semver')).map((l) => String(l.value));
      expect(versions.some((v) => /^[^+]*-/.test(v))).toBe(true);
      expect(versions.some((v) => /^[^-]*\+/.test(v))).toBe(true);
      expect(leaves.some((l) => l.type === 'third_party_dimension' && l.match === 'qualified')).toBe(true);
      expect(leaves.some((l) => l.type !== 'custom_attribute' && l.type !== 'third_party_dimension')).toBe(
        true,
      );
      expect(leaves.some((l) => l.name === '$opt_dummy_attribute')).toBe(true);
    }
  });

  it('nests audience condition trees and uses audienceIds fallbacks and unknown ids', () => {
    const df = generateDatafile({ seed: 3, flags: 50 });
    const known = new Set([...df.typedAudiences, ...df.audiences].map((a) => a.id));
    const rules = [...allRules(df), ...df.holdouts, ...df.localHoldouts];
    const trees = rules.map((r) => r.audienceConditions).filter((c) => c !== undefined);
    const flat = JSON.stringify(trees);
    for (const op of ['"and"', '"or"', '"not"']) expect(flat).toContain(op);
    expect(Math.max(...trees.map(treeDepth))).toBeGreaterThanOrEqual(3);
    expect(rules.some((r) => r.audienceConditions === undefined && r.audienceIds.length > 0)).toBe(true);
    const referenced = rules.flatMap((r) => [
      ...r.audienceIds,
      ...(JSON.stringify(r.audienceConditions ?? []).match(/\d+/g) ?? []),
    ]);
    expect(referenced.some((id) => !known.has(id))).toBe(true);
    expect(Math.max(...df.typedAudiences.map((a) => treeDepth(a.conditions)))).toBeGreaterThanOrEqual(3);
    // Typed audiences that share an id with a legacy one (and so override it).
    const legacy = new Set(df.audiences.map((a) => a.id));
    expect(df.typedAudiences.some((a) => legacy.has(a.id))).toBe(true);
    for (const a of df.audiences) expect(typeof a.conditions).toBe('string');
  });

  it('builds flags with experiment rules, fr rules, rollouts and every variable type', () => {
    const df = generateDatafile({ seed: 4, flags: 50 });
    const ruleCounts = new Set(df.featureFlags.map((f) => f.experimentIds.length));
    expect(ruleCounts).toEqual(new Set([0, 1, 2, 3]));
    const rules = [...df.experiments, ...groupedExperiments(df)];
    const byId = new Map(rules.map((r) => [r.id, r]));
    for (const f of df.featureFlags) for (const id of f.experimentIds) expect(byId.has(id)).toBe(true);
    expect(rules.filter((r) => r.type === 'fr').length).toBeGreaterThan(2);
    expect(new Set(rules.map((r) => r.status))).toEqual(new Set(['Running', 'Paused', 'Not started']));
    const rollouts = new Map(df.rollouts.map((r) => [r.id, r]));
    const deliveryCounts = new Set<number>();
    for (const f of df.featureFlags) {
      if (f.rolloutId === '') continue;
      const rollout = rollouts.get(f.rolloutId);
      expect(rollout).toBeDefined();
      if (!rollout || rollout.experiments.length === 0) continue;
      deliveryCounts.add(rollout.experiments.length - 1);
      const everyoneElse = rollout.experiments[rollout.experiments.length - 1] as Experiment;
      expect(everyoneElse.audienceIds).toEqual([]);
      expect(everyoneElse.audienceConditions ?? []).toEqual([]);
    }
    expect(deliveryCounts).toEqual(new Set([0, 1, 2, 3]));
    const variables = df.featureFlags.flatMap((f) => f.variables);
    const types = new Set(variables.map((v) => `${v.type}${v.subType ? `/${v.subType}` : ''}`));
    expect(types).toEqual(new Set(['boolean', 'double', 'integer', 'string', 'json', 'string/json']));
    const variations = allRules(df).flatMap((r) => r.variations);
    expect(variations.some((v) => v.featureEnabled === false && (v.variables?.length ?? 0) > 0)).toBe(true);
    const flagOf = new Map(df.featureFlags.flatMap((f) => f.variables.map((v) => [v.id, f])));
    expect(
      variations.some((v) => {
        const used = v.variables ?? [];
        const flag = used[0] ? flagOf.get(used[0].id) : undefined;
        return flag !== undefined && used.length < flag.variables.length;
      }),
    ).toBe(true);
  });

  it('emits whitelists (with an invalid key), traffic holes and partial allocations', () => {
    for (const seed of SEEDS) {
      const df = generateDatafile({ seed, flags: 50 });
      const rules = [...df.experiments, ...groupedExperiments(df)];
      const whitelisted = rules.flatMap((r) => Object.values(r.forcedVariations));
      expect(whitelisted).toContain(INVALID_WHITELIST_VARIATION_KEY);
      expect(whitelisted.filter((k) => k !== INVALID_WHITELIST_VARIATION_KEY).length).toBeGreaterThan(0);
      const allocations = [
        ...allRules(df).map((r) => r.trafficAllocation),
        ...df.groups.map((g) => g.trafficAllocation),
      ];
      expect(allocations.some((t) => t.some((e) => e.entityId === ''))).toBe(true);
      expect(allocations.some((t) => t.length > 0 && (t[t.length - 1]?.endOfRange ?? 0) < 10_000)).toBe(true);
      for (const t of allocations) {
        for (let i = 1; i < t.length; i++)
          expect(t[i]!.endOfRange).toBeGreaterThanOrEqual(t[i - 1]!.endOfRange);
      }
    }
  });

  it('builds random and overlapping groups listed only under groups[]', () => {
    for (const seed of SEEDS) {
      const df = generateDatafile({ seed, flags: 50 });
      expect(df.groups.map((g) => g.policy)).toContain('random');
      expect(df.groups.map((g) => g.policy)).toContain('overlapping');
      const topLevel = new Set(df.experiments.map((e) => e.id));
      const ruleIds = new Set(allRules(df).map((r) => r.id));
      for (const g of df.groups) {
        expect(g.experiments.length).toBeGreaterThan(0);
        const members = new Set(g.experiments.map((e) => e.id));
        for (const e of g.experiments) expect(topLevel.has(e.id)).toBe(false);
        if (g.policy === 'random') {
          // Members, holes, or (quirk) ids of no entity at all; never another group's experiment.
          for (const t of g.trafficAllocation) {
            expect(members.has(t.entityId) || t.entityId === '' || !ruleIds.has(t.entityId)).toBe(true);
          }
        } else {
          expect(g.trafficAllocation).toEqual([]);
        }
      }
      const first = df.groups[0];
      expect(first?.policy).toBe('random');
      expect(first?.experiments.length).toBeGreaterThanOrEqual(2);
      expect(first?.trafficAllocation.some((t) => first.experiments.some((e) => e.id === t.entityId))).toBe(
        true,
      );
    }
  });

  it('emits global and local holdouts targeting experiment and delivery rules', () => {
    const dfs = [...SEEDS, 6, 7, 8, 9, 10].map((seed) => generateDatafile({ seed, flags: 50 }));
    for (const df of dfs) {
      expect(df.holdouts[0]?.status).toBe('Running');
      for (const h of [...df.holdouts, ...df.localHoldouts]) {
        expect(h.trafficAllocation.length).toBe(1);
        expect(h.variations.map((v) => v.id)).toContain(h.trafficAllocation[0]?.entityId);
      }
      for (const h of df.holdouts) expect(h.trafficAllocation[0]!.endOfRange).toBeLessThanOrEqual(1500);
    }
    const holdouts = dfs.flatMap((df) => df.holdouts);
    expect(holdouts.some((h) => h.excludeTargetedDeliveries === true)).toBe(true);
    expect(holdouts.some((h) => h.status !== 'Running')).toBe(true);
    expect(holdouts.some((h) => (h.audienceConditions ?? h.audienceIds).length > 0)).toBe(true);
    const included = new Set(dfs.flatMap((df) => df.localHoldouts.flatMap((h) => h.includedRules ?? [])));
    const experimentRuleIds = dfs.flatMap((df) =>
      [...df.experiments, ...groupedExperiments(df)].map((r) => r.id),
    );
    const deliveryRuleIds = dfs.flatMap((df) => df.rollouts.flatMap((r) => r.experiments.map((e) => e.id)));
    expect(experimentRuleIds.some((id) => included.has(id))).toBe(true);
    expect(deliveryRuleIds.some((id) => included.has(id))).toBe(true);
  });

  it('varies project-level settings across seeds', () => {
    const dfs = Array.from({ length: 12 }, (_, seed) => generateDatafile({ seed, flags: 5 }));
    expect(new Set(dfs.map((df) => df.integrations.some((i) => i.key === 'odp')))).toEqual(
      new Set([true, false]),
    );
    expect(new Set(dfs.map((df) => df.sendFlagDecisions))).toEqual(new Set([true, false]));
    expect(new Set(dfs.map((df) => df.botFiltering))).toEqual(new Set([true, false]));
    expect(new Set(dfs.map((df) => df.anonymizeIP))).toEqual(new Set([true, false]));
    for (const df of dfs) {
      for (const i of df.integrations.filter((x) => x.key === 'odp')) {
        expect(i.host).toMatch(/^https:\/\//);
        expect(i.publicKey).toBeTruthy();
      }
      for (const e of df.events) expect(Array.isArray(e.experimentIds)).toBe(true);
    }
  });

  it('leaves out quirks and prototype-key conditions unless asked', () => {
    for (const seed of SEEDS) {
      const plain = generateDatafile({ seed, flags: 50, quirks: false });
      const leaves = allLeaves(plain);
      expect(leaves.some((l) => l.value === null)).toBe(false);
      expect(leaves.some((l) => l.name === 'constructor' || l.name === '__proto__')).toBe(false);
      const trees = JSON.stringify([
        ...plain.typedAudiences.map((a) => a.conditions),
        ...allRules(plain).map((r) => r.audienceConditions),
      ]);
      expect(trees).not.toMatch(/\["(and|or|not)"\]/);
      for (const rollout of plain.rollouts)
        for (const rule of rollout.experiments) expect(rule.status).toBe('Running');
    }
    const withPrototype = allLeaves(generateDatafile({ seed: 1, flags: 50, prototypeKeyConditions: true }));
    expect(withPrototype.some((l) => l.name === 'constructor' || l.name === '__proto__')).toBe(true);
  });

  it('honours the rule-count knobs', () => {
    const df = generateDatafile({
      seed: 6,
      flags: 30,
      maxExperimentRules: 0,
      maxDeliveryRules: 0,
      holdouts: 0,
      localHoldouts: 0,
    });
    expect(df.featureFlags.every((f) => f.experimentIds.length === 0)).toBe(true);
    expect(df.rollouts.every((r) => r.experiments.length <= 1)).toBe(true);
    expect(df.holdouts).toEqual([]);
    expect(df.localHoldouts).toEqual([]);
  });
});
