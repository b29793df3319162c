import type { HttpRequest, HttpResponse, Requester } from '../src/ports/requester';

/**
 * A minimal {@link Requester} over Node's global `fetch`, for tests. The timeout covers the
 * whole exchange, body included, because the abort signal also cancels reading the body.
 */
export function createFetchRequester(): Requester {
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      return {
        status: response.status,
        headers: response.headers,
        text: () => response.text(),
      };
    },
  };
}
