import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake ODP server received. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** What the server does with the next request to a path, instead of answering normally. */
export type Scripted =
  | { readonly status: number; readonly body?: string }
  | { readonly hang: true }
  | { readonly destroy: true };

/** The parsed customer(...) query: who was asked about, and for which segments. */
export interface ParsedQuery {
  readonly userKey: string;
  readonly userValue: string;
  readonly subset: string[];
}

/**
 * Reads the official SDK's query layout back: `query {customer(<key> : "<value>") {audiences(subset:
 * [...]) ...}}`. String literals are read with JSON's rules, which cover GraphQL's escapes.
 */
export function parseSegmentsQuery(body: string): ParsedQuery | null {
  let query: unknown;
  try {
    query = (JSON.parse(body) as { query?: unknown }).query;
  } catch {
    return null;
  }
  if (typeof query !== 'string') return null;
  const match =
    /^query \{customer\((\w+) : ("(?:[^"\\]|\\.)*")\) \{audiences\(subset: \[((?:"(?:[^"\\]|\\.)*",?)*)\]\) \{edges \{node \{name state\}\}\}\}\}$/.exec(
      query,
    );
  if (!match) return null;
  return {
    userKey: match[1] as string,
    userValue: JSON.parse(match[2] as string) as string,
    subset: JSON.parse(`[${match[3]}]`) as string[],
  };
}

/**
 * A fake ODP on 127.0.0.1: `/v3/graphql` answers from a customer → qualified-segments table
 * (unknown customers get ODP's InvalidIdentifierException), `/v3/events` records every batch and
 * answers 202. Scripted answers override the next requests to a path, in order.
 */
export class FakeOdpServer {
  readonly apiKey = 'odp-public-key';
  readonly received: ReceivedRequest[] = [];
  /** Customers by `<userKey>:<userValue>`, with the segments they qualify for. */
  readonly customers = new Map<string, readonly string[]>();
  private readonly scripts = new Map<string, Scripted[]>();
  private readonly hanging: ServerResponse[] = [];
  private server: Server | null = null;
  private port = 0;

  get host(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every event in every batch posted to `/v3/events`, in order. */
  get events(): Record<string, unknown>[] {
    return this.eventBatches.flat();
  }

  get eventBatches(): Record<string, unknown>[][] {
    return this.received
      .filter((r) => r.path === '/v3/events')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>[]);
  }

  get graphqlRequests(): ReceivedRequest[] {
    return this.received.filter((r) => r.path === '/v3/graphql');
  }

  addCustomer(userKey: string, userValue: string, segments: readonly string[]): void {
    this.customers.set(`${userKey}:${userValue}`, segments);
  }

  /** Answers the next requests to `path` with these, one each. */
  script(path: string, ...answers: Scripted[]): void {
    const queue = this.scripts.get(path) ?? [];
    queue.push(...answers);
    this.scripts.set(path, queue);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      this.received.push({ path, headers: req.headers, body });
      const scripted = this.scripts.get(path)?.shift();
      if (scripted) {
        if ('hang' in scripted) {
          this.hanging.push(res);
          return;
        }
        if ('destroy' in scripted) {
          req.socket.destroy();
          return;
        }
        res.writeHead(scripted.status, { 'content-type': 'application/json' });
        res.end(scripted.body ?? '');
        return;
      }
      if (req.headers['x-api-key'] !== this.apiKey) {
        res.writeHead(401).end('{"message":"bad api key"}');
        return;
      }
      if (path === '/v3/events') {
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"title":"Accepted"}');
        return;
      }
      if (path === '/v3/graphql') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer(body)));
        return;
      }
      res.writeHead(404).end();
    });
  }

  private answer(body: string): unknown {
    const query = parseSegmentsQuery(body);
    if (!query) {
      return {
        errors: [
          { message: 'Invalid query', locations: [], extensions: { classification: 'ValidationError' } },
        ],
        data: null,
      };
    }
    const qualified = this.customers.get(`${query.userKey}:${query.userValue}`);
    if (!qualified) {
      return {
        errors: [
          {
            message: `Exception while fetching data (/customer) : java.lang.RuntimeException: could not resolve _${query.userKey} = ${query.userValue}`,
            locations: [{ line: 2, column: 3 }],
            path: ['customer'],
            extensions: { classification: 'InvalidIdentifierException' },
          },
        ],
        data: { customer: null },
      };
    }
    const edges = query.subset.map((name) => ({
      node: { name, state: qualified.includes(name) ? 'qualified' : 'not_qualified' },
    }));
    return { data: { customer: { audiences: { edges } } } };
  }
}

/** A logger that keeps every line, for asserting on what was logged. */
export function recordingLogger(): {
  lines: { level: string; message: string }[];
  isEnabled(): boolean;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
} {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    isEnabled: () => true,
    log: (level, message) => {
      lines.push({ level, message });
    },
  };
}
