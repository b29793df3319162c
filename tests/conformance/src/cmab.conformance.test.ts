/**
 * CMAB conformance: both SDKs decide every flag with `decideAllAsync` against one fake prediction
 * service on 127.0.0.1, whose answers depend only on the request (rule, visitor, attributes): a
 * variation of the rule, a variation id the datafile lacks, a 500, or a body without predictions.
 * The decisions must be equal, with their reasons (every other user asks for them), the prediction requests
 * must be the same (cmabUUID aside), and so must the impressions each SDK sends, whose `cmab_uuid`
 * must be the UUID that SDK sent with the prediction request.
 */
import {
  createCmabService,
  createInstance as createFlagKitInstance,
  type EventDispatcher as FlagKitDispatcher,
} from '@flagkit/core';
import type { GeneratedDatafile } from '@flagkit/datafile-generator';
import { createBatchEventProcessor as createFlagKitBatchProcessor } from '@flagkit/event-processor';
import {
  createBatchEventProcessor,
  createInstance,
  createStaticProjectConfigManager,
  type EventDispatcher,
  OptimizelyDecideOption,
  type UserAttributes,
} from '@optimizely/optimizely-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeCmabPrediction,
  type PredictionRequest,
  startFakeCmabPrediction,
} from '../../../packages/core/test-support/fake-cmab-prediction';
import { createFetchRequester } from '../../../packages/core/test-support/fetch-requester';
import {
  type Attributes,
  CANDIDATE,
  copyAttributes,
  type DecideOptionName,
  type DecisionLike,
} from './clients';
import { buildCorpus, label, type Scenario, SEED_OFFSET } from './corpus';

const SCENARIOS: readonly Scenario[] = [
  { seed: 1301 + SEED_OFFSET, flags: 20, users: 60, cmabShare: 0.4 },
  { seed: 1302 + SEED_OFFSET, flags: 30, users: 60, cmabShare: 0.5, quirks: false },
];

/** FNV-1a: a deterministic pick from the request text. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The body as sent, with the one random part (the prediction's UUID) taken out. */
const withoutUuid = (request: PredictionRequest) =>
  request.text.replace(request.body.instances[0]!.cmabUUID, '<uuid>');

let service: FakeCmabPrediction;
/** Variation ids by rule id, of the datafile being decided. */
let variationIds = new Map<string, string[]>();

beforeAll(async () => {
  service = await startFakeCmabPrediction(() => 'unused');
  // The answer depends on the request alone, so both SDKs get the same answers.
  service.answer = (request) => {
    const h = hash(withoutUuid(request));
    const pick = h % 100;
    const ids = variationIds.get(request.body.instances[0]!.experimentId) ?? [];
    if (pick < 6) return { status: 500, body: {} };
    if (pick < 9) return { status: 200, body: { predictions: [] } };
    if (pick < 13 || ids.length === 0)
      return { status: 200, body: { predictions: [{ variation_id: 'not-in-datafile' }] } };
    return { status: 200, body: { predictions: [{ variation_id: ids[h % ids.length] }] } };
  };
});
afterAll(() => service.close());

const endpoint = () => service.endpointTemplate;

/** The prediction requests received since the last call, and forgets them. */
function takeRequests(): PredictionRequest[] {
  return service.requests.splice(0);
}

interface AsyncClient {
  onReady(): Promise<unknown>;
  close(): unknown;
  createUserContext(
    userId: string,
    attributes?: Attributes,
  ): {
    decideAllAsync(
      options?: DecideOptionName[],
    ): Promise<Record<string, DecisionLike & { reasons: readonly string[] }>>;
  };
}

function capture(into: string[]): EventDispatcher & FlagKitDispatcher {
  return {
    dispatchEvent(logEvent) {
      into.push(JSON.stringify(logEvent.params));
      return Promise.resolve({ statusCode: 204 });
    },
  };
}

async function openOfficial(datafile: GeneratedDatafile, events: string[]): Promise<AsyncClient> {
  const client = createInstance({
    projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }),
    eventProcessor: createBatchEventProcessor({
      eventDispatcher: capture(events),
      batchSize: 10,
      flushInterval: 600_000,
    }),
    cmab: { predictionEndpointTemplate: endpoint() },
  });
  if (!client) throw new Error('official createInstance returned null');
  await client.onReady();
  return {
    onReady: () => client.onReady(),
    close: () => client.close(),
    createUserContext: (userId, attributes) => {
      const context = client.createUserContext(userId, attributes as UserAttributes | undefined);
      return {
        decideAllAsync: (options) =>
          context.decideAllAsync(options?.map((name) => OptimizelyDecideOption[name])) as never,
      };
    },
  };
}

async function openCandidate(datafile: GeneratedDatafile, events: string[]): Promise<AsyncClient> {
  if (CANDIDATE === 'official') return openOfficial(datafile, events);
  const client = createFlagKitInstance({
    datafile: structuredClone(datafile),
    clientName: 'node-sdk',
    clientVersion: '6.6.1',
    eventProcessor: createFlagKitBatchProcessor({
      eventDispatcher: capture(events),
      batchSize: 10,
      flushInterval: 600_000,
    }),
    cmabService: createCmabService({
      requester: createFetchRequester(),
      predictionEndpointTemplate: endpoint(),
    }),
  });
  await client.onReady();
  return client as unknown as AsyncClient;
}

/**
 * The reasons as compared. Two documented differences of FlagKit's are evened out: it names a
 * holdout's variation and the holdout in that order (the reference swaps them), and it does not
 * repeat the holdout reasons the reference lists twice when `excludeTargetedDeliveries` applies.
 */
function comparableReasons(reasons: readonly string[]): readonly string[] | 'not compared' {
  if (reasons.some((reason) => reason.includes('has excludeTargetedDeliveries enabled')))
    return 'not compared';
  return reasons.map((reason) =>
    reason.replace(/is in variation \S+ of holdout \S+\.$/, 'is in a holdout variation.'),
  );
}

/** The fields compared: the decision's and its reasons (without INCLUDE_REASONS only error decisions have any). */
function comparable(
  decisions: Record<string, DecisionLike & { reasons: readonly string[] }>,
  reference: Record<string, DecisionLike & { reasons: readonly string[] }>,
) {
  return Object.fromEntries(
    Object.entries(decisions).map(([key, d]) => [
      key,
      {
        flagKey: d.flagKey,
        enabled: d.enabled,
        variationKey: d.variationKey,
        ruleKey: d.ruleKey,
        variables: d.variables,
        reasons:
          comparableReasons(reference[key]?.reasons ?? []) === 'not compared'
            ? 'not compared'
            : comparableReasons(d.reasons),
      },
    ]),
  );
}

/** Each impression's cmab_uuid must be one this SDK sent; then it is masked for comparison. */
function normalise(events: string[], uuids: ReadonlySet<string>): string[] {
  return events.map((text) =>
    text
      .replace(/"cmab_uuid":"([0-9a-f-]{36})"/g, (_, uuid: string) => {
        expect(uuids.has(uuid), `cmab_uuid ${uuid} was never sent to the prediction service`).toBe(true);
        return '"cmab_uuid":"<cmab>"';
      })
      .replace(/"uuid":"[0-9a-f-]{36}"/g, '"uuid":"<uuid>"')
      .replace(/"timestamp":\d+/g, '"timestamp":0'),
  );
}

describe('CMAB in decideAllAsync: FlagKit and the official SDK against one prediction service', () => {
  for (const scenario of SCENARIOS) {
    it(`agrees on decisions, prediction requests and impressions (${label(scenario)})`, async () => {
      const corpus = buildCorpus(scenario);
      variationIds = new Map(corpus.datafile.experiments.map((e) => [e.id, e.variations.map((v) => v.id)]));
      const cmabRules = corpus.datafile.experiments.filter((e) => e.cmab).length;
      expect(cmabRules, 'the datafile has CMAB rules').toBeGreaterThan(0);

      const officialEvents: string[] = [];
      const candidateEvents: string[] = [];
      const official = await openOfficial(corpus.datafile, officialEvents);
      const candidate = await openCandidate(corpus.datafile, candidateEvents);
      const officialUuids = new Set<string>();
      const candidateUuids = new Set<string>();
      let predicted = 0;
      let errors = 0;
      try {
        for (const [index, user] of corpus.users.entries()) {
          // Every other user asks for reasons, so the CMAB paths' reasons are compared too.
          const options: DecideOptionName[] = index % 2 === 1 ? ['INCLUDE_REASONS'] : [];
          takeRequests();
          const expected = await official
            .createUserContext(user.userId, copyAttributes(user.attributes))
            .decideAllAsync(options);
          const officialSeen = takeRequests();
          const actual = await candidate
            .createUserContext(user.userId, copyAttributes(user.attributes))
            .decideAllAsync(options);
          const candidateSeen = takeRequests();
          expect(comparable(actual, expected), `user ${user.userId}`).toEqual(comparable(expected, expected));
          const requests = (list: PredictionRequest[]) =>
            list.map((r) => `${r.path} ${withoutUuid(r)}`).sort();
          expect(requests(candidateSeen), `prediction requests for ${user.userId}`).toEqual(
            requests(officialSeen),
          );
          predicted += officialSeen.length;
          errors += Object.values(expected).filter((d) =>
            d.reasons.some((reason) => reason.startsWith('Failed to fetch CMAB data')),
          ).length;
          for (const r of officialSeen) officialUuids.add(r.body.instances[0]!.cmabUUID);
          for (const r of candidateSeen) candidateUuids.add(r.body.instances[0]!.cmabUUID);
        }
      } finally {
        await official.close();
        await candidate.close();
      }
      expect(predicted, 'some users reached a CMAB rule').toBeGreaterThan(10);
      expect(errors, 'some predictions failed').toBeGreaterThan(0);
      expect(normalise(candidateEvents, candidateUuids)).toEqual(normalise(officialEvents, officialUuids));
      expect(officialEvents.some((e) => e.includes('"cmab_uuid"'))).toBe(true);
    }, 120_000);
  }
});
