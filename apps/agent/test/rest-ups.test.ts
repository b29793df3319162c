import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentHarness, SDK_KEY, startAgentHarness } from './support/agent-harness';

/** A profile service of the user's own, on 127.0.0.1: GET lookups by query, POST saves. */
let ups: Server;
const stored = new Map<string, unknown>();
const requests: { method: string; url: string; body: string; auth: string | undefined }[] = [];
let h: AgentHarness;

beforeAll(async () => {
  ups = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body, auth: req.headers.authorization });
      const url = new URL(req.url ?? '/', 'http://ups');
      if (url.pathname === '/profiles/lookup') {
        const id = url.searchParams.get('uid') ?? '';
        const map = stored.get(id);
        res.writeHead(map ? 200 : 404, { 'content-type': 'application/json' });
        res.end(map ? JSON.stringify({ uid: id, experiment_bucket_map: map }) : '{}');
        return;
      }
      if (url.pathname === '/profiles/save') {
        const profile = JSON.parse(body) as { uid: string; experiment_bucket_map: unknown };
        stored.set(profile.uid, profile.experiment_bucket_map);
        res.writeHead(200).end('{}');
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => ups.listen(0, '127.0.0.1', resolve));
  const host = `http://127.0.0.1:${(ups.address() as AddressInfo).port}`;
  h = await startAgentHarness({
    config: {
      client: {
        userProfileService: {
          default: 'rest',
          services: {
            rest: {
              host,
              lookupPath: '/profiles/lookup',
              lookupMethod: 'GET',
              savePath: '/profiles/save',
              saveMethod: 'POST',
              userIDKey: 'uid',
              headers: { authorization: 'Bearer ups-token' },
            },
          },
        },
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
  ups.closeAllConnections();
  await new Promise<void>((resolve) => ups.close(() => resolve()));
});

const post = (path: string, body: unknown) =>
  fetch(`${h.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': SDK_KEY },
    body: JSON.stringify(body),
  });

describe('the rest user profile service', () => {
  it('saves new bucketings through the REST API and keeps decisions sticky from it', async () => {
    const first = await post('/v1/decide?keys=checkout', { userId: 'rest-user' });
    expect(((await first.json()) as { variationKey: string }).variationKey).toBe('treatment');
    expect(stored.get('rest-user')).toEqual({ 'exp-checkout': { variation_id: 'var-treatment' } });
    expect(requests.some((r) => r.method === 'GET' && r.url === '/profiles/lookup?uid=rest-user')).toBe(true);
    expect(requests.every((r) => r.auth === 'Bearer ups-token')).toBe(true);

    stored.set('rest-user', { 'exp-checkout': { variation_id: 'var-control' } });
    const second = await post('/v1/decide?keys=checkout', { userId: 'rest-user' });
    expect(((await second.json()) as { variationKey: string }).variationKey).toBe('control');
    const looked = await post('/v1/lookup', { userId: 'rest-user' });
    expect(await looked.json()).toEqual({
      userId: 'rest-user',
      experimentBucketMap: { 'exp-checkout': { variation_id: 'var-control' } },
    });
  });
});
