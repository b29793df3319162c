import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake CDN received. */
export interface RecordedRequest {
  readonly method: string;
  /** The request target as sent: path plus query. */
  readonly url: string;
  readonly path: string;
  /** The sdk key named by the path, or undefined for paths the CDN does not serve. */
  readonly sdkKey: string | undefined;
  /** Header names are lower-case, as Node reports them. */
  readonly headers: IncomingHttpHeaders;
  /** `performance.now()` when the request arrived. */
  readonly at: number;
}

/**
 * A scripted stand-in for the Optimizely datafile CDN on 127.0.0.1. Any path ending in
 * `/<sdkKey>.json` serves that key's datafile (so `urlTemplate` overrides work); a path with an
 * `/auth/` segment is the authenticated variant. Responses carry `Last-Modified`; a matching
 * `If-Modified-Since` gets 304, and a key that was never published gets 403, like the real CDN.
 */
export interface FakeCdn {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `<origin>/datafiles/%s.json`, for the `urlTemplate` option. */
  readonly urlTemplate: string;
  /** `<origin>/datafiles/auth/%s.json`, the authenticated variant. */
  readonly authUrlTemplate: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Serves `datafile` (an object is JSON-encoded, a string sent as is) with a new Last-Modified. */
  publish(sdkKey: string, datafile: string | object): void;
  /** Makes the auth path answer 401 unless `Authorization: Bearer <token>` is sent. */
  requireToken(sdkKey: string, token: string): void;
  /** Answers the next `count` requests with `status` (default 500) and no datafile. */
  failNext(count: number, status?: number): void;
  /** Holds the next response for `ms` before sending it. */
  delayNext(ms: number): void;
  /** The requests for one sdk key. */
  requestsFor(sdkKey: string): RecordedRequest[];
  /** Resolves once `count` requests (for `sdkKey`, if given) have arrived; rejects after `timeoutMs`. */
  waitForRequests(
    count: number,
    options?: { sdkKey?: string; timeoutMs?: number },
  ): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

interface Published {
  body: string;
  lastModified: string;
}

// Fixed, distinct HTTP dates: HTTP dates have one-second resolution, so real clocks would give
// two publishes within a second the same Last-Modified.
const EPOCH = Date.UTC(2026, 0, 1);
const PATH = /^\/(?:.*\/)?([^/]+)\.json$/;

/** Starts a {@link FakeCdn} on an ephemeral port. */
export async function startFakeCdn(): Promise<FakeCdn> {
  const datafiles = new Map<string, Published>();
  const tokens = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const pendingDelays = new Set<ReturnType<typeof setTimeout>>();
  let publishCount = 0;
  let failuresLeft = 0;
  let failureStatus = 500;
  let nextDelayMs = 0;

  const respond = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): void => {
    const send = (): void => {
      // The client may have given up (timeout, stop) while the response was held.
      if (res.destroyed) return;
      res.writeHead(status, headers);
      res.end(body);
    };
    const delay = nextDelayMs;
    nextDelayMs = 0;
    if (delay <= 0) {
      send();
      return;
    }
    const handle = setTimeout(() => {
      pendingDelays.delete(handle);
      send();
    }, delay);
    pendingDelays.add(handle);
  };

  const server = createServer((req, res) => {
    res.on('error', () => {});
    const url = req.url ?? '';
    const path = url.split('?')[0] ?? '';
    const match = PATH.exec(path);
    const sdkKey = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    requests.push({
      method: req.method ?? '',
      url,
      path,
      sdkKey,
      headers: req.headers,
      at: performance.now(),
    });

    if (failuresLeft > 0) {
      failuresLeft--;
      return respond(res, failureStatus, { 'content-type': 'text/plain' }, 'scripted failure');
    }
    const published = sdkKey === undefined ? undefined : datafiles.get(sdkKey);
    if (sdkKey === undefined || !published) {
      return respond(
        res,
        403,
        { 'content-type': 'application/xml' },
        '<Error><Code>AccessDenied</Code></Error>',
      );
    }
    const token = tokens.get(sdkKey);
    if (path.includes('/auth/') && token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      return respond(res, 401, { 'content-type': 'text/plain' }, 'unauthorized');
    }
    if (req.headers['if-modified-since'] === published.lastModified) {
      return respond(res, 304, { 'last-modified': published.lastModified }, '');
    }
    respond(
      res,
      200,
      { 'content-type': 'application/json', 'last-modified': published.lastModified },
      published.body,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    urlTemplate: `${origin}/datafiles/%s.json`,
    authUrlTemplate: `${origin}/datafiles/auth/%s.json`,
    requests,
    publish(sdkKey, datafile) {
      publishCount++;
      datafiles.set(sdkKey, {
        body: typeof datafile === 'string' ? datafile : JSON.stringify(datafile),
        lastModified: new Date(EPOCH + publishCount * 1000).toUTCString(),
      });
    },
    requireToken(sdkKey, token) {
      tokens.set(sdkKey, token);
    },
    failNext(count, status = 500) {
      failuresLeft = count;
      failureStatus = status;
    },
    delayNext(ms) {
      nextDelayMs = ms;
    },
    requestsFor(sdkKey) {
      return requests.filter((r) => r.sdkKey === sdkKey);
    },
    async waitForRequests(count, { sdkKey, timeoutMs = 1500 } = {}) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const seen = sdkKey === undefined ? [...requests] : requests.filter((r) => r.sdkKey === sdkKey);
        if (seen.length >= count) return seen;
        if (performance.now() > deadline) {
          throw new Error(`Expected ${count} requests within ${timeoutMs} ms, saw ${seen.length}.`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const handle of pendingDelays) clearTimeout(handle);
      pendingDelays.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
