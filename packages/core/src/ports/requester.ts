/** An HTTP request, the small subset of fetch that FlagKit needs. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The whole request, including reading the body, must settle within this many ms. */
  readonly timeoutMs: number;
  /** Browsers: let the request outlive the page (within the keepalive budget). */
  readonly keepalive?: boolean;
}

/** An HTTP response. `text()` reads the body once. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * The HTTP port. Entrypoints supply one (undici on Node, fetch in browsers and edge runtimes).
 * It resolves for every HTTP status and rejects only on network errors and timeouts.
 */
export interface Requester {
  request(request: HttpRequest): Promise<HttpResponse>;
}
