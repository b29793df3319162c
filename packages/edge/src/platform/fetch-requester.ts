import type { HttpRequest, HttpResponse, Requester } from '@flagkit/core';

/** The `fetch` function shape the requester needs; any standard fetch fits. */
export type FetchFunction = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal?: unknown;
    keepalive?: boolean;
  },
) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

// This requester does not set `acceptsByteBody`: a `fetch` passed in may only take text. Bytes given
// anyway are sent as the text they encode.
let decoder: { decode(input: Uint8Array): string } | undefined;
const textOf = (body: string | Uint8Array): string => {
  if (typeof body === 'string') return body;
  decoder ??= new TextDecoder();
  return decoder.decode(body);
};

/** Options for {@link createFetchRequester}. */
export interface FetchRequesterOptions {
  /** The fetch to use; default the global one, looked up per request (so polyfills installed later work). */
  readonly fetch?: FetchFunction;
}

/**
 * The HTTP port over the standard `fetch`: browsers, service workers, Cloudflare Workers, Vercel
 * Edge, Deno, Bun. The timeout aborts the whole exchange, body included, and the response body is
 * read before the promise resolves, so callers always see a settled response. Resolves for every
 * HTTP status; rejects only on network errors and timeouts.
 */
export function createFetchRequester(options: FetchRequesterOptions = {}): Requester {
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new Error(`Request timed out after ${request.timeoutMs} ms`)),
        request.timeoutMs,
      );
      try {
        const init = {
          method: request.method,
          headers: { ...request.headers },
          ...(request.body === undefined ? {} : { body: textOf(request.body) }),
          signal: controller.signal,
          ...(request.keepalive ? { keepalive: true } : {}),
        };
        // Called as a method of globalThis: some browsers reject a detached `fetch` (Illegal invocation).
        const response = await (options.fetch
          ? options.fetch(request.url, init)
          : (globalThis as unknown as { fetch: FetchFunction }).fetch(request.url, init));
        const body = await response.text();
        return { status: response.status, headers: response.headers, text: () => Promise.resolve(body) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
