/**
 * ODP payload conformance: FlagKit (`@flagkit/odp`) and the official SDK 6.6.1 are pointed at the
 * same fake ODP server (the datafile's `odp` integration host) and make the same calls; what the
 * server receives must be the same. The only deliberate differences: GraphQL values are escaped
 * (shown separately), `idempotence_id` is random, and `data_source_version` is the SDK's version.
 */
import { createInstance as createFlagKit, type HttpRequest, type Requester } from '@flagkit/core';
import { createOdpManager as createFlagKitOdp } from '@flagkit/odp';
import {
  createInstance as createOfficial,
  createOdpManager as createOfficialOdp,
  createStaticProjectConfigManager,
} from '@optimizely/optimizely-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OdpRecordingServer } from './odp-recording-server';

const SEGMENTS = ['has_email', 'vip', 'push_on_sale'];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function datafile(host: string): string {
  const audiences = SEGMENTS.map((segment, i) => ({
    id: `aud-${i}`,
    name: segment,
    conditions: [
      'and',
      ['or', { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: segment }],
    ],
  }));
  return JSON.stringify({
    version: '4',
    accountId: 'acc',
    projectId: 'proj',
    revision: '1',
    sdkKey: 'sdk-key',
    environmentKey: 'production',
    anonymizeIP: true,
    botFiltering: false,
    experiments: [],
    groups: [],
    attributes: [],
    events: [],
    audiences: [],
    typedAudiences: audiences,
    integrations: [{ key: 'odp', host, publicKey: 'odp-public-key' }],
    featureFlags: [{ id: 'f1', key: 'flag', rolloutId: 'r1', experimentIds: [], variables: [] }],
    rollouts: [
      {
        id: 'r1',
        experiments: SEGMENTS.map((_, i) => ({
          id: `rule-${i}`,
          key: `rule_${i}`,
          status: 'Running',
          layerId: `layer-${i}`,
          audienceIds: [`aud-${i}`],
          variations: [{ id: `v${i}`, key: `v${i}`, featureEnabled: true, variables: [] }],
          trafficAllocation: [{ entityId: `v${i}`, endOfRange: 10000 }],
          forcedVariations: {},
        })),
      },
    ],
  });
}

const fetchRequester: Requester = {
  async request(request: HttpRequest) {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  },
};

/** The calls made on each SDK: the same user contexts, fetches and events. */
interface Calls {
  fetchFor: readonly string[];
  events: readonly [string, string | undefined, Map<string, string>, Map<string, unknown> | undefined][];
}

const CALLS: Calls = {
  fetchFor: ['user-1', 'vuid_0123456789abcdef0123456789a', 'user with spaces'],
  events: [
    [
      'purchased',
      'fullstack',
      new Map([
        ['fs_user_id', 'user-1'],
        ['email', 'a@example.com'],
      ]),
      new Map<string, unknown>([
        ['price', 50],
        ['item', 'shirt'],
      ]),
    ],
    ['viewed', undefined, new Map([['fs_user_id', 'user-2']]), undefined],
    [
      'clicked',
      '',
      new Map([
        ['FS-USER-ID', 'user-3'],
        ['email', 'b@example.com'],
      ]),
      new Map<string, unknown>([
        ['ok', true],
        ['none', null],
      ]),
    ],
    [
      'signed_up',
      'custom',
      new Map([
        ['email', 'c@example.com'],
        ['fs_user_id', 'user-4'],
      ]),
      new Map<string, unknown>([
        ['data_source', 'my-app'],
        ['count', -1.5],
      ]),
    ],
    [
      'n',
      'fullstack',
      new Map([['fs-user-id', 'user-5']]),
      new Map<string, unknown>([['idempotence_id', 'mine']]),
    ],
  ],
};

/** What each fetching user ended up with: the fetch result, its segments and the flag's decision. */
type Outcome = [fetched: boolean, segments: string[] | null, enabled: boolean, rule: string | null][];

async function runOfficial(server: OdpRecordingServer, calls: Calls): Promise<Outcome> {
  const client = createOfficial({
    projectConfigManager: createStaticProjectConfigManager({ datafile: datafile(server.host) }),
    odpManager: createOfficialOdp({}),
  });
  await client.onReady();
  const outcome: Outcome = [];
  for (const id of calls.fetchFor) {
    const user = client.createUserContext(id);
    if (!user) throw new Error('the official SDK refused a user context');
    const fetched = await user.fetchQualifiedSegments();
    const decision = user.decide('flag');
    outcome.push([fetched, user.qualifiedSegments, decision.enabled, decision.ruleKey]);
  }
  for (const [action, type, identifiers, data] of calls.events) {
    client.sendOdpEvent(action, type, identifiers, data as Map<string, string> | undefined);
  }
  await client.close();
  await server.waitForEvents(calls.events.length);
  return outcome;
}

async function runFlagKit(
  server: OdpRecordingServer,
  calls: Calls,
  dataSourceVersion?: string,
): Promise<Outcome> {
  const odpManager = createFlagKitOdp({
    requester: fetchRequester,
    ...(dataSourceVersion ? { dataSourceVersion } : {}),
  });
  const client = createFlagKit({ datafile: datafile(server.host), odpManager });
  await client.onReady();
  const outcome: Outcome = [];
  for (const id of calls.fetchFor) {
    const user = client.createUserContext(id);
    const fetched = await user.fetchQualifiedSegments();
    const decision = user.decide('flag');
    outcome.push([fetched, user.qualifiedSegments, decision.enabled, decision.ruleKey]);
  }
  for (const [action, type, identifiers, data] of calls.events) {
    expect(client.sendOdpEvent(action, type, identifiers, data as Map<string, string> | undefined)).toEqual({
      ok: true,
    });
  }
  await client.close();
  return outcome;
}

/** Events with `idempotence_id` checked (a UUID v4, or the caller's) and set aside. */
function withoutIdempotenceIds(events: Record<string, unknown>[]): Record<string, unknown>[] {
  return events.map((event) => {
    const data = { ...(event.data as Record<string, unknown>) };
    expect(data.idempotence_id === 'mine' || UUID_V4.test(String(data.idempotence_id))).toBe(true);
    data.idempotence_id = data.idempotence_id === 'mine' ? 'mine' : '<uuid>';
    return { ...event, data };
  });
}

describe('ODP requests: FlagKit vs the official SDK 6.6.1', () => {
  let official: OdpRecordingServer;
  let flagkit: OdpRecordingServer;
  beforeEach(async () => {
    official = await new OdpRecordingServer(['vip']).start();
    flagkit = await new OdpRecordingServer(['vip']).start();
  });
  afterEach(async () => {
    await official.stop();
    await flagkit.stop();
  });

  it('sends byte-identical GraphQL bodies and the same headers for the same users, with the same outcome', async () => {
    const theirOutcome = await runOfficial(official, CALLS);
    const ourOutcome = await runFlagKit(flagkit, CALLS, '6.6.1');
    // Both read the same answer the same way, and decide the segment-targeted flag alike.
    expect(ourOutcome).toEqual(theirOutcome);
    expect(ourOutcome[0]).toEqual([true, ['vip'], true, 'rule_1']);
    const ours = flagkit.to('/v3/graphql');
    const theirs = official.to('/v3/graphql');
    expect(ours).toHaveLength(CALLS.fetchFor.length);
    expect(ours.map((r) => r.body)).toEqual(theirs.map((r) => r.body));
    for (const [i, request] of ours.entries()) {
      expect(request.headers['x-api-key']).toBe('odp-public-key');
      expect(request.headers['x-api-key']).toBe(theirs[i]?.headers['x-api-key']);
      expect(request.headers['content-type']).toBe(theirs[i]?.headers['content-type']);
    }
    // The vuid-shaped id is asked about by vuid in both.
    expect(ours[1]?.body).toContain('customer(vuid : \\"vuid_0123456789abcdef0123456789a\\")');
  });

  it('sends the same ODP events (type, action, identifiers, data and key order), idempotence_id aside', async () => {
    await runOfficial(official, CALLS);
    await runFlagKit(flagkit, CALLS, '6.6.1');
    const theirs = withoutIdempotenceIds(official.events());
    const ours = withoutIdempotenceIds(flagkit.events());
    expect(ours).toHaveLength(CALLS.events.length);
    // Compared as JSON text, so key order counts too.
    expect(ours.map((e) => JSON.stringify(e))).toEqual(theirs.map((e) => JSON.stringify(e)));
    for (const request of flagkit.to('/v3/events')) {
      expect(request.headers['x-api-key']).toBe('odp-public-key');
      expect(request.headers['content-type']).toBe('application/json');
    }
    // No identify event from either: Node has no VUID, and one identifier links nothing.
    expect(ours.some((e) => e.action === 'identified')).toBe(false);
  });

  it('by default differs only in data_source_version (FlagKit sends its own version)', async () => {
    const calls: Calls = { fetchFor: [], events: [CALLS.events[0] as Calls['events'][number]] };
    await runOfficial(official, calls);
    await runFlagKit(flagkit, calls);
    const [theirs] = withoutIdempotenceIds(official.events()) as [{ data: Record<string, unknown> }];
    const [ours] = withoutIdempotenceIds(flagkit.events()) as [{ data: Record<string, unknown> }];
    expect(theirs.data.data_source).toBe('javascript-sdk');
    expect(ours.data.data_source).toBe('javascript-sdk');
    expect(theirs.data.data_source_version).toBe('6.6.1');
    expect({ ...ours, data: { ...ours.data, data_source_version: '6.6.1' } }).toEqual(theirs);
  });

  it('escapes a user id the official SDK would paste raw into its query (deliberate difference)', async () => {
    const hostile = 'x\\") {audiences(subset: [\\"all\\"]) {edges {node {name state}}}}} #';
    const id = 'user "quoted" \\ back';
    await runOfficial(official, { fetchFor: [id, hostile], events: [] });
    await runFlagKit(flagkit, { fetchFor: [id, hostile], events: [] });
    const queryOf = (body: string | undefined) => (JSON.parse(body ?? '') as { query: string }).query;
    const [ours1, ours2] = flagkit.to('/v3/graphql').map((r) => queryOf(r.body));
    // Ours: the GraphQL string literal decodes (JSON and GraphQL share these escapes) to the exact id.
    const literal = (query: string | undefined) =>
      /customer\(fs_user_id : ("(?:[^"\\]|\\.)*")\)/.exec(query ?? '')?.[1];
    expect(JSON.parse(literal(ours1) ?? 'null')).toBe(id);
    expect(JSON.parse(literal(ours2) ?? 'null')).toBe(hostile);
    // Theirs: the raw quotes end the literal early, so the query text is not what was meant.
    const [theirs1] = official.to('/v3/graphql').map((r) => r.body);
    expect(() => JSON.parse(theirs1 ?? '')).toThrow();
  });
});
