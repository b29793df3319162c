import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCdn, startFakeCdn } from '../../core/test-support/fake-cdn';
import { cmabRuleDatafile, startFakeCmabPrediction } from '../../core/test-support/fake-cmab-prediction';
import { ScriptedServer } from '../../event-processor/test-support/scripted-server';
import { FakeOdpServer } from '../../odp/test-support/fake-odp-server';
import { odpDatafile } from '../../odp/test-support/odp-datafile';
import { createInstance, type NodeClient } from './create-instance';

/** The ODP test datafile, with a conversion event and rollout impressions turned on. */
function datafile(revision: string, odp: { host: string; publicKey: string } | null = null) {
  return {
    ...odpDatafile(odp),
    revision,
    sendFlagDecisions: true,
    events: [{ id: 'event-purchase', key: 'purchase', experimentIds: [] }],
  };
}

function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(poll, 10);
    };
    poll();
  });
}

let cdn: FakeCdn;
let logx: ScriptedServer;
const clients: NodeClient[] = [];

function client(options: Parameters<typeof createInstance>[0]): NodeClient {
  const created = createInstance({ logger: 'none', ...options });
  clients.push(created);
  return created;
}

beforeEach(async () => {
  cdn = await startFakeCdn();
  logx = new ScriptedServer();
  await logx.listen();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await cdn.close();
  await logx.close();
});

describe('given a Node client with an SDK key', () => {
  it('polls, picks up a new revision and fires OPTIMIZELY_CONFIG_UPDATE', async () => {
    cdn.publish('key-1', datafile('1'));
    const c = client({ sdkKey: 'key-1', polling: { urlTemplate: cdn.urlTemplate, updateIntervalMs: 50 } });
    await c.onReady({ timeout: 5_000 });
    expect(c.getProjectConfig()?.revision).toBe('1');
    let updates = 0;
    c.notificationCenter.addNotificationListener('OPTIMIZELY_CONFIG_UPDATE', () => {
      updates++;
    });
    cdn.publish('key-1', datafile('2'));
    await waitFor(() => updates === 1);
    expect(c.getProjectConfig()?.revision).toBe('2');
  });

  it('sends If-Modified-Since and keeps its config on 304', async () => {
    cdn.publish('key-1', datafile('1'));
    const c = client({ sdkKey: 'key-1', polling: { urlTemplate: cdn.urlTemplate, updateIntervalMs: 30 } });
    await c.onReady({ timeout: 5_000 });
    const config = c.getProjectConfig();
    let updates = 0;
    c.notificationCenter.addNotificationListener('OPTIMIZELY_CONFIG_UPDATE', () => {
      updates++;
    });
    const requests = await cdn.waitForRequests(3, { sdkKey: 'key-1' });
    expect(requests[0]?.headers['if-modified-since']).toBeUndefined();
    expect(requests[1]?.headers['if-modified-since']).toMatch(/GMT$/);
    expect(c.getProjectConfig()).toBe(config);
    expect(updates).toBe(0);
  });

  it('backs off exponentially while the CDN answers 500, then becomes ready', async () => {
    cdn.publish('key-1', datafile('1'));
    cdn.failNext(4, 500);
    const c = client({
      sdkKey: 'key-1',
      polling: { urlTemplate: cdn.urlTemplate, updateIntervalMs: 60_000, initialBackoffMs: 40 },
    });
    await c.onReady({ timeout: 10_000 });
    const at = cdn.requestsFor('key-1').map((r) => r.at);
    expect(at).toHaveLength(5);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Waits of 40, 80, 160, 320 ms (plus jitter). A loaded machine can only make them longer, so
    // lower bounds are what can be asserted: a constant or missing backoff fails the later ones.
    const floors = [40, 80, 160, 320];
    for (const [i, floor] of floors.entries()) expect(gaps[i]!).toBeGreaterThanOrEqual(floor - 5);
  });

  it('sends the access token as a bearer header to the authenticated URL', async () => {
    cdn.publish('key-1', datafile('1'));
    cdn.requireToken('key-1', 'secret-token');
    const c = client({
      sdkKey: 'key-1',
      datafileAccessToken: 'secret-token',
      polling: { urlTemplate: cdn.authUrlTemplate },
    });
    await c.onReady({ timeout: 5_000 });
    const [request] = cdn.requestsFor('key-1');
    expect(request?.path).toContain('/auth/');
    expect(request?.headers.authorization).toBe('Bearer secret-token');
  });

  it('fails onReady at once on a rejected SDK key (403), not by timeout', async () => {
    const c = client({ sdkKey: 'no-such-key', polling: { urlTemplate: cdn.urlTemplate } });
    const started = performance.now();
    await expect(c.onReady({ timeout: 20_000 })).rejects.toMatchObject({ reason: 'config' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(c.createUserContext('u').decide('vip_banner').reasons.join(' ')).toMatch(/not configured/i);
  });
});

describe('given a Node client sending events', () => {
  it('delivers batches to logx and, on close, everything still queued', async () => {
    const c = client({ datafile: datafile('1'), events: { endpoint: logx.url(), batchSize: 5 } });
    await c.onReady({ timeout: 5_000 });
    for (let i = 0; i < 11; i++) c.createUserContext(`user-${i}`).decide('vip_banner');
    c.createUserContext('buyer').trackEvent('purchase', { revenue: 100 });
    // Two full batches go at once; the rest waits for the 30 s timer or close.
    await waitFor(() => logx.delivered.size === 10);
    expect(logx.requests).toBe(2);
    await c.close();
    expect(logx.delivered.size).toBe(12);
    expect(logx.requests).toBe(3);
    expect([...logx.delivered.values()].every((times) => times === 1)).toBe(true);
  });

  it('writes client_name node-sdk into events', async () => {
    const bodies: unknown[] = [];
    const c = client({ datafile: datafile('1'), events: { endpoint: logx.url() } });
    c.notificationCenter.addNotificationListener('LOG_EVENT', (event) => bodies.push(event.params));
    await c.onReady({ timeout: 5_000 });
    c.createUserContext('u').decide('vip_banner');
    await c.flush();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ client_name: 'node-sdk' });
  });

  it('sends nothing with eventProcessor: false', async () => {
    const c = client({ datafile: datafile('1'), eventProcessor: false });
    c.createUserContext('u').decide('vip_banner');
    await c.close();
    expect(logx.requests).toBe(0);
  });
});

describe('given a Node client whose datafile integrates ODP', () => {
  it('fetches segments from ODP and the segment audience flips the decision', async () => {
    const odp = await new FakeOdpServer().start();
    try {
      odp.addCustomer('fs_user_id', 'vip-user', ['vip']);
      odp.addCustomer('fs_user_id', 'plain-user', []);
      const c = client({
        datafile: datafile('1', { host: odp.host, publicKey: odp.apiKey }),
        eventProcessor: false,
      });
      await c.onReady({ timeout: 5_000 });
      const vip = c.createUserContext('vip-user');
      const plain = c.createUserContext('plain-user');
      expect(await vip.fetchQualifiedSegments()).toBe(true);
      expect(await plain.fetchQualifiedSegments()).toBe(true);
      expect(vip.decide('vip_banner').enabled).toBe(true);
      expect(plain.decide('vip_banner').enabled).toBe(false);
      expect(c.sendOdpEvent('purchased', undefined, { fs_user_id: 'vip-user' })).toEqual({ ok: true });
      await c.close();
      expect(odp.events.some((e) => e.action === 'purchased')).toBe(true);
    } finally {
      await odp.stop();
    }
  });

  it('refuses sendOdpEvent with odpNotEnabled when ODP is turned off', async () => {
    const c = client({
      datafile: datafile('1', { host: 'http://127.0.0.1:9', publicKey: 'k' }),
      odpManager: false,
    });
    await c.onReady({ timeout: 5_000 });
    expect(c.sendOdpEvent('x', undefined, { fs_user_id: 'u' })).toMatchObject({
      ok: false,
      reason: 'odpNotEnabled',
    });
  });
});

describe('given a Node client whose datafile has a CMAB rule', () => {
  it('asks the prediction service over undici in async decide, and reports cmab_uuid in the impression', async () => {
    const prediction = await startFakeCmabPrediction(() => 'v-b');
    try {
      const bodies: { visitors: { snapshots: { decisions: { metadata: { cmab_uuid?: string } }[] }[] }[] }[] =
        [];
      const c = client({
        datafile: cmabRuleDatafile(),
        cmab: { predictionEndpointTemplate: prediction.endpointTemplate },
        events: { endpoint: logx.url() },
      });
      c.notificationCenter.addNotificationListener('LOG_EVENT', (event) =>
        bodies.push(event.params as never),
      );
      const decision = await c.createUserContext('u1', { plan: 'pro' }).decideAsync('flag');
      expect(decision).toMatchObject({ variationKey: 'b', ruleKey: 'cmab_exp' });
      expect(prediction.requests).toHaveLength(1);
      await c.flush();
      const uuid = prediction.requests[0]!.body.instances[0]!.cmabUUID;
      expect(bodies[0]!.visitors[0]!.snapshots[0]!.decisions[0]!.metadata.cmab_uuid).toBe(uuid);
    } finally {
      await prediction.close();
    }
  });

  it('skips the CMAB rule with cmab: false', async () => {
    const c = client({ datafile: cmabRuleDatafile(), cmab: false, eventProcessor: false });
    const decision = await c.createUserContext('u1').decideAsync('flag');
    expect(decision.ruleKey).toBeNull();
  });
});

describe('given the Node client lifecycle', () => {
  it('supports Symbol.asyncDispose, which closes the client', async () => {
    const c = client({ datafile: datafile('1'), events: { endpoint: logx.url() } });
    await c.onReady({ timeout: 5_000 });
    c.createUserContext('u').decide('vip_banner');
    await c[Symbol.asyncDispose]();
    expect(logx.delivered.size).toBe(1);
    await expect(c.onReady()).rejects.toMatchObject({ reason: 'closed' });
  });

  it('never throws without a datafile or SDK key: error decisions and a rejected onReady', async () => {
    const c = client({});
    await expect(c.onReady({ timeout: 1_000 })).rejects.toMatchObject({ reason: 'config' });
    expect(c.createUserContext('u').decide('any').enabled).toBe(false);
  });
});
