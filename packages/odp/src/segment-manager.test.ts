import type { SegmentsCache } from '@flagkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOdpServer, recordingLogger } from '../test-support/fake-odp-server';
import { createFetchRequester } from '../test-support/fetch-requester';
import { GraphqlSegmentsClient } from './graphql-segments-client';
import { createLruSegmentsCache } from './lru-segments-cache';
import type { OdpConfig } from './odp-config';
import { SegmentManager } from './segment-manager';

const SEGMENTS = ['has_email', 'push_on_sale', 'vip'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: FakeOdpServer;
let config: OdpConfig;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  server = await new FakeOdpServer().start();
  server.addCustomer('fs_user_id', 'alice', ['has_email', 'vip']);
  server.addCustomer('fs_user_id', 'bob', []);
  server.addCustomer('vuid', 'vuid_0123456789abcdef0123456789a', ['push_on_sale']);
  config = { apiHost: server.host, apiKey: server.apiKey, segmentsToCheck: SEGMENTS };
  logger = recordingLogger();
});
afterEach(() => server.stop());

function manager(cache: SegmentsCache = createLruSegmentsCache(), timeoutMs = 2_000): SegmentManager {
  const m = new SegmentManager(cache, new GraphqlSegmentsClient(createFetchRequester(), timeoutMs), logger);
  m.updateConfig(config);
  return m;
}

const errors = () => logger.lines.filter((l) => l.level === 'error').map((l) => l.message);

describe('SegmentManager against a fake ODP', () => {
  it('fetches the qualified subset with the public key, by fs_user_id or vuid', async () => {
    const m = manager();
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'bob')).toEqual([]);
    expect(await m.fetchQualifiedSegments('vuid', 'vuid_0123456789abcdef0123456789a')).toEqual([
      'push_on_sale',
    ]);
    const [first] = server.graphqlRequests;
    expect(first?.headers['x-api-key']).toBe(server.apiKey);
    expect(first?.headers['content-type']).toBe('application/json');
  });

  it('answers a second fetch from the cache (hit) and asks again for another user (miss)', async () => {
    const m = manager();
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    server.addCustomer('fs_user_id', 'alice', ['push_on_sale']); // ODP changed; the cache has not
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
    expect(server.graphqlRequests).toHaveLength(1);
    await m.fetchQualifiedSegments('fs_user_id', 'bob');
    expect(server.graphqlRequests).toHaveLength(2);
  });

  it('asks again once the entry expired', async () => {
    const m = manager(createLruSegmentsCache({ timeoutMs: 40 }));
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    server.addCustomer('fs_user_id', 'alice', ['push_on_sale']);
    await sleep(80);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['push_on_sale']);
    expect(server.graphqlRequests).toHaveLength(2);
  });

  it.each([
    ['size 0', { size: 0 }],
    ['timeout 0', { timeoutMs: 0 }],
  ])('caches nothing with %s', async (_, options) => {
    const m = manager(createLruSegmentsCache(options));
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    expect(server.graphqlRequests).toHaveLength(2);
  });

  it('IGNORE_CACHE neither reads nor writes the cache', async () => {
    const m = manager();
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    server.addCustomer('fs_user_id', 'alice', ['push_on_sale']);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice', ['IGNORE_CACHE'])).toEqual(['push_on_sale']);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
    expect(server.graphqlRequests).toHaveLength(2);
  });

  it('RESET_CACHE clears every user before fetching', async () => {
    const m = manager();
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    await m.fetchQualifiedSegments('fs_user_id', 'bob');
    server.addCustomer('fs_user_id', 'bob', ['vip']);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice', ['RESET_CACHE'])).toEqual([
      'has_email',
      'vip',
    ]);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'bob')).toEqual(['vip']);
    expect(server.graphqlRequests).toHaveLength(4);
  });

  it('RESET_CACHE also forgets a request in flight: it asks again, and its own answer is cached', async () => {
    const m = manager();
    const before = m.fetchQualifiedSegments('fs_user_id', 'alice');
    const after = m.fetchQualifiedSegments('fs_user_id', 'alice', ['RESET_CACHE']);
    expect(await Promise.all([before, after])).toEqual([
      ['has_email', 'vip'],
      ['has_email', 'vip'],
    ]);
    expect(server.graphqlRequests).toHaveLength(2);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
    expect(server.graphqlRequests).toHaveLength(2);
  });

  it('a new config resets the cache', async () => {
    const m = manager();
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    m.updateConfig({ ...config, segmentsToCheck: ['vip'] });
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['vip']);
    expect(server.graphqlRequests).toHaveLength(2);
  });

  it('concurrent fetches for one user share one request, and callers get their own arrays', async () => {
    const m = manager();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => m.fetchQualifiedSegments('fs_user_id', 'alice')),
    );
    expect(server.graphqlRequests).toHaveLength(1);
    for (const r of results) expect(r).toEqual(['has_email', 'vip']);
    results[0]?.push('mutated');
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
  });

  it('gives [] without a request when no audience uses segments', async () => {
    const m = manager();
    m.updateConfig({ ...config, segmentsToCheck: [] });
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual([]);
    expect(server.graphqlRequests).toHaveLength(0);
  });

  it('gives null, logged, when not integrated', async () => {
    const m = manager();
    m.updateConfig(null);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toBeNull();
    expect(logger.lines.some((l) => l.message.includes('ODP is not integrated'))).toBe(true);
  });

  describe('classifies and logs every failure, caching none', () => {
    it('invalid identifier: ODP does not know the user', async () => {
      const m = manager();
      expect(await m.fetchQualifiedSegments('fs_user_id', 'nobody')).toBeNull();
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(invalid identifier\)/);
    });

    it('network: the connection is cut', async () => {
      server.script('/v3/graphql', { destroy: true });
      expect(await manager().fetchQualifiedSegments('fs_user_id', 'alice')).toBeNull();
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(network error\)/);
    });

    it('network: nothing listens', async () => {
      await server.stop();
      expect(await manager().fetchQualifiedSegments('fs_user_id', 'alice')).toBeNull();
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(network error\)/);
      server = await new FakeOdpServer().start(); // for afterEach
    });

    it('timeout: no answer within the bound', async () => {
      server.script('/v3/graphql', { hang: true });
      const started = Date.now();
      expect(
        await manager(createLruSegmentsCache(), 150).fetchQualifiedSegments('fs_user_id', 'alice'),
      ).toBeNull();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(timeout\)/);
    });

    it('http: a 5xx status', async () => {
      server.script('/v3/graphql', { status: 503, body: 'unavailable' });
      expect(await manager().fetchQualifiedSegments('fs_user_id', 'alice')).toBeNull();
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(http error\): ODP answered HTTP 503/);
    });

    it('decode: a body that is not JSON', async () => {
      server.script('/v3/graphql', { status: 200, body: '<html>' });
      expect(await manager().fetchQualifiedSegments('fs_user_id', 'alice')).toBeNull();
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(decode error\)/);
    });

    it('decode: JSON of the wrong shape', async () => {
      server.script('/v3/graphql', {
        status: 200,
        body: '{"data":{"customer":{"audiences":{"edges":[{"x":1}]}}}}',
      });
      expect(await manager().fetchQualifiedSegments('fs_user_id', 'alice')).toBeNull();
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(decode error\)/);
    });

    it('other: another GraphQL error', async () => {
      server.script('/v3/graphql', {
        status: 200,
        body: JSON.stringify({
          errors: [
            { message: 'busy', locations: [], extensions: { classification: 'DataFetchingException' } },
          ],
        }),
      });
      const m = manager();
      expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toBeNull();
      expect(errors()[0]).toMatch(/^Audience segments fetch failed \(DataFetchingException\)/);
      // Nothing was cached: the next fetch asks again and succeeds.
      expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
    });
  });

  it('works with a user-supplied async cache, and treats a failing one as a miss', async () => {
    const store = new Map<string, readonly string[]>();
    const asyncCache: SegmentsCache = {
      lookup: async (key) => store.get(key),
      save: async (key, segments) => {
        store.set(key, segments);
      },
      reset: async () => store.clear(),
    };
    const m = manager(asyncCache);
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    expect(store.get('fs_user_id-$-alice')).toEqual(['has_email', 'vip']);
    expect(await m.fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
    expect(server.graphqlRequests).toHaveLength(1);

    const broken: SegmentsCache = {
      lookup: () => Promise.reject(new Error('redis down')),
      save: () => {
        throw new Error('redis down');
      },
      reset: () => {},
    };
    expect(await manager(broken).fetchQualifiedSegments('fs_user_id', 'alice')).toEqual(['has_email', 'vip']);
    expect(errors().filter((e) => e.includes('redis down'))).toHaveLength(2);
  });

  it('does not let a request started before a reset fill the cache after it', async () => {
    const m = manager();
    const pending = m.fetchQualifiedSegments('fs_user_id', 'alice');
    m.updateConfig({ ...config });
    await pending;
    await m.fetchQualifiedSegments('fs_user_id', 'alice');
    expect(server.graphqlRequests).toHaveLength(2);
  });
});
