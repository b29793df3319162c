/**
 * `generateDatafile`: a seeded, random, valid Optimizely datafile (version 4) that exercises
 * the decision machinery broadly: experiment and feature-rollout rules, rollouts, exclusion
 * groups, holdouts, whitelists, traffic holes, every variable type, legacy and typed audiences
 * with every match type, ODP segments, and (optionally) the SDK's quirks.
 */
import { ATTRIBUTE_CATALOG } from './attribute-catalog';
import type { Attribute, EventType, Experiment, GeneratedDatafile, Integration } from './datafile-types';
import { generateAudiences } from './generate-audiences';
import { generateStandaloneExperiments } from './generate-experiments';
import { generateFlags, INVALID_WHITELIST_VARIATION_KEY, WHITELIST_USER_IDS } from './generate-flags';
import { generateGroups } from './generate-groups';
import { generateHoldouts } from './generate-holdouts';
import { type GenerateDatafileOptions, GenerationContext } from './generation-context';
import type { Random } from './random';

const SEGMENT_WORDS = [
  'has_email',
  'premium_buyer',
  'churn-risk',
  'segment_ü',
  'vip',
  'newsletter',
  'cart 🛒',
];

function randomToken(random: Random, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}

function segmentNames(random: Random, count: number): string[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) =>
    i < SEGMENT_WORDS.length ? (SEGMENT_WORDS[i] as string) : `segment_${i}_${randomToken(random, 4)}`,
  );
}

/** Makes sure the rarer features appear at least once whenever there is room for them. */
function ensureCoverage(ctx: GenerationContext, rules: readonly Experiment[]): void {
  const { random } = ctx;
  const running = rules.filter((r) => r.status === 'Running' && r.variations.length > 0);
  if (rules.length >= 2 && !rules.some((r) => r.status !== 'Running')) {
    (random.pick(rules) as Experiment).status = 'Paused';
  }
  const allWhitelisted = rules.flatMap((r) => Object.values(r.forcedVariations));
  const target = running[0];
  if (target && !allWhitelisted.includes(INVALID_WHITELIST_VARIATION_KEY)) {
    target.forcedVariations[random.pick(WHITELIST_USER_IDS)] = INVALID_WHITELIST_VARIATION_KEY;
  }
  if (target && allWhitelisted.length < 3) {
    for (const rule of running.slice(0, 3)) {
      rule.forcedVariations[random.pick(WHITELIST_USER_IDS)] = random.pick(rule.variations).key;
    }
  }
}

/**
 * Generates a datafile. The same options always produce a deep-equal object; JSON-serialise it
 * for SDKs that take a string.
 *
 * @example
 * const datafile = generateDatafile({ seed: 42, flags: 50 });
 */
export function generateDatafile(options: GenerateDatafileOptions): GeneratedDatafile {
  const ctx = new GenerationContext(options);
  const { random } = ctx;
  const resolved = ctx.options;

  const attributes: Attribute[] = ATTRIBUTE_CATALOG.map((spec) => ({ id: ctx.ids.id(), key: spec.key }));
  ctx.attributeIds = attributes.map((a) => a.id);
  const segments = segmentNames(random, resolved.segments);
  const audiences = generateAudiences(ctx, segments);
  const flags = generateFlags(ctx, audiences.targetableIds);
  const standalone = generateStandaloneExperiments(ctx, audiences.targetableIds);
  const allExperiments = [...flags.experimentRules, ...standalone];
  ensureCoverage(ctx, allExperiments);
  const grouped = generateGroups(ctx, allExperiments, flags.groupCandidates);
  const holdouts = generateHoldouts(ctx, audiences.targetableIds, [
    ...flags.experimentRules.map((r) => r.id),
    ...flags.deliveryRuleIds,
  ]);

  const events: EventType[] = Array.from({ length: random.int(2, 6) }, (_, i) => ({
    id: ctx.ids.id(),
    key: i === 0 ? 'purchase' : `event_${i}`,
    experimentIds: random.sample(
      allExperiments.map((e) => e.id),
      random.int(0, 3),
    ),
  }));

  const integrations: Integration[] = [];
  if (resolved.odp) {
    integrations.push({
      key: 'odp',
      host: `https://odp-${random.int(1, 9)}.example.com`,
      publicKey: `W4${randomToken(random, 20)}`,
    });
  }
  if (random.chance(0.2)) integrations.push({ key: 'snowflake' });

  const datafile: GeneratedDatafile = {
    version: '4',
    accountId: ctx.ids.id(),
    projectId: ctx.ids.id(),
    revision: String(random.int(1, 9999)),
    sdkKey: randomToken(random, 22),
    environmentKey: random.pick(['production', 'development', 'staging']),
    anonymizeIP: random.chance(0.5),
    botFiltering: random.chance(0.5),
    sendFlagDecisions: random.chance(0.7),
    experiments: grouped.topLevel,
    groups: grouped.groups,
    featureFlags: flags.featureFlags,
    rollouts: flags.rollouts,
    audiences: audiences.audiences,
    typedAudiences: audiences.typedAudiences,
    attributes,
    events,
    integrations,
    holdouts: holdouts.holdouts,
    localHoldouts: holdouts.localHoldouts,
  };
  const region = random.weighted<'US' | 'EU' | undefined>([
    [2, 'US'],
    [1, 'EU'],
    [2, undefined],
  ]);
  if (region) datafile.region = region;
  if (random.chance(0.3)) datafile.variables = [];
  return datafile;
}
