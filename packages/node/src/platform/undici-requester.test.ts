import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciRequester } from './undici-requester';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let origin: string;
let handler: Handler;
const remotePorts = new Set<number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    remotePorts.add(req.socket.remotePort ?? 0);
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

describe('given the undici requester', () => {
  it('sends method, headers and body, and resolves status, headers and text', async () => {
    let seen: { method?: string; type?: string; body?: string; encoding?: string } = {};
    handler = (req, body, res) => {
      seen = {
        method: req.method,
        type: req.headers['content-type'],
        body,
        encoding: req.headers['accept-encoding'],
      };
      res.writeHead(201, { 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' });
      res.end('created');
    };
    const requester = createUndiciRequester();
    const response = await requester.request({
      url: `${origin}/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 2_000,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('Last-Modified')).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    expect(response.headers.get('x-missing')).toBeNull();
    expect(await response.text()).toBe('created');
    expect(seen).toEqual({
      method: 'POST',
      type: 'application/json',
      body: '{"a":1}',
      encoding: 'gzip, deflate, br',
    });
    await requester.close();
  });

  it('sends byte bodies as they are, text bodies as UTF-8, and the headers of each request', async () => {
    const seen: { body: string; length?: string; type?: string; trace?: string }[] = [];
    handler = (req, body, res) => {
      seen.push({
        body,
        length: req.headers['content-length'],
        type: req.headers['content-type'],
        trace: req.headers['x-trace'] as string | undefined,
      });
      res.writeHead(204);
      res.end();
    };
    const requester = createUndiciRequester();
    expect(requester.acceptsByteBody).toBe(true);
    const text = '{"name":"é😀"}';
    const bytes = new TextEncoder().encode(`xx${text}yy`).subarray(2, -2); // a view: only its bytes go out
    const json = Object.freeze({ 'content-type': 'application/json' });
    const mutable: Record<string, string> = { 'content-type': 'text/plain', 'x-trace': '1' };
    const send = (body: string | Uint8Array, headers: Readonly<Record<string, string>>) =>
      requester.request({ url: `${origin}/events`, method: 'POST', headers, body, timeoutMs: 2_000 });
    await send(bytes, json);
    await send(text, json);
    await send(text, mutable);
    mutable['x-trace'] = '2'; // the same object, changed: the request must carry what it holds now
    await send(bytes, mutable);
    await send(bytes, json);
    const length = String(Buffer.byteLength(text));
    expect(seen).toEqual([
      { body: text, length, type: 'application/json', trace: undefined },
      { body: text, length, type: 'application/json', trace: undefined },
      { body: text, length, type: 'text/plain', trace: '1' },
      { body: text, length, type: 'text/plain', trace: '2' },
      { body: text, length, type: 'application/json', trace: undefined },
    ]);
    await requester.close();
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decompresses %s bodies', async (encoding, compress) => {
    const text = JSON.stringify({ revision: '42', pad: 'x'.repeat(5_000) });
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-encoding': encoding });
      res.end(compress(Buffer.from(text)));
    };
    const requester = createUndiciRequester();
    const response = await requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 2_000 });
    expect(await response.text()).toBe(text);
    await requester.close();
  });

  it('resolves error statuses instead of rejecting', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(503);
      res.end('down');
    };
    const requester = createUndiciRequester();
    const response = await requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 2_000 });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('down');
    await requester.close();
  });

  it('rejects when the response is slower than the timeout, and within about that time', async () => {
    handler = (_req, _body, res) => {
      setTimeout(() => res.end('late'), 3_000);
    };
    const requester = createUndiciRequester();
    const started = performance.now();
    await expect(
      requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 100 }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_500);
    await requester.close();
  });

  it('rejects when the body stalls past the timeout', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    };
    const requester = createUndiciRequester();
    const started = performance.now();
    await expect(
      requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 150 }),
    ).rejects.toThrow(/timed out/);
    expect(performance.now() - started).toBeLessThan(900);
    await requester.close();
  });

  it('rejects a request still waiting for a socket once its timeout passes', async () => {
    const held: ServerResponse[] = [];
    handler = (_req, _body, res) => held.push(res);
    const requester = createUndiciRequester({ connectionsPerOrigin: 1 });
    const first = requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 2_000 });
    const started = performance.now();
    await expect(
      requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 100 }),
    ).rejects.toThrow(/timed out/);
    expect(performance.now() - started).toBeLessThan(900);
    for (const res of held) res.end('late');
    expect((await first).status).toBe(200);
    await requester.close();
  });

  it('rejects when the connection is reset', async () => {
    handler = (req) => {
      req.socket.destroy();
    };
    const requester = createUndiciRequester();
    await expect(
      requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 2_000 }),
    ).rejects.toThrow();
    await requester.close();
  });

  it('rejects when nothing listens on the port', async () => {
    const closedServer = createServer();
    await new Promise<void>((resolve) => closedServer.listen(0, '127.0.0.1', resolve));
    const port = (closedServer.address() as AddressInfo).port;
    await new Promise((resolve) => closedServer.close(resolve));
    const requester = createUndiciRequester();
    await expect(
      requester.request({ url: `http://127.0.0.1:${port}/`, method: 'GET', headers: {}, timeoutMs: 2_000 }),
    ).rejects.toThrow();
    await requester.close();
  });

  it('reuses keep-alive sockets instead of opening one per request', async () => {
    handler = (_req, _body, res) => res.end('ok');
    remotePorts.clear();
    const requester = createUndiciRequester();
    for (let i = 0; i < 20; i++) {
      const response = await requester.request({ url: origin, method: 'GET', headers: {}, timeoutMs: 2_000 });
      await response.text();
    }
    // undici may open a second socket while the first is being released; never one per request.
    expect(remotePorts.size).toBeLessThanOrEqual(2);
    await requester.close();
    await requester.close();
  });
});
