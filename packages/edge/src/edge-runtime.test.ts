import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// A worker-like entry: a module-scope client, and a fetch handler that decides, tracks and hands
// the flush to waitUntil, as a Cloudflare Worker would.
const WORKER = `
import { createBatchEventProcessor, createInstance } from '@flagkit/edge';
let client;
globalThis.handle = async (request, ctx) => {
  client ??= createInstance({
    datafile: request.datafile,
    eventProcessor: createBatchEventProcessor({ endpoint: request.logx }),
  });
  await client.onReady({ timeout: 1000 });
  const user = client.createUserContext(request.userId);
  const decision = user.decide('banner');
  user.trackEvent('purchase', { revenue: 42 });
  ctx.waitUntil(client.flush());
  return { enabled: decision.enabled, variationKey: decision.variationKey };
};
`;

const DATAFILE = {
  version: '4',
  accountId: 'acc',
  projectId: 'proj',
  revision: '3',
  anonymizeIP: true,
  botFiltering: false,
  sendFlagDecisions: true,
  experiments: [],
  groups: [],
  attributes: [],
  audiences: [],
  integrations: [],
  events: [{ id: 'ev-1', key: 'purchase', experimentIds: [] }],
  featureFlags: [{ id: 'f', key: 'banner', rolloutId: 'r', experimentIds: [], variables: [] }],
  rollouts: [
    {
      id: 'r',
      experiments: [
        {
          id: 'rule',
          key: 'everyone',
          status: 'Running',
          layerId: 'l',
          audienceIds: [],
          variations: [{ id: '11', key: 'on', featureEnabled: true, variables: [] }],
          trafficAllocation: [{ entityId: '11', endOfRange: 10000 }],
          forcedVariations: {},
        },
      ],
    },
  ],
};

let logx: Server;
let logxUrl = '';
const bodies: string[] = [];

beforeAll(async () => {
  logx = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => logx.listen(0, '127.0.0.1', resolve));
  logxUrl = `http://127.0.0.1:${(logx.address() as AddressInfo).port}/v1/events`;
});

afterAll(async () => {
  logx.closeAllConnections();
  await new Promise((resolve) => logx.close(resolve));
});

describe('given the edge build in an isolate with only fetch-standard globals', () => {
  it('decides, tracks and delivers through waitUntil, with no Node or DOM API in reach', async () => {
    const bundle = await build({
      stdin: { contents: WORKER, resolveDir: packageDir, loader: 'js' },
      bundle: true,
      format: 'iife',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
      alias: { '@flagkit/edge': join(packageDir, 'dist', 'index.js') },
    });
    const code = bundle.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["']node:|XMLHttpRequest|localStorage|process\.env/);

    // What Workers and Vercel Edge offer, and nothing else: no process, Buffer, require, window.
    const isolate = createContext({
      fetch,
      AbortController,
      setTimeout,
      clearTimeout,
      crypto,
      TextEncoder,
      URL,
      console,
    });
    runInContext(code, isolate);
    const waitUntil: Promise<unknown>[] = [];
    const handle = runInContext('handle', isolate) as (
      request: unknown,
      ctx: { waitUntil(p: Promise<unknown>): void },
    ) => Promise<{ enabled: boolean; variationKey: string }>;
    const response = await handle(
      { datafile: JSON.stringify(DATAFILE), logx: logxUrl, userId: 'edge-user' },
      { waitUntil: (p) => waitUntil.push(p) },
    );
    expect(response).toEqual({ enabled: true, variationKey: 'on' });
    expect(runInContext('typeof process + typeof window + typeof Buffer', isolate)).toBe(
      'undefinedundefinedundefined',
    );
    await Promise.all(waitUntil);
    expect(bodies).toHaveLength(1);
    const batch = JSON.parse(bodies[0]!) as { visitors: { snapshots: { events: { key: string }[] }[] }[] };
    expect(batch.visitors.map((v) => v.snapshots[0]!.events[0]!.key)).toEqual([
      'campaign_activated',
      'purchase',
    ]);
  });
});
