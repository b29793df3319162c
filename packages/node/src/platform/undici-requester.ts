import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { HttpRequest, HttpResponse, Requester } from '@flagkit/core';
import type { Agent, Dispatcher } from 'undici';

// undici takes ~70 ms to import, five times the rest of FlagKit: load it on the first request, so
// importing @flagkit/node stays fast (cold start matters for CLIs, lambdas and test runners).
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => {
  undici ??= import('undici');
  return undici;
};

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const brotliAsync = promisify(brotliDecompress);

/** Options for {@link createUndiciRequester}. */
export interface UndiciRequesterOptions {
  /** Sockets kept per origin; default 16. */
  readonly connectionsPerOrigin?: number;
  /** How long an idle keep-alive socket stays open; default 30 000 ms. */
  readonly keepAliveTimeoutMs?: number;
  /** Use this undici dispatcher instead of a private keep-alive `Agent` (e.g. a proxy agent). */
  readonly dispatcher?: Dispatcher;
}

/** A {@link Requester} that also owns sockets: `close()` ends them. */
export interface NodeRequester extends Requester {
  /** Closes the private connection pool (not a dispatcher passed in). Idempotent. */
  close(): Promise<void>;
}

/**
 * The Node HTTP port: undici with a keep-alive pool, `accept-encoding: gzip, deflate, br` and
 * transparent decompression. Every request is bounded by its `timeoutMs`, body included. Like every
 * {@link Requester} it resolves for any HTTP status and rejects only on network errors and timeouts.
 */
export function createUndiciRequester(options: UndiciRequesterOptions = {}): NodeRequester {
  let ownAgent: Agent | undefined;
  let closed: Promise<void> | undefined;
  const dispatcherFor = (module: typeof import('undici')): Dispatcher => {
    if (options.dispatcher) return options.dispatcher;
    ownAgent ??= new module.Agent({
      connections: options.connectionsPerOrigin ?? 16,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? 30_000, 30_000),
    });
    return ownAgent;
  };

  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const signal = AbortSignal.timeout(req.timeoutMs);
      const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...req.headers };
      if (closed) throw new Error('The requester is closed');
      const module = await loadUndici();
      const dispatcher = dispatcherFor(module);
      const response = await module.request(req.url, {
        method: req.method,
        headers,
        body: req.body,
        signal,
        dispatcher,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      // Read the body now, inside the timeout: callers see a settled response.
      const raw = Buffer.from(await response.body.arrayBuffer());
      const encoding = headerValue(response.headers['content-encoding'])?.trim().toLowerCase();
      const body = await decode(raw, encoding);
      return {
        status: response.statusCode,
        headers: { get: (name) => headerValue(response.headers[name.toLowerCase()]) },
        text: () => Promise.resolve(body),
      };
    },
    close() {
      closed ??= ownAgent ? ownAgent.close() : Promise.resolve();
      return closed;
    },
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

async function decode(raw: Buffer, encoding: string | undefined): Promise<string> {
  if (raw.length === 0 || !encoding || encoding === 'identity') return raw.toString('utf8');
  if (encoding === 'gzip' || encoding === 'x-gzip') return (await gunzipAsync(raw)).toString('utf8');
  if (encoding === 'deflate') return (await inflateAsync(raw)).toString('utf8');
  if (encoding === 'br') return (await brotliAsync(raw)).toString('utf8');
  // An encoding we did not ask for: hand the bytes over as they are.
  return raw.toString('utf8');
}
