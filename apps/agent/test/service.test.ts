import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDatafile } from './support/agent-datafile';
import { type AgentHarness, SDK_KEY, startAgentHarness, waitFor } from './support/agent-harness';

let h: AgentHarness;

beforeAll(async () => {
  h = await startAgentHarness({
    config: { server: { allowedHosts: ['127.0.0.1', '.example.com'], bodyLimit: 2048 } },
  });
});

afterAll(async () => {
  await h?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': SDK_KEY, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** Opens the event stream and collects what arrives. */
function openStream(query: string) {
  const chunks: string[] = [];
  let status = 0;
  const url = new URL(`/v1/notifications/event-stream${query}`, h.api);
  const req = httpRequest(url, { headers: { 'x-optimizely-sdk-key': SDK_KEY } }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => chunks.push(chunk));
  });
  req.on('error', () => {});
  req.end();
  return {
    get status() {
      return status;
    },
    text: () => chunks.join(''),
    close: () => req.destroy(),
  };
}

describe('the notification stream', () => {
  it('streams decisions as SSE with Go field names, and keep-alive pings', async () => {
    const stream = openStream('');
    await waitFor(() => stream.status === 200);
    await post('/v1/decide?keys=checkout', { userId: 'sse-user' });
    await waitFor(() => stream.text().includes('sse-user'));
    const line = stream
      .text()
      .split('\n')
      .find((l) => l.startsWith('data: ') && l.includes('sse-user')) as string;
    const message = JSON.parse(line.slice('data: '.length));
    expect(message).toMatchObject({
      Type: 'flag',
      UserContext: { ID: 'sse-user', Attributes: {} },
      DecisionInfo: {
        flagKey: 'checkout',
        enabled: true,
        variationKey: 'treatment',
        ruleKey: 'checkout_test',
      },
    });
    await waitFor(() => stream.text().includes(': ping'));
    stream.close();
  });

  it('filters by type', async () => {
    const stream = openStream('?filter=track');
    await waitFor(() => stream.status === 200);
    await post('/v1/decide?keys=checkout', { userId: 'filtered-user' });
    await post('/v1/track?eventKey=purchase', { userId: 'filtered-user' });
    await waitFor(() => stream.text().includes('"EventKey":"purchase"'));
    expect(stream.text()).not.toContain('"Type":"flag"');
    stream.close();
  });
});

describe('the notification stream in raw mode', () => {
  it('writes one JSON object per line', async () => {
    const stream = openStream('?raw=true&filter=decision');
    await waitFor(() => stream.status === 200);
    await post('/v1/decide?keys=banner', { userId: 'raw-user' });
    await waitFor(() => stream.text().includes('raw-user'));
    const line = stream
      .text()
      .split('\n')
      .find((l) => l.includes('raw-user')) as string;
    expect(JSON.parse(line)).toMatchObject({ Type: 'flag', UserContext: { ID: 'raw-user' } });
    stream.close();
  });
});

describe('api.maxConns', () => {
  it('answers 429 while the limit is taken, and serves again once it is free', async () => {
    const limited = await startAgentHarness({ config: { api: { maxConns: 1 } } });
    try {
      const decide = () =>
        fetch(`${limited.api}/v1/decide?keys=banner`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': SDK_KEY },
          body: JSON.stringify({ userId: 'u' }),
        });
      expect((await decide()).status).toBe(200);
      // An open event stream holds the only slot.
      let opened = false;
      const stream = httpRequest(new URL('/v1/notifications/event-stream', limited.api), {
        headers: { 'x-optimizely-sdk-key': SDK_KEY },
      });
      stream.on('response', () => {
        opened = true;
      });
      stream.on('error', () => {});
      stream.end();
      await waitFor(() => opened);
      const refused = await decide();
      expect(refused.status).toBe(429);
      expect(await refused.text()).toBe('Server capacity exceeded.\n');
      stream.destroy();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await decide()).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('closing', () => {
  it('ends open event streams instead of waiting for them', async () => {
    const other = await startAgentHarness();
    const url = new URL('/v1/notifications/event-stream', other.api);
    let ended = false;
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, { headers: { 'x-optimizely-sdk-key': SDK_KEY } }, (res) => {
        res.on('end', () => {
          ended = true;
        });
        res.resume();
        resolve();
      });
      req.on('error', () => {});
      req.end();
    });
    await other.close();
    await waitFor(() => ended);
  });
});

describe('with notifications and overrides turned off', () => {
  let off: AgentHarness;
  beforeAll(async () => {
    off = await startAgentHarness({
      config: {
        api: { enableNotifications: false, enableOverrides: false },
        client: { userProfileService: { default: '' } },
      },
    });
  });
  afterAll(async () => {
    await off?.close();
  });

  it('has no user profile service by default, and X-Optimizely-UPS-Name picks one for a new key', async () => {
    const lookup = (sdkKey: string, headers: Record<string, string> = {}) =>
      fetch(`${off.api}/v1/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': sdkKey, ...headers },
        body: JSON.stringify({ userId: 'u' }),
      });
    const none = await lookup(SDK_KEY);
    expect(none.status).toBe(500);
    expect(await none.text()).toBe('{"error":"no user profile service found"}\n');
    off.cdn.publish('upsKey', agentDatafile('1', null));
    const chosen = await lookup('upsKey', { 'x-optimizely-ups-name': 'in-memory' });
    expect(await chosen.json()).toEqual({ userId: 'u', experimentBucketMap: {} });
    // The choice is made once, when the key's client is built.
    expect((await lookup(SDK_KEY, { 'x-optimizely-ups-name': 'in-memory' })).status).toBe(500);
  });

  it('answers both with Agent’s plain-text 403', async () => {
    const stream = await fetch(`${off.api}/v1/notifications/event-stream`, {
      headers: { 'x-optimizely-sdk-key': SDK_KEY },
    });
    expect(stream.status).toBe(403);
    expect(await stream.text()).toBe('Notification stream not enabled\n');
    const override = await fetch(`${off.api}/v1/override`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': SDK_KEY },
      body: JSON.stringify({ userId: 'u', experimentKey: 'legacy_exp', variationKey: 'a' }),
    });
    expect(override.status).toBe(403);
    expect(await override.text()).toBe('Overrides not enabled\n');
  });
});

describe('the HTTP surface', () => {
  it('answers health checks before any other check', async () => {
    const response = await fetch(`${h.api}/health`, { headers: { host: 'evil.test' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"ok"}\n');
  });

  it('refuses hosts not allowed, honours X-Forwarded-Host and subdomain suffixes', async () => {
    const refused = await post('/v1/decide', { userId: 'u' }, { 'x-forwarded-host': 'evil.test' });
    expect(refused.status).toBe(404);
    expect(await refused.text()).toBe('{"error":"invalid request host"}\n');
    const allowed = await post(
      '/v1/decide',
      { userId: 'u' },
      { 'x-forwarded-host': 'agent.example.com:443' },
    );
    expect(allowed.status).toBe(200);
  });

  it('echoes X-Request-Id or makes one', async () => {
    const echoed = await post('/v1/decide', { userId: 'u' }, { 'x-request-id': 'req-42' });
    expect(echoed.headers.get('x-request-id')).toBe('req-42');
    const made = await post('/v1/decide', { userId: 'u' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers CORS preflights and marks responses', async () => {
    const preflight = await fetch(`${h.api}/v1/decide`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-optimizely-sdk-key,content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('x-optimizely-sdk-key,content-type');
    const response = await post('/v1/decide', { userId: 'u' }, { origin: 'https://app.test' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses non-JSON bodies with a bare 415, unparsable JSON with 400, large bodies with 413', async () => {
    const form = await post('/v1/decide', 'userId=u', { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
    expect(await form.text()).toBe('');
    const broken = await post('/v1/decide', '{"userId":');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toBe('{"error":"error parsing request body"}\n');
    const large = await post('/v1/decide', { userId: 'u', userAttributes: { big: 'x'.repeat(4096) } });
    expect(large.status).toBe(413);
  });

  it('treats an empty body as {}', async () => {
    const response = await fetch(`${h.api}/v1/decide`, {
      method: 'POST',
      headers: { 'x-optimizely-sdk-key': SDK_KEY },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('{"error":"missing \\"userId\\" in request payload"}\n');
  });

  it('keeps a __proto__ attribute as data', async () => {
    const response = await post(
      '/v1/decide?keys=banner',
      '{"userId":"u","userAttributes":{"__proto__":{"polluted":1}}}',
    );
    expect(response.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the admin listener', () => {
  it('serves /info with Agent’s headers and /metrics as Prometheus text', async () => {
    const info = await fetch(`${h.admin}/info`);
    expect(info.headers.get('app-name')).toBe('flagkit-agent');
    expect(await info.json()).toMatchObject({ app_name: 'flagkit-agent', author: 'FlagKit' });
    await post('/v1/decide?keys=checkout', { userId: 'metrics-user' });
    const metrics = await fetch(`${h.admin}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(
      /flagkit_agent_http_requests_total\{method="POST",route="\/v1\/decide",status="200"\} \d+/,
    );
    expect(text).toContain('flagkit_agent_sdk_clients 1');
    // The decide above sent an impression: the event processor's counters are there.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = await (await fetch(`${h.admin}/metrics`)).text();
    expect(
      Number(/flagkit_agent_events_total\{outcome="dispatched"\} (\d+)/.exec(later)?.[1]),
    ).toBeGreaterThan(0);
    expect(later).toMatch(/flagkit_agent_event_queue_size \d+/);
  });
});
