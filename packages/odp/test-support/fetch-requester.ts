import type { HttpRequest, HttpResponse, Requester } from '@flagkit/core';

/** A {@link Requester} over Node's global fetch, for tests. The timeout covers the body too. */
export function createFetchRequester(): Requester {
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      return { status: response.status, headers: response.headers, text: () => response.text() };
    },
  };
}
