// The stand-in services and the datafile store over real HTTP on 127.0.0.1.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatafileEditError, DatafileStore } from '../src/datafile-store';
import { type RunningDemo, startDemo } from '../src/demo';
import { SAMPLE_ODP_PUBLIC_KEY, SAMPLE_SDK_KEY, sampleProject } from '../src/sample-project';
import { ActivityLog } from '../src/shared/activity';

let demo: RunningDemo;

beforeAll(async () => {
  demo = await startDemo({ ports: { app: 0, cdn: 0, logx: 0, odp: 0 }, pollIntervalMs: 60_000 });
});

afterAll(() => demo?.close());

const segmentsQuery = (user: string, subset: string[]) =>
  JSON.stringify({
    query: `query {customer(fs_user_id : ${JSON.stringify(user)}) {audiences(subset: [${subset.map((s) => JSON.stringify(s)).join(',')}]) {edges {node {name state}}}}}`,
  });

describe('the CDN stand-in', () => {
  it('serves the datafile, answers 304 to If-Modified-Since, and 403 for another sdk key', async () => {
    const url = `${demo.cdnOrigin}/datafiles/${SAMPLE_SDK_KEY}.json`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const datafile = (await first.json()) as { integrations: { key: string; host: string }[] };
    expect(datafile.integrations).toEqual([
      { key: 'odp', host: demo.odpHost, publicKey: SAMPLE_ODP_PUBLIC_KEY },
    ]);
    const lastModified = first.headers.get('last-modified') ?? '';
    const again = await fetch(url, { headers: { 'if-modified-since': lastModified } });
    expect(again.status).toBe(304);
    expect((await fetch(`${demo.cdnOrigin}/datafiles/other-key.json`)).status).toBe(403);
  });
});

describe('the ODP stand-in', () => {
  const graphql = (body: string, apiKey = SAMPLE_ODP_PUBLIC_KEY) =>
    fetch(`${demo.odpHost}/v3/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body,
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

  it('answers a customer’s segments from the table', async () => {
    const { body } = await graphql(segmentsQuery('carol', ['vip', 'cart_abandoner']));
    expect(body).toEqual({
      data: {
        customer: {
          audiences: {
            edges: [
              { node: { name: 'vip', state: 'qualified' } },
              { node: { name: 'cart_abandoner', state: 'not_qualified' } },
            ],
          },
        },
      },
    });
  });

  it('answers InvalidIdentifierException for an unknown customer, and refuses a wrong key', async () => {
    const { body } = await graphql(segmentsQuery('nobody', ['vip']));
    const errors = body.errors as { extensions: { classification: string } }[];
    expect(errors[0]?.extensions.classification).toBe('InvalidIdentifierException');
    expect((await graphql(segmentsQuery('carol', ['vip']), 'wrong-key')).status).toBe(401);
  });

  it('records event batches and refuses what is not a JSON array', async () => {
    const post = (body: string) =>
      fetch(`${demo.odpHost}/v3/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': SAMPLE_ODP_PUBLIC_KEY },
        body,
      });
    expect((await post('{"not":"an array"}')).status).toBe(400);
    const event = {
      type: 'fullstack',
      action: 'unit_test',
      identifiers: { fs_user_id: 'u1' },
      data: { n: 1 },
    };
    expect((await post(JSON.stringify([event]))).status).toBe(202);
    const last = demo.activity.all().at(-1);
    expect(last).toMatchObject({ kind: 'odp-events', events: [event] });
  });
});

describe('the logx stand-in', () => {
  it('summarizes impressions and conversions, and refuses what is not a batch', async () => {
    const batch = {
      client_name: 'unit-test',
      visitors: [
        {
          visitor_id: 'v1',
          snapshots: [
            {
              decisions: [
                { metadata: { flag_key: 'dark_mode', rule_key: 'paying_customers', variation_key: 'on' } },
              ],
              events: [{ key: 'campaign_activated' }],
            },
            { events: [{ key: 'purchase', tags: { revenue: 100 } }] },
          ],
        },
      ],
    };
    const res = await fetch(demo.logxEndpoint, { method: 'POST', body: JSON.stringify(batch) });
    expect(res.status).toBe(204);
    expect(demo.activity.all().at(-1)).toMatchObject({
      kind: 'logx',
      clientName: 'unit-test',
      events: [
        {
          visitorId: 'v1',
          key: 'campaign_activated',
          flagKey: 'dark_mode',
          ruleKey: 'paying_customers',
          variationKey: 'on',
        },
        { visitorId: 'v1', key: 'purchase', tags: { revenue: 100 } },
      ],
    });
    expect((await fetch(demo.logxEndpoint, { method: 'POST', body: '[1,2]' })).status).toBe(400);
  });
});

describe('the server-side decisions API', () => {
  it('decides with @flagkit/node, honouring segments and forced decisions, and refuses a bad user', async () => {
    const decide = (body: unknown) =>
      fetch(`${demo.url}api/decide`, { method: 'POST', body: JSON.stringify(body) }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as {
          decisions: Record<string, { ruleKey: string | null; variationKey: string | null }>;
        },
      }));
    const vip = await decide({
      userId: 'carol',
      attributes: {},
      forcedDecisions: { checkout_redesign: 'one_page' },
      segments: ['vip'],
    });
    expect(vip.body.decisions.vip_lounge?.ruleKey).toBe('vip_segment');
    expect(vip.body.decisions.checkout_redesign?.variationKey).toBe('one_page');
    const plain = await decide({ userId: 'carol', attributes: {}, forcedDecisions: {}, segments: null });
    expect(plain.body.decisions.vip_lounge?.ruleKey).toBe('everyone_else_lounge');
    expect((await decide({ userId: 'x', attributes: { nested: { a: 1 } } })).status).toBe(400);
    expect((await decide({ attributes: {} })).status).toBe(400);
  });
});

describe('DatafileStore', () => {
  const store = () => new DatafileStore(sampleProject('http://127.0.0.1:1'), new ActivityLog());

  it('splits a rule’s new traffic evenly and bumps the revision and Last-Modified', () => {
    const s = store();
    const before = s.current();
    s.setTraffic('checkout_ab_test', 50);
    const datafile = JSON.parse(s.current().text) as {
      revision: string;
      experiments: { key: string; trafficAllocation: { endOfRange: number }[] }[];
    };
    expect(datafile.revision).toBe('2');
    expect(datafile.experiments[0]?.trafficAllocation.map((t) => t.endOfRange)).toEqual([2500, 5000]);
    expect(Date.parse(s.current().lastModified)).toBeGreaterThan(Date.parse(before.lastModified));
    expect(s.summary().rules.find((r) => r.ruleKey === 'checkout_ab_test')?.percent).toBe(50);
  });

  it('retargets a rule and refuses bad edits without changing the revision', () => {
    const s = store();
    s.setAudience('modern_app', null);
    expect(s.summary().rules.find((r) => r.ruleKey === 'modern_app')?.audienceId).toBeNull();
    expect(() => s.setTraffic('checkout_ab_test', 101)).toThrow(DatafileEditError);
    expect(() => s.setTraffic('no_such_rule', 10)).toThrow(DatafileEditError);
    expect(() => s.setAudience('everyone_else_lounge', '2001')).toThrow(/Everyone Else/);
    expect(() => s.setAudience('staff', '9999')).toThrow(DatafileEditError);
    expect(s.revision).toBe('2');
  });
});
