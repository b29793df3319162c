import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles the test page's script over the built package, as an app would ship it. */
export async function bundlePageScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'page-entry.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: { '@flagkit/browser': join(here, '..', 'dist', 'index.js') },
  });
  return result.outputFiles[0]!.text;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Serves the test page and its script on its own origin. */
export async function startPageServer(script: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>FlagKit test page</title><script type="module" src="/app.js"></script>');
  });
  const origin = await listen(server);
  return { origin, close: () => close(server) };
}

/** One request logx received. */
export interface LogxRequest {
  readonly contentType: string | undefined;
  readonly uuids: readonly string[];
}

/**
 * A logx stand-in on another origin (so CORS is real): records every batch, answers CORS
 * preflights, and can be "down" (503 for every batch).
 */
export class FakeLogx {
  readonly requests: LogxRequest[] = [];
  down = false;
  private server: Server = createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    this.url = `${await listen(this.server)}/v1/events`;
    return this;
  }

  close(): Promise<void> {
    return close(this.server);
  }

  /** uuid → times delivered with a 2xx. */
  delivered(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.requests)
      for (const uuid of request.uuids) counts.set(uuid, (counts.get(uuid) ?? 0) + 1);
    return counts;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (this.down) {
        res.writeHead(503, cors).end();
        return;
      }
      const batch = JSON.parse(body) as { visitors: { snapshots: { events: { uuid: string }[] }[] }[] };
      const uuids = batch.visitors.flatMap((v) => v.snapshots.flatMap((s) => s.events.map((e) => e.uuid)));
      this.requests.push({ contentType: req.headers['content-type'], uuids });
      res.writeHead(204, cors).end();
    });
  }
}
