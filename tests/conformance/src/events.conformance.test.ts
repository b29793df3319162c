/**
 * Wire conformance of events: for generated datafiles and users, every logx request FlagKit's
 * batch processor dispatches must be the same JSON text (key order included) as the official
 * SDK's batch processor sends for the same calls, uuid and timestamp aside. Covers impressions
 * from decideAll (every rule type, holdouts, rollouts with and without sendFlagDecisions) and
 * activate, conversions from track/trackEvent with revenue, value and other tags, attributes of
 * every kind (datafile ids, `$opt_` keys, invalid values, unknown keys), bot filtering on/off/absent,
 * anonymizeIP and the EU region. The official SDK batches too (batch size 10), so batch grouping
 * and the endpoint must agree as well.
 */
import {
  createInstance as createFlagKitInstance,
  type EventDispatcher as FlagKitDispatcher,
} from '@flagkit/core';
import type { GeneratedDatafile } from '@flagkit/datafile-generator';
import { Random } from '@flagkit/datafile-generator';
import {
  createBatchEventProcessor as createFlagKitBatchProcessor,
  createForwardingEventProcessor as createFlagKitForwardingProcessor,
  createRequesterDispatcher,
} from '@flagkit/event-processor';
import {
  createBatchEventProcessor,
  createForwardingEventProcessor,
  createInstance,
  createStaticProjectConfigManager,
  type EventDispatcher,
  type UserAttributes,
} from '@optimizely/optimizely-sdk';
import { describe, expect, it } from 'vitest';
import { type Attributes, CANDIDATE, copyAttributes } from './clients';
import { buildCorpus, type Scenario, SEED_OFFSET } from './corpus';

/** The calls the test makes, as both clients expose them. */
interface EventUserContext {
  decideAll(): unknown;
  trackEvent(eventKey: string, tags?: Record<string, unknown>): void;
}
interface EventClient {
  onReady(): Promise<unknown>;
  close(): unknown;
  createUserContext(userId: string, attributes?: Attributes): EventUserContext;
  activate(experimentKey: string, userId: string, attributes?: Attributes): unknown;
  track(eventKey: string, userId: string, attributes?: Attributes, tags?: Record<string, unknown>): void;
}

/** One request as sent: the URL, then the body text. */
type Captured = string;

const BATCH_SIZE = 10;
const FLUSH_INTERVAL = 600_000;

function capture(into: Captured[]): EventDispatcher & FlagKitDispatcher {
  return {
    dispatchEvent(logEvent) {
      into.push(`${logEvent.url} ${JSON.stringify(logEvent.params)}`);
      return Promise.resolve({ statusCode: 204 });
    },
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * FlagKit's side: records `JSON.stringify(params)` into `into` as {@link capture} does, and into
 * `wire` the body FlagKit's own requester dispatcher would send (written from cached fragments
 * without building `params`). The wire text is taken first: reading `params` hands it out, after
 * which the dispatcher stringifies it instead.
 */
function captureFlagKit(into: Captured[], wire: Captured[]): FlagKitDispatcher {
  // It takes bytes, as Node's undici requester does: the bytes FlagKit sends there, decoded
  // strictly (invalid UTF-8 throws), must be the reference's text.
  const wireDispatcher = createRequesterDispatcher({
    acceptsByteBody: true,
    request(request) {
      const body = request.body instanceof Uint8Array ? strictUtf8.decode(request.body) : request.body;
      wire.push(`${request.url} ${body}`);
      return Promise.resolve({ status: 204, headers: { get: () => null }, text: () => Promise.resolve('') });
    },
  });
  return {
    dispatchEvent(logEvent) {
      void wireDispatcher.dispatchEvent(logEvent);
      into.push(`${logEvent.url} ${JSON.stringify(logEvent.params)}`);
      return Promise.resolve({ statusCode: 204 });
    },
  };
}

/** Replaces what is random or clock-dependent; everything else must be identical. */
function normalise(request: Captured): Captured {
  return request
    .replace(/"uuid":"[0-9a-f-]{36}"/g, '"uuid":"<uuid>"')
    .replace(/"timestamp":\d+/g, '"timestamp":0');
}

/** How events are sent: batches of {@link BATCH_SIZE}, or one request per event. */
type Mode = 'batch' | 'forwarding';

async function openOfficialWithEvents(
  datafile: GeneratedDatafile,
  into: Captured[],
  mode: Mode = 'batch',
): Promise<EventClient> {
  const client = createInstance({
    projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }),
    eventProcessor:
      mode === 'batch'
        ? createBatchEventProcessor({
            eventDispatcher: capture(into),
            batchSize: BATCH_SIZE,
            flushInterval: FLUSH_INTERVAL,
          })
        : createForwardingEventProcessor(capture(into)),
  });
  if (!client) throw new Error('official createInstance returned null');
  await client.onReady();
  return {
    onReady: () => client.onReady(),
    close: () => client.close(),
    createUserContext: (userId, attributes) => {
      const context = client.createUserContext(userId, attributes as UserAttributes | undefined);
      return {
        decideAll: () => context.decideAll(),
        trackEvent: (key, tags) => context.trackEvent(key, tags as Parameters<typeof context.trackEvent>[1]),
      };
    },
    activate: (e, u, a) => client.activate(e, u, a as UserAttributes | undefined),
    track: (e, u, a, t) =>
      client.track(e, u, a as UserAttributes | undefined, t as Parameters<typeof client.track>[3]),
  };
}

async function openFlagKitWithEvents(
  datafile: GeneratedDatafile,
  into: Captured[],
  wire: Captured[],
  mode: Mode = 'batch',
): Promise<EventClient> {
  const client = createFlagKitInstance({
    datafile: structuredClone(datafile),
    // The official node entrypoint's engine and version, so the texts can be compared whole.
    clientName: 'node-sdk',
    clientVersion: '6.6.1',
    eventProcessor:
      mode === 'batch'
        ? createFlagKitBatchProcessor({
            eventDispatcher: captureFlagKit(into, wire),
            batchSize: BATCH_SIZE,
            flushInterval: FLUSH_INTERVAL,
          })
        : createFlagKitForwardingProcessor(captureFlagKit(into, wire)),
  });
  if (!client) throw new Error('FlagKit createInstance returned null');
  await client.onReady();
  return client as unknown as EventClient;
}

/** Tags covering revenue/value parsing (ints, floats, strings, junk) and ordinary tags. */
function randomTags(random: Random): Record<string, unknown> | undefined {
  if (random.chance(0.15)) return undefined;
  const tags: Record<string, unknown> = {};
  if (random.chance(0.6)) {
    tags.revenue = random.pick<unknown>([4200, 99.99, -5, '42', '0x1A', '12abc', 'abc', 0, 2 ** 40, null]);
  }
  if (random.chance(0.6)) {
    // Booleans are left out on purpose: core drops a boolean `value`, the reference sends it (see README).
    tags.value = random.pick<unknown>([3.5, 10, '2.75', '1e3', 'x', -0.25, 0, null]);
  }
  if (random.chance(0.5)) tags.category = random.pick(['shoes', 'hats', '']);
  if (random.chance(0.3)) tags.count = random.int(0, 100);
  if (random.chance(0.2)) tags.nested = { a: 1, b: ['x', true] };
  if (random.chance(0.2)) tags.$opt_event_properties = { color: 'red', size: 42 };
  if (random.chance(0.1)) tags.flag = random.chance(0.5);
  return tags;
}

/** The generator's attributes plus `$opt_` keys, unknown keys and values logx refuses. */
function eventAttributes(random: Random, attributes: Attributes): Attributes {
  const copy = copyAttributes(attributes);
  if (random.chance(0.4)) copy.$opt_user_agent = random.pick(['Mozilla/5.0', 'Googlebot/2.1']);
  if (random.chance(0.2)) copy.$opt_custom_reserved = random.pick<unknown>(['x', 7, false]);
  if (random.chance(0.3)) copy.not_in_datafile = 'dropped';
  if (random.chance(0.2)) copy.too_big = 2 ** 54;
  if (random.chance(0.2)) copy.an_object = { nested: true };
  if (random.chance(0.1)) copy.not_a_number = Number.NaN;
  return copy;
}

interface Variant {
  readonly name: string;
  readonly scenario: Scenario;
  readonly apply: (datafile: GeneratedDatafile) => void;
  readonly mode?: Mode;
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'US, bot filtering on, anonymizeIP on, sendFlagDecisions on',
    scenario: { seed: 1101 + SEED_OFFSET, flags: 20, users: 120 },
    apply: (d) =>
      Object.assign(d, { region: 'US', botFiltering: true, anonymizeIP: true, sendFlagDecisions: true }),
  },
  {
    name: 'EU, bot filtering off, anonymizeIP off, sendFlagDecisions off',
    scenario: { seed: 1202 + SEED_OFFSET, flags: 25, users: 120 },
    apply: (d) =>
      Object.assign(d, { region: 'EU', botFiltering: false, anonymizeIP: false, sendFlagDecisions: false }),
  },
  {
    name: 'no region, bot filtering absent, sendFlagDecisions on',
    scenario: { seed: 1303 + SEED_OFFSET, flags: 30, users: 120, quirks: false },
    apply: (d) => {
      delete d.region;
      delete (d as Partial<GeneratedDatafile>).botFiltering;
      d.sendFlagDecisions = true;
    },
  },
  {
    name: 'generated as is',
    scenario: { seed: 1404 + SEED_OFFSET, flags: 40, users: 120 },
    apply: () => {},
  },
  {
    name: 'forwarding processors (one request per event), generated as is',
    scenario: { seed: 1505 + SEED_OFFSET, flags: 20, users: 60 },
    apply: () => {},
    mode: 'forwarding',
  },
];

/** Drives one client through the same calls as the other, from the same seed. */
function drive(client: EventClient, corpus: ReturnType<typeof buildCorpus>, seed: number): void {
  const random = new Random(seed);
  const experimentKeys = corpus.datafile.experiments.map((e) => e.key);
  for (const group of corpus.datafile.groups) for (const e of group.experiments) experimentKeys.push(e.key);
  const eventKeys = corpus.datafile.events.map((e) => e.key);
  for (const user of corpus.users) {
    const attributes = eventAttributes(random, user.attributes);
    const context = client.createUserContext(user.userId, copyAttributes(attributes));
    context.decideAll();
    if (experimentKeys.length > 0 && random.chance(0.5)) {
      client.activate(random.pick(experimentKeys), user.userId, copyAttributes(attributes));
    }
    if (eventKeys.length > 0) {
      const tags = randomTags(random);
      client.track(
        random.pick(eventKeys),
        user.userId,
        copyAttributes(attributes),
        tags && structuredClone(tags),
      );
      if (random.chance(0.5)) {
        const more = randomTags(random);
        context.trackEvent(random.pick(eventKeys), more && structuredClone(more));
      }
    }
  }
}

describe.each(VARIANTS)('event wire conformance: $name', (variant) => {
  it('sends byte-identical logx batches (uuid and timestamp aside)', async () => {
    const corpus = buildCorpus(variant.scenario);
    variant.apply(corpus.datafile);
    const officialRequests: Captured[] = [];
    const candidateRequests: Captured[] = [];
    const candidateWire: Captured[] = [];
    const official = await openOfficialWithEvents(corpus.datafile, officialRequests, variant.mode);
    const candidate =
      CANDIDATE === 'official'
        ? await openOfficialWithEvents(corpus.datafile, candidateRequests, variant.mode)
        : await openFlagKitWithEvents(corpus.datafile, candidateRequests, candidateWire, variant.mode);
    const seed = variant.scenario.seed * 13 + 5;
    drive(official, corpus, seed);
    drive(candidate, corpus, seed);
    // The official processor enqueues after a microtask; closing sooner would lose its last events.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await official.close();
    await candidate.close();

    const expected = officialRequests.map(normalise);
    const actual = candidateRequests.map(normalise);
    // The corpus must reach what the test claims to cover.
    const all = expected.join('\n');
    expect(all).toContain('"key":"campaign_activated"');
    expect(all).toMatch(/"revenue":-?\d+/);
    expect(all).toContain('"tags":{');
    if (variant.name.startsWith('EU')) expect(all).toContain('https://eu.logx.optimizely.com/v1/events');
    if (variant.name.includes('bot filtering on')) expect(all).toContain('"$opt_bot_filtering"');
    if (variant.name.includes('bot filtering absent')) expect(all).not.toContain('"$opt_bot_filtering"');
    expect(expected.length).toBeGreaterThan(20);
    if (variant.mode === 'forwarding')
      for (const r of expected) expect(r.match(/"visitor_id"/g)).toHaveLength(1);

    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (expected[i] !== actual[i]) {
        expect.soft(actual[i], `request ${i} of ${expected.length}`).toBe(expected[i]);
        break;
      }
    }
    expect(actual.length).toBe(expected.length);
    // What FlagKit's own dispatcher puts on the wire is the same text.
    if (CANDIDATE !== 'official') expect(candidateWire.map(normalise)).toEqual(expected);
  });
});

describe('event wire conformance: coverage of rule types', () => {
  it('the corpus sends impressions of every rule type, with and without a variation id', async () => {
    const seen = new Set<string>();
    for (const variant of VARIANTS.slice(0, 2)) {
      const corpus = buildCorpus(variant.scenario);
      variant.apply(corpus.datafile);
      const requests: Captured[] = [];
      const client = await openOfficialWithEvents(corpus.datafile, requests);
      drive(client, corpus, variant.scenario.seed * 13 + 5);
      await new Promise((resolve) => setTimeout(resolve, 0));
      await client.close();
      for (const request of requests) {
        for (const m of request.matchAll(/"rule_type":"([a-z-]+)"/g)) seen.add(m[1]!);
        if (request.includes('"variation_id":null')) seen.add('variation_id null');
      }
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['experiment', 'feature-test', 'holdout', 'rollout']),
    );
  });
});
