import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchRequester } from './fetch-requester';

let server: Server;
let origin: string;
let handler: (req: IncomingMessage, body: string, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('given the fetch requester', () => {
  it('sends the request and resolves a settled response', async () => {
    let seen: unknown;
    handler = (req, body, res) => {
      seen = { method: req.method, key: req.headers['x-api-key'], body };
      res.writeHead(200, { 'x-revision': '7' });
      res.end('{"ok":true}');
    };
    const response = await createFetchRequester().request({
      url: `${origin}/v3/events`,
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: '[1]',
      timeoutMs: 2_000,
    });
    expect(seen).toEqual({ method: 'POST', key: 'k', body: '[1]' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-revision')).toBe('7');
    expect(await response.text()).toBe('{"ok":true}');
  });

  it('resolves 5xx and 4xx statuses', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(429);
      res.end();
    };
    const response = await createFetchRequester().request({
      url: origin,
      method: 'GET',
      headers: {},
      timeoutMs: 2_000,
    });
    expect(response.status).toBe(429);
  });

  it('rejects a response slower than the timeout, including a body that stalls', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200);
      res.write('partial');
      setTimeout(() => res.end('rest'), 3_000);
    };
    const started = performance.now();
    await expect(
      createFetchRequester().request({ url: origin, method: 'GET', headers: {}, timeoutMs: 150 }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it('rejects on a reset connection', async () => {
    handler = (req) => req.socket.destroy();
    await expect(
      createFetchRequester().request({ url: origin, method: 'GET', headers: {}, timeoutMs: 2_000 }),
    ).rejects.toThrow();
  });

  it('uses an injected fetch and passes keepalive through', async () => {
    const calls: { url: string; keepalive: boolean | undefined }[] = [];
    const requester = createFetchRequester({
      fetch: async (url, init) => {
        calls.push({ url, keepalive: init.keepalive });
        return { status: 204, headers: { get: () => null }, text: async () => '' };
      },
    });
    const response = await requester.request({
      url: 'https://example.invalid/x',
      method: 'POST',
      headers: {},
      body: '',
      timeoutMs: 1_000,
      keepalive: true,
    });
    expect(response.status).toBe(204);
    expect(calls).toEqual([{ url: 'https://example.invalid/x', keepalive: true }]);
  });
});
