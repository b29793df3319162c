/** An HTTP request, the small subset of fetch that FlagKit needs. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body: text (sent as UTF-8), or bytes sent as they are. Bytes are only given to a requester
   * whose {@link Requester.acceptsByteBody} is true.
   */
  readonly body?: string | Uint8Array;
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
  /**
   * True when `request` takes a `Uint8Array` body as well as a string. Callers that hold a body as
   * bytes (the event processor writes batches as UTF-8) then pass it as it is instead of as text,
   * which spares encoding it again. Absent or false: every body is a string, as before.
   */
  readonly acceptsByteBody?: boolean;
}
