/**
 * A fake ODP on 127.0.0.1 for the ODP conformance tests: records every request (path, headers,
 * body), answers `/v3/graphql` with a fixed set of qualified segments and `/v3/events` with 202.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export class OdpRecordingServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly qualified: readonly string[]) {}

  get host(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        this.requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (path === '/v3/graphql') {
          const edges = this.qualified.map((name) => ({ node: { name, state: 'qualified' } }));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { customer: { audiences: { edges } } } }));
        } else {
          res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Requests to `path`, in arrival order. */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Every event received on `/v3/events`, flattened over batches. */
  events(): Record<string, unknown>[] {
    return this.to('/v3/events').flatMap((r) => JSON.parse(r.body) as Record<string, unknown>[]);
  }

  /** Resolves once `count` events have arrived (the official SDK's close does not wait for its flush). */
  async waitForEvents(count: number, timeoutMs = 5_000): Promise<void> {
    const started = Date.now();
    while (this.events().length < count) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`only ${this.events().length}/${count} events arrived`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
