import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with one request. */
export type Behaviour =
  | { readonly kind: 'ok' }
  | { readonly kind: 'status'; readonly status: number }
  /** Never answers: the request hangs until the client's timeout gives up on it. */
  | { readonly kind: 'hang' }
  /** Destroys the connection without answering. */
  | { readonly kind: 'reset' };

/**
 * A logx stand-in on 127.0.0.1 that fails in scripted ways. Requests take the script's behaviours
 * in order, then `ok`. A uuid counts as delivered when a 2xx response was written to a live
 * connection. (A 2xx the client gave up on just before it arrived would count too and look like a
 * duplicate; tests keep the client timeout far above a loaded machine's response time, and model
 * "slower than the timeout" with `hang`.)
 */
export class ScriptedServer {
  private server: Server;
  private script: Behaviour[] = [];
  /** uuid → times delivered (2xx written to a live connection). */
  readonly delivered = new Map<string, number>();
  /** uuids answered with a 4xx. */
  readonly rejected = new Set<string>();
  requests = 0;
  port = 0;

  constructor() {
    this.server = this.create();
  }

  private create(): Server {
    return createServer((req, res) => this.handle(req, res));
  }

  setScript(script: readonly Behaviour[]): void {
    this.script = script.slice();
  }

  url(): string {
    return `http://127.0.0.1:${this.port}/v1/events`;
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops every connection: the endpoint is down. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    this.server = this.create();
  }

  /** Listens again on the same port. */
  up(): Promise<void> {
    return this.listen(this.port);
  }

  close(): Promise<void> {
    return this.down();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests++;
      const uuids = uuidsOf(Buffer.concat(chunks).toString('utf8'));
      const behaviour = this.script.shift() ?? { kind: 'ok' };
      switch (behaviour.kind) {
        case 'ok':
          return this.answer(res, 200, uuids);
        case 'status':
          return this.answer(res, behaviour.status, uuids);
        case 'hang':
          return; // the client aborts; the connection closes without a response
        case 'reset':
          req.socket.destroy();
          return;
      }
    });
  }

  private answer(res: ServerResponse, status: number, uuids: readonly string[]): void {
    if (res.destroyed || res.socket?.destroyed) return;
    res.statusCode = status;
    res.end('{}');
    if (status >= 200 && status < 300) {
      for (const uuid of uuids) this.delivered.set(uuid, (this.delivered.get(uuid) ?? 0) + 1);
    } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      for (const uuid of uuids) this.rejected.add(uuid);
    }
  }
}

function uuidsOf(body: string): string[] {
  const batch = JSON.parse(body) as { visitors: { snapshots: { events: { uuid: string }[] }[] }[] };
  const uuids: string[] = [];
  for (const visitor of batch.visitors)
    for (const s of visitor.snapshots) for (const e of s.events) uuids.push(e.uuid);
  return uuids;
}

// One fetch-based test requester for every package's tests: core's.
export { createFetchRequester } from '../../core/test-support/fetch-requester';
