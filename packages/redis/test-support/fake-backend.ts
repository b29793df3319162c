import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Optimizely CDN and ODP on 127.0.0.1. `GET /datafiles/<sdkKey>.json` serves the
 * published datafile; `POST /v3/graphql` answers a segments query from `segments` (user id →
 * qualified segment names) and counts the queries; `POST /v3/events` answers 202.
 */
export class FakeBackend {
  readonly datafiles = new Map<string, string>();
  readonly segments = new Map<string, readonly string[]>();
  graphqlRequests = 0;
  datafileRequests = 0;
  private server: Server | null = null;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const url = request.url ?? '';
        const datafile = /^\/datafiles\/([^/]+)\.json$/.exec(url);
        if (request.method === 'GET' && datafile) {
          this.datafileRequests++;
          const text = this.datafiles.get(datafile[1] as string);
          response.writeHead(text ? 200 : 403, { 'content-type': 'application/json' });
          response.end(text ?? '');
          return;
        }
        if (request.method === 'POST' && url === '/v3/graphql') {
          this.graphqlRequests++;
          const query = String((JSON.parse(body) as { query?: unknown }).query ?? '');
          const userId = /customer\(\w+ : "([^"]*)"\)/.exec(query)?.[1] ?? '';
          const qualified = this.segments.get(userId) ?? [];
          const edges = qualified.map((name) => ({ node: { name, state: 'qualified' } }));
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ data: { customer: { audiences: { edges } } } }));
          return;
        }
        response.writeHead(url === '/v3/events' ? 202 : 404);
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// One fetch-based test requester for every package's tests: core's.
export { createFetchRequester } from '../../core/test-support/fetch-requester';
