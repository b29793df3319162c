import {
  createInstance,
  type KeyValueStore,
  type OdpIntegration,
  type ProjectConfigManager,
} from '@flagkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOdpServer, recordingLogger } from '../test-support/fake-odp-server';
import { createFetchRequester } from '../test-support/fetch-requester';
import { odpDatafile } from '../test-support/odp-datafile';
import { createOdpManager } from './create-odp-manager';
import { OdpEventError } from './odp-event-error';
import type { OdpManagerOptions } from './odp-manager';
import { VUID_STORAGE_KEY } from './vuid';

let server: FakeOdpServer;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  server = await new FakeOdpServer().start();
  server.addCustomer('fs_user_id', 'alice', ['vip', 'has_email']);
  server.addCustomer('fs_user_id', 'bob', ['has_email']);
  logger = recordingLogger();
});
afterEach(() => server.stop());

function odp(options: Partial<OdpManagerOptions> = {}) {
  return createOdpManager({ requester: createFetchRequester(), logger, ...options });
}

function client(options: Partial<OdpManagerOptions> = {}, integrated = true) {
  const odpManager = odp(options);
  const datafile = odpDatafile(integrated ? { host: server.host, publicKey: server.apiKey } : null);
  return { odpManager, client: createInstance({ datafile, odpManager, logger }) };
}

function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (key) => data.get(key),
    set: (key, value) => {
      data.set(key, value);
    },
    remove: (key) => {
      data.delete(key);
    },
    keys: () => [...data.keys()],
  };
}

describe('ODP through the client, end to end', () => {
  it('decides a qualified-segment flag differently for a user ODP qualifies and one it does not', async () => {
    const { client: c } = client();
    await c.onReady();
    expect(c.isOdpIntegrated()).toBe(true);
    const alice = c.createUserContext('alice');
    const bob = c.createUserContext('bob');
    expect(alice.decide('vip_banner').enabled).toBe(false); // segments not fetched yet

    expect(await alice.fetchQualifiedSegments()).toBe(true);
    expect(await bob.fetchQualifiedSegments()).toBe(true);
    expect(alice.qualifiedSegments).toEqual(['vip', 'has_email']);
    expect(bob.qualifiedSegments).toEqual(['has_email']);
    expect(alice.isQualifiedFor('vip')).toBe(true);
    expect(bob.isQualifiedFor('vip')).toBe(false);

    const forAlice = alice.decide('vip_banner');
    const forBob = bob.decide('vip_banner');
    expect([forAlice.enabled, forAlice.ruleKey, forAlice.variationKey]).toEqual([true, 'vip_rule', 'on']);
    expect([forBob.enabled, forBob.ruleKey, forBob.variationKey]).toEqual([false, 'everyone_else', 'off']);

    // The query asked about exactly the datafile's qualified segments.
    expect(server.graphqlRequests[0]?.body).toContain('subset: [\\"vip\\",\\"has_email\\"]');
    await c.close();
  });

  it('fetchQualifiedSegments resolves false and clears the segments when the fetch fails', async () => {
    const { client: c } = client();
    await c.onReady();
    const nobody = c.createUserContext('nobody');
    nobody.qualifiedSegments = ['vip'];
    expect(await nobody.fetchQualifiedSegments()).toBe(false);
    expect(nobody.qualifiedSegments).toBeNull();
    await c.close();
  });

  it('passes IGNORE_CACHE and RESET_CACHE through', async () => {
    const { client: c } = client();
    await c.onReady();
    const alice = c.createUserContext('alice');
    await alice.fetchQualifiedSegments();
    await alice.fetchQualifiedSegments();
    expect(server.graphqlRequests).toHaveLength(1);
    await alice.fetchQualifiedSegments(['IGNORE_CACHE']);
    await alice.fetchQualifiedSegments(['RESET_CACHE']);
    expect(server.graphqlRequests).toHaveLength(3);
    await c.close();
  });

  it('sendOdpEvent is accepted, and close() delivers it with the default data', async () => {
    const { client: c } = client();
    await c.onReady();
    const result = c.sendOdpEvent(
      'purchased',
      undefined,
      new Map([
        ['FS-USER-ID', 'alice'],
        ['email', 'alice@example.com'],
      ]),
      new Map<string, string | number | boolean | null>([
        ['price', 50],
        ['data_source', 'my-app'],
      ]),
    );
    expect(result).toEqual({ ok: true });
    expect(server.events).toHaveLength(0); // batched, not yet sent
    await c.close();
    expect(server.events).toHaveLength(1);
    const [event] = server.events as [{ data: Record<string, unknown> } & Record<string, unknown>];
    expect(event.type).toBe('fullstack');
    expect(event.action).toBe('purchased');
    expect(event.identifiers).toEqual({ email: 'alice@example.com', fs_user_id: 'alice' });
    expect(event.data.idempotence_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(event.data).toMatchObject({ data_source_type: 'sdk', data_source: 'my-app', price: 50 });
    expect(typeof event.data.data_source_version).toBe('string');
  });

  it('works right after createInstance with a static datafile (no onReady needed)', async () => {
    const { client: c } = client();
    expect(c.sendOdpEvent('a', undefined, { fs_user_id: 'u' })).toEqual({ ok: true });
    await c.close();
    expect(server.events).toHaveLength(1);
  });

  it('returns a typed error naming the bad argument for invalid input, and sends nothing', async () => {
    const { client: c } = client();
    const result = c.sendOdpEvent('purchased', 'fullstack', { fs_user_id: 'u' }, { nested: {} as never });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('invalidInput');
    expect(result.error).toBeInstanceOf(OdpEventError);
    expect((result.error as OdpEventError).field).toBe('data');
    expect((result.error as OdpEventError).key).toBe('nested');
    expect(c.sendOdpEvent('', undefined, { fs_user_id: 'u' })).toMatchObject({
      ok: false,
      reason: 'invalidInput',
    });
    expect(c.sendOdpEvent('a')).toMatchObject({ ok: false, reason: 'invalidInput' });
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(3);
    await c.close();
    expect(server.events).toHaveLength(0);
  });

  it('refuses identifiers that throw when read as invalidInput, reporting the error', async () => {
    const errors: unknown[] = [];
    const odpManager = odp();
    const datafile = odpDatafile({ host: server.host, publicKey: server.apiKey });
    const c = createInstance({
      datafile,
      odpManager,
      logger,
      errorHandler: { handleError: (error) => errors.push(error) },
    });
    const identifiers = {
      get fs_user_id(): string {
        throw new Error('unreadable');
      },
    };
    expect(c.sendOdpEvent('a', undefined, identifiers)).toMatchObject({
      ok: false,
      reason: 'invalidInput',
      message: 'unreadable',
    });
    expect(errors).toEqual([new Error('unreadable')]);
    await c.close();
    expect(server.events).toHaveLength(0);
  });

  it('refuses with queueFull beyond the queue bound', async () => {
    const { client: c, odpManager } = client({ eventQueueSize: 2, eventBatchSize: 100 });
    const send = () => c.sendOdpEvent('a', undefined, { fs_user_id: 'u' });
    expect([send().ok, send().ok]).toEqual([true, true]);
    expect(send()).toMatchObject({ ok: false, reason: 'queueFull' });
    expect(odpManager.metrics()).toMatchObject({ queued: 2, rejectedQueueFull: 1 });
    await c.close();
    expect(odpManager.metrics()).toMatchObject({ queued: 0, sent: 2 });
  });

  describe('discards the event at once, logged, when it cannot be sent', () => {
    it('sdkNotReady: no datafile yet', async () => {
      const never: ProjectConfigManager = {
        start() {},
        onReady: () => new Promise(() => {}),
        getConfig: () => null,
        onUpdate: () => () => {},
        stop: () => Promise.resolve(),
      };
      const c = createInstance({ projectConfigManager: never, odpManager: odp(), logger });
      expect(c.sendOdpEvent('a', undefined, { fs_user_id: 'u' })).toMatchObject({
        ok: false,
        reason: 'sdkNotReady',
      });
      expect(
        logger.lines.some((l) => l.level === 'error' && /not configured properly yet/.test(l.message)),
      ).toBe(true);
      expect(await c.createUserContext('alice').fetchQualifiedSegments()).toBe(false);
      await c.close();
      expect(server.received).toHaveLength(0);
    });

    it('odpNotIntegrated: the datafile has no ODP integration', async () => {
      const { client: c } = client({}, false);
      await c.onReady();
      expect(c.isOdpIntegrated()).toBe(false);
      expect(c.sendOdpEvent('a', undefined, { fs_user_id: 'u' })).toMatchObject({
        ok: false,
        reason: 'odpNotIntegrated',
      });
      expect(await c.createUserContext('alice').fetchQualifiedSegments()).toBe(false);
      await c.close();
      expect(server.received).toHaveLength(0);
    });

    it('odpNotEnabled: no ODP manager', async () => {
      const c = createInstance({
        datafile: odpDatafile({ host: server.host, publicKey: server.apiKey }),
        logger,
      });
      expect(c.sendOdpEvent('a', undefined, { fs_user_id: 'u' })).toMatchObject({
        ok: false,
        reason: 'odpNotEnabled',
      });
      expect(await c.createUserContext('alice').fetchQualifiedSegments()).toBe(false);
      await c.close();
    });

    it('odpNotEnabled: ODP disabled by the user', async () => {
      const { client: c, odpManager } = client({ disabled: true, enableVuid: true });
      await c.onReady();
      expect(odpManager.isEnabled()).toBe(false);
      expect(c.sendOdpEvent('a', undefined, { fs_user_id: 'u' })).toMatchObject({
        ok: false,
        reason: 'odpNotEnabled',
      });
      expect(await c.createUserContext('alice').fetchQualifiedSegments()).toBe(false);
      expect(odpManager.getVuid()).toBeUndefined();
      await c.close();
      expect(server.received).toHaveLength(0);
    });
  });

  it('after close, sendOdpEvent refuses with closed', async () => {
    const { client: c } = client();
    await c.close();
    expect(c.sendOdpEvent('a', undefined, { fs_user_id: 'u' })).toMatchObject({
      ok: false,
      reason: 'closed',
    });
  });
});

describe('ODP config changes', () => {
  const integration = (host: string, segmentsToCheck = ['vip']): OdpIntegration => ({
    integrated: true,
    apiHost: host,
    apiKey: server.apiKey,
    pixelUrl: '',
    segmentsToCheck,
  });

  it('a changed config resets the segments cache and sends queued events to the old host first', async () => {
    const other = await new FakeOdpServer().start();
    other.addCustomer('fs_user_id', 'alice', []);
    try {
      const m = odp();
      m.start();
      m.updateConfig(integration(server.host));
      expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['vip']);
      m.sendEvent({ action: 'before', identifiers: { fs_user_id: 'alice' } });

      m.updateConfig(integration(server.host)); // unchanged: nothing happens
      expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['vip']);
      expect(server.graphqlRequests).toHaveLength(1);

      m.updateConfig({ ...integration(other.host), apiKey: other.apiKey });
      m.sendEvent({ action: 'after', identifiers: { fs_user_id: 'alice' } });
      expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual([]);
      await m.stop();
      expect(server.events.map((e) => e.action)).toEqual(['before']);
      expect(other.events.map((e) => e.action)).toEqual(['after']);
    } finally {
      await other.stop();
    }
  });

  it('an integration without host or key is not integrated', () => {
    const m = odp();
    m.updateConfig({ ...integration(''), apiHost: '' });
    expect(m.sendEvent({ action: 'a', identifiers: { e: 'x' } })).toMatchObject({
      ok: false,
      reason: 'odpNotIntegrated',
    });
  });
});

describe('VUID', () => {
  it('is off by default, and then a stored VUID is deleted', () => {
    const store = memoryStore({ [VUID_STORAGE_KEY]: 'vuid_0123456789abcdef0123456789a' });
    const m = odp({ vuidStore: store });
    m.start();
    expect(m.getVuid()).toBeUndefined();
    expect(store.data.has(VUID_STORAGE_KEY)).toBe(false);
  });

  it('is vuid_ and 27 hex digits, kept in the store and reused', () => {
    const store = memoryStore();
    const m = odp({ enableVuid: true, vuidStore: store });
    m.start();
    const vuid = m.getVuid();
    expect(vuid).toMatch(/^vuid_[0-9a-f]{27}$/);
    expect(store.data.get(VUID_STORAGE_KEY)).toBe(vuid);
    const again = odp({ enableVuid: true, vuidStore: store });
    again.start();
    expect(again.getVuid()).toBe(vuid);
  });

  it('loads from an async store before onReady resolves', async () => {
    const store = memoryStore({ [VUID_STORAGE_KEY]: 'vuid_0123456789abcdef0123456789a' });
    const slow: KeyValueStore = { ...store, get: async (key) => store.get(key) };
    const m = odp({ enableVuid: true, vuidStore: slow });
    m.start();
    await m.onReady();
    expect(m.getVuid()).toBe('vuid_0123456789abcdef0123456789a');
  });

  it('falls back to an in-memory VUID when the store fails, with a warning', async () => {
    const broken: KeyValueStore = {
      get: () => Promise.reject(new Error('blocked')),
      set: () => {
        throw new Error('quota');
      },
      remove: () => {},
      keys: () => [],
    };
    const m = odp({ enableVuid: true, vuidStore: broken });
    m.start();
    await m.onReady();
    expect(m.getVuid()).toMatch(/^vuid_[0-9a-f]{27}$/);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringContaining('blocked'),
      expect.stringContaining('quota'),
    ]);
  });

  it('client.getVuid(), client_initialized, identify linking user id and VUID, and contexts without an id', async () => {
    const { client: c } = client({ enableVuid: true });
    await c.onReady();
    const vuid = c.getVuid();
    expect(vuid).toMatch(/^vuid_[0-9a-f]{27}$/);
    c.createUserContext('alice');
    const anonymous = c.createUserContext();
    expect(anonymous.getUserId()).toBe(vuid);
    await new Promise((resolve) => setTimeout(resolve, 10)); // identify runs after onReady
    await c.close();
    expect(server.events.map((e) => [e.action, e.identifiers])).toEqual([
      ['client_initialized', { vuid }],
      ['identified', { fs_user_id: 'alice', vuid }],
    ]);
  });

  it('without a VUID, identify is not sent (one identifier links nothing), as in the official SDK', async () => {
    const { client: c } = client();
    await c.onReady();
    c.createUserContext('alice');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await c.close();
    expect(server.events).toHaveLength(0);
  });
});
