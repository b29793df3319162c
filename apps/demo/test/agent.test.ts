import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../src/demo';
import { ServerDecisions } from '../src/server-decisions';
import type { ServerDecideRequest, ServerDecideResponse } from '../src/shared/api';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let demo: RunningDemo;
let agent: { close(): Promise<void> };
let local: ServerDecisions;

beforeAll(async () => {
  const cdnPort = await freePort();
  const cdnTemplate = `http://127.0.0.1:${cdnPort}/datafiles/%s.json`;
  const { createAgent, loadConfig } = await import('@flagkit/agent');
  const running = createAgent({
    config: loadConfig({
      env: {},
      overrides: {
        api: { port: 0 },
        admin: { port: 0 },
        webhook: { port: 0 },
        client: {
          datafileURLTemplate: cdnTemplate,
          pollingInterval: 1_000,
          // The demo's key has a '-', which Agent's default key pattern refuses.
          sdkKeyRegex: '^[a-zA-Z0-9+/=_-]+(:[a-zA-Z0-9+/=_-]+)?$',
        },
        log: { level: 'none' },
      },
    }),
  });
  agent = running;
  const { api } = await running.start();
  demo = await startDemo({ ports: { app: 0, cdn: cdnPort, logx: 0, odp: 0 }, agentUrl: api });
  local = new ServerDecisions('flagkit-demo', cdnTemplate, 60_000);
  await local.ready(10_000);
}, 60_000);

afterAll(async () => {
  await local?.close();
  await demo?.close();
  await agent?.close();
});

describe('given the demo pointed at a FlagKit agent (--agent)', () => {
  it('shows the agent as the server and its decisions equal @flagkit/node’s', async () => {
    const config = (await (await fetch(`${demo.url}api/config`)).json()) as { serverLabel: string };
    expect(config.serverLabel).toMatch(/^agent at http:\/\/127\.0\.0\.1:\d+$/);
    const users: { userId: string; attributes: ServerDecideRequest['attributes'] }[] = [
      { userId: 'alice', attributes: { country: 'US', age: 34, plan: 'pro', beta_tester: true } },
      { userId: 'bob', attributes: { country: 'DE', age: 22, plan: 'free', app_version: '1.9.0' } },
    ];
    for (const user of users) {
      const request: ServerDecideRequest = { ...user, forcedDecisions: {}, segments: null };
      const response = await fetch(`${demo.url}api/decide`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(response.status).toBe(200);
      const viaAgent = (await response.json()) as ServerDecideResponse;
      const inProcess = local.decide(request);
      expect(Object.keys(viaAgent.decisions).length).toBeGreaterThan(3);
      expect(viaAgent.decisions).toEqual(inProcess.decisions);
      expect(viaAgent.revision).toBe(inProcess.revision);
    }
  });

  it('passes forced decisions through to the agent', async () => {
    const request = {
      userId: 'alice',
      attributes: { country: 'US' },
      forcedDecisions: { checkout_redesign: 'one_page' },
      segments: null,
    };
    const response = await fetch(`${demo.url}api/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const viaAgent = (await response.json()) as ServerDecideResponse;
    expect(viaAgent.decisions.checkout_redesign?.variationKey).toBe('one_page');
  });
});
