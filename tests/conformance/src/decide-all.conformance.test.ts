/**
 * decide* conformance: for every generated datafile and user, FlagKit's `decideAll()` must give
 * the same `{flagKey, enabled, variationKey, ruleKey, variables}` per flag as the official
 * `@optimizely/optimizely-sdk@6.6.1`. Also samples forced decisions and decide options, and
 * checks (on the official results alone) that the corpus reaches every part of the decision flow.
 */
import { Random } from '@flagkit/datafile-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANDIDATE,
  type ClientLike,
  copyAttributes,
  DECIDE_OPTION_NAMES,
  type DecisionLike,
  openCandidate,
  openOfficial,
  type UserContextLike,
} from './clients';
import { buildCorpus, type Corpus, DECIDE_SCENARIOS, label } from './corpus';
import { DiversityTally } from './diversity';
import { randomForcedDecisions } from './forced-decisions';
import { type CaseContext, MismatchLog, type ProjectedDecision, projectDecision } from './project-decision';

/** Across all scenarios, for the corpus-wide diversity checks at the end. */
const corpusTally = new DiversityTally();

function contextFor(client: ClientLike, corpus: Corpus, index: number): UserContextLike {
  const user = corpus.users[index];
  if (!user) throw new Error(`no user ${index}`);
  const ctx = client.createUserContext(user.userId, copyAttributes(user.attributes));
  ctx.qualifiedSegments = user.segments.slice();
  return ctx;
}

function caseFor(corpus: Corpus, index: number, check: string, details?: unknown): CaseContext {
  const user = corpus.users[index];
  return {
    seed: corpus.scenario.seed,
    check,
    userIndex: index,
    userId: user?.userId,
    attributes: user?.attributes,
    segments: user?.segments,
    details,
  };
}

function projectAll(decisions: { readonly [key: string]: DecisionLike }): Record<string, ProjectedDecision> {
  const out: Record<string, ProjectedDecision> = {};
  for (const [key, decision] of Object.entries(decisions)) out[key] = projectDecision(decision);
  return out;
}

describe.each(DECIDE_SCENARIOS)('decide conformance ($flags flags, seed $seed)', (scenario) => {
  const corpus = buildCorpus(scenario);
  let official: ClientLike;
  let candidate: Promise<ClientLike> | undefined;
  /** The official decideAll() result per user, computed once. */
  const baseline: Record<string, ProjectedDecision>[] = [];
  const tally = new DiversityTally();
  let officialMs = 0;

  const getCandidate = (): Promise<ClientLike> => {
    candidate ??= openCandidate(corpus.datafile);
    return candidate;
  };

  beforeAll(async () => {
    official = await openOfficial(corpus.datafile);
    const started = performance.now();
    for (let i = 0; i < corpus.users.length; i++) {
      const decisions = contextFor(official, corpus, i).decideAll();
      baseline.push(projectAll(decisions));
      for (const d of Object.values(decisions)) {
        tally.add(corpus.facts, d);
        corpusTally.add(corpus.facts, d);
      }
    }
    officialMs = performance.now() - started;
  });

  afterAll(async () => {
    await official?.close();
    if (candidate) await (await candidate.catch(() => undefined))?.close();
  });

  it('the official SDK accepts the datafile and its decisions are diverse', () => {
    const perThousandBy50 = officialMs / (corpus.users.length / 1000) / (Math.max(1, scenario.flags) / 50);
    console.info(
      `[${label(scenario)}] official decideAll: ${officialMs.toFixed(0)} ms ` +
        `(${perThousandBy50.toFixed(0)} ms per 1000 users x 50 flags)\n${tally.summary()}`,
    );
    expect(baseline).toHaveLength(corpus.users.length);
    expect(tally.total).toBe(corpus.users.length * scenario.flags);
    expect(
      tally.share('experiment', 'feature-rollout', 'mutex-group', 'overlapping-group'),
    ).toBeGreaterThanOrEqual(0.05);
    expect(tally.share('targeted-delivery', 'everyone-else')).toBeGreaterThanOrEqual(0.05);
    expect(tally.count('global-holdout')).toBeGreaterThan(0);
    expect(tally.enabled / tally.total).toBeGreaterThanOrEqual(0.05);
    expect(1 - tally.enabled / tally.total).toBeGreaterThanOrEqual(0.05);
    expect(tally.count('unknown')).toBe(0);
  });

  it(`${CANDIDATE === 'official' ? '[self-check] ' : ''}decideAll() agrees for every user`, async () => {
    const client = await getCandidate();
    const log = new MismatchLog();
    for (let i = 0; i < corpus.users.length; i++) {
      const decisions = contextFor(client, corpus, i).decideAll();
      log.compareDecisionMaps(caseFor(corpus, i, 'decideAll'), baseline[i] ?? {}, decisions);
    }
    expect(log.count, log.report()).toBe(0);
  });

  it('decideAll() with forced decisions agrees', async () => {
    const client = await getCandidate();
    const log = new MismatchLog();
    for (let i = 0; i < corpus.users.length; i += 4) {
      const forced = randomForcedDecisions(new Random(scenario.seed * 100_003 + i), corpus.facts);
      const o = contextFor(official, corpus, i);
      const c = contextFor(client, corpus, i);
      for (const f of forced) {
        log.compare(
          caseFor(corpus, i, 'setForcedDecision', f),
          'return',
          o.setForcedDecision(f.context, f.decision),
          c.setForcedDecision(f.context, f.decision),
        );
      }
      log.compareDecisionMaps(caseFor(corpus, i, 'decideAll+forced', forced), o.decideAll(), c.decideAll());
      for (const f of forced) {
        log.compareDecisions(
          caseFor(corpus, i, 'decide+forced', forced),
          f.context.flagKey,
          o.decide(f.context.flagKey),
          c.decide(f.context.flagKey),
        );
      }
    }
    expect(log.count, log.report()).toBe(0);
  });

  it('decide options (ENABLED_FLAGS_ONLY, EXCLUDE_VARIABLES, ...) and decideForKeys/decide agree', async () => {
    const client = await getCandidate();
    const log = new MismatchLog();
    const flagKeys = corpus.facts.flags.map((f) => f.key);
    for (let i = 1; i < corpus.users.length; i += 4) {
      const random = new Random(scenario.seed * 200_003 + i);
      const options = random.subset(DECIDE_OPTION_NAMES, 0.4);
      const o = contextFor(official, corpus, i);
      const c = contextFor(client, corpus, i);
      log.compareDecisionMaps(
        caseFor(corpus, i, 'decideAll(options)', options),
        o.decideAll(options),
        c.decideAll(options),
      );
      const keys = random.sample(flagKeys, random.int(0, 4));
      if (random.chance(0.3)) keys.push('no_such_flag');
      log.compareDecisionMaps(
        caseFor(corpus, i, 'decideForKeys', { keys, options }),
        o.decideForKeys(keys, options),
        c.decideForKeys(keys, options),
      );
      const key = flagKeys.length > 0 && random.chance(0.9) ? random.pick(flagKeys) : 'no_such_flag';
      log.compareDecisions(
        caseFor(corpus, i, 'decide', { key, options }),
        key,
        o.decide(key, options),
        c.decide(key, options),
      );
    }
    expect(log.count, log.report()).toBe(0);
  });
});

describe('corpus diversity (official SDK only)', () => {
  it('reaches every decision path across the corpus', () => {
    console.info(`[whole corpus]\n${corpusTally.summary()}`);
    expect(corpusTally.share('experiment')).toBeGreaterThanOrEqual(0.05);
    expect(corpusTally.share('targeted-delivery')).toBeGreaterThanOrEqual(0.05);
    expect(corpusTally.share('everyone-else')).toBeGreaterThanOrEqual(0.05);
    expect(corpusTally.count('feature-rollout')).toBeGreaterThan(0);
    expect(corpusTally.count('mutex-group')).toBeGreaterThan(0);
    expect(corpusTally.count('overlapping-group')).toBeGreaterThan(0);
    expect(corpusTally.count('global-holdout')).toBeGreaterThan(0);
    expect(corpusTally.count('local-holdout')).toBeGreaterThan(0);
    expect(corpusTally.count('none')).toBeGreaterThan(0);
    expect(corpusTally.nonDefaultVariables / corpusTally.total).toBeGreaterThanOrEqual(0.05);
  });
});
