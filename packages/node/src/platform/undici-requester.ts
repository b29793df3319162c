import type { IncomingHttpHeaders } from 'node:http';
import type { HttpRequest, HttpResponse, Requester } from '@flagkit/core';
import type { Agent, Dispatcher } from 'undici';

// undici takes ~70 ms to import, five times the rest of FlagKit: load it on the first request, so
// importing @flagkit/node stays fast (cold start matters for CLIs, lambdas and test runners).
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => {
  undici ??= import('undici');
  return undici;
};

// zlib is loaded with the first compressed response, for the same reason: a cold import.
let zlib: Promise<typeof import('node:zlib')> | undefined;
const inflateWith = async (
  pick: (
    module: typeof import('node:zlib'),
  ) => (input: Buffer, callback: (error: Error | null, result: Buffer) => void) => void,
  raw: Buffer,
): Promise<string> => {
  zlib ??= import('node:zlib');
  const codec = pick(await zlib);
  return new Promise((resolve, reject) =>
    codec(raw, (error, result) => (error ? reject(error) : resolve(result.toString('utf8')))),
  );
};

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

/** A request URL split the way `Dispatcher.dispatch` takes it. */
interface Target {
  readonly url: string;
  readonly origin: string;
  readonly path: string;
}

/**
 * The Node HTTP port: undici with a keep-alive pool, `accept-encoding: gzip, deflate, br` and
 * transparent decompression. Every request is bounded by its `timeoutMs`, body included. Like every
 * {@link Requester} it resolves for any HTTP status and rejects only on network errors and timeouts.
 *
 * It talks to undici's `dispatch` directly instead of `undici.request`: no response stream and no
 * AbortSignal per request, which halves the CPU cost of a small request (event batches are many).
 */
export function createUndiciRequester(options: UndiciRequesterOptions = {}): NodeRequester {
  let ownAgent: Agent | undefined;
  // Set once undici is loaded; until then requests wait for the import.
  let dispatcher: Dispatcher | undefined = options.dispatcher;
  let loading: Promise<Dispatcher> | undefined;
  const loadDispatcher = (): Promise<Dispatcher> => {
    loading ??= loadUndici().then((module) => {
      ownAgent = new module.Agent({
        connections: options.connectionsPerOrigin ?? 16,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
        keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? 30_000, 30_000),
      });
      dispatcher = ownAgent;
      return ownAgent;
    });
    return loading;
  };
  let closed: Promise<void> | undefined;
  // Callers post to one or two URLs over and over; parse each once.
  let lastTarget: Target | undefined;
  // And often the same frozen headers object (the event dispatcher's is a constant): merge it once.
  // Only frozen ones are remembered by identity; another caller may change its object between calls.
  let lastHeaders: Readonly<Record<string, string>> | undefined;
  let lastMergedHeaders: Record<string, string> = {};

  const targetOf = (url: string): Target => {
    if (lastTarget?.url === url) return lastTarget;
    const parsed = new URL(url);
    lastTarget = { url, origin: parsed.origin, path: parsed.pathname + parsed.search };
    return lastTarget;
  };

  const headersOf = (headers: Readonly<Record<string, string>>): Record<string, string> => {
    if (headers === lastHeaders) return lastMergedHeaders;
    const merged = { 'accept-encoding': 'gzip, deflate, br', ...headers };
    if (Object.isFrozen(headers)) {
      lastHeaders = headers;
      lastMergedHeaders = merged;
    }
    return merged;
  };

  const requester: NodeRequester = {
    // undici writes a Uint8Array body to the socket as it is.
    acceptsByteBody: true,
    request(req: HttpRequest): Promise<HttpResponse> {
      if (closed) return Promise.reject(new Error('The requester is closed'));
      if (!dispatcher) return loadDispatcher().then(() => requester.request(req));
      const ready = dispatcher;
      return new Promise((resolve, reject) => {
        const target = targetOf(req.url);
        const collector = new ResponseCollector(resolve, reject, req.timeoutMs);
        try {
          ready.dispatch(
            {
              origin: target.origin,
              path: target.path,
              method: req.method,
              headers: headersOf(req.headers),
              body: req.body,
              headersTimeout: req.timeoutMs,
              bodyTimeout: req.timeoutMs,
            },
            collector,
          );
        } catch (error) {
          collector.onResponseError(undefined, error as Error);
        }
      });
    },
    close() {
      closed ??= (loading ?? Promise.resolve()).then(() => ownAgent?.close());
      return closed;
    },
  };
  return requester;
}

/**
 * Receives one response from undici: buffers the body, then settles with the decoded text. A
 * timer bounds the whole exchange; when it fires first the request is aborted and the promise
 * rejects at once, even if undici has not started the request yet.
 */
class ResponseCollector implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private settled = false;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly resolve: (response: HttpResponse) => void,
    private readonly reject: (error: Error) => void,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.timeOut(timeoutMs), timeoutMs);
    // Like AbortSignal.timeout: the socket keeps Node alive while it matters, the timer does not.
    this.timer.unref?.();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error('request timed out'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders) {
    this.status = status;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const chunks = this.chunks;
    const encoding = headerValue(this.headers['content-encoding'])?.trim().toLowerCase();
    // Most answers (logx's 204s) have no body at all: nothing to join or decode.
    if (chunks.length === 0) {
      this.resolve(new BufferedResponse(this.status, this.headers, ''));
      return;
    }
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (raw.length === 0 || !encoding || encoding === 'identity') {
      this.resolve(new BufferedResponse(this.status, this.headers, raw.toString('utf8')));
      return;
    }
    decode(raw, encoding).then(
      (body) => this.resolve(new BufferedResponse(this.status, this.headers, body)),
      this.reject,
    );
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.reject(error);
  }

  private timeOut(timeoutMs: number): void {
    if (this.settled) return;
    this.settled = true;
    const error = new Error(`request timed out after ${timeoutMs} ms`);
    this.controller?.abort(error);
    this.reject(error);
  }
}

/** A response whose body was read in full; also its own `headers` (one object per response). */
class BufferedResponse implements HttpResponse {
  constructor(
    readonly status: number,
    private readonly rawHeaders: IncomingHttpHeaders,
    private readonly body: string,
  ) {}

  get headers(): { get(name: string): string | null } {
    return this;
  }

  get(name: string): string | null {
    return headerValue(this.rawHeaders[name.toLowerCase()]);
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

async function decode(raw: Buffer, encoding: string): Promise<string> {
  if (encoding === 'gzip' || encoding === 'x-gzip') return inflateWith((z) => z.gunzip, raw);
  if (encoding === 'deflate') return inflateWith((z) => z.inflate, raw);
  if (encoding === 'br') return inflateWith((z) => z.brotliDecompress, raw);
  // An encoding we did not ask for: hand the bytes over as they are.
  return raw.toString('utf8');
}
