/**
 * A measuring stick, not a product part: the least an HTTP/1.1 POST to the loopback sink can cost.
 * It writes each request's head and body to a raw keep-alive socket in one corked write and
 * resolves when the sink's 204 head arrives. No header parsing beyond that, no timeouts, no
 * redirects, no TLS, no error recovery: everything a real client (undici, node:http) adds is left
 * out, so what remains is the kernel's loopback send and receive plus libuv's event loop.
 *
 * `bench:events-ab` runs FlagKit's processor over it (variant `bare-socket`): that run minus the
 * `no-http` run is the floor of one exchange on this machine, which bounds the end-to-end ratio any
 * SDK sending the same requests could reach.
 */
import { connect, type Socket } from 'node:net';
import type { HttpRequest, HttpResponse, Requester } from '@flagkit/core';
import { NO_CONTENT } from './event-fixtures';

// The sink answers every request with this head and no body.
const END_OF_HEAD = '\r\n\r\n';

/** One keep-alive connection with at most one request in flight. */
interface Connection {
  readonly socket: Socket;
  pending: ((response: HttpResponse) => void) | null;
}

/** Connections opened at most (as undici's pool in the `bytes` variant); more requests wait. */
const CONNECTIONS = 16;

/** A bench-only {@link Requester} over raw sockets; see the module comment. `close()` ends its sockets. */
export function createBareSocketRequester(): Requester & { close(): void } {
  const all: Connection[] = [];
  const idle: Connection[] = [];
  const waiting: Array<() => void> = [];

  const open = (url: URL): Connection => {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    const connection: Connection = { socket, pending: null };
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      head += chunk;
      // One response per request, and a new request only after it: a whole head ends the exchange.
      if (!head.endsWith(END_OF_HEAD)) return;
      head = '';
      const resolve = connection.pending;
      connection.pending = null;
      release(connection);
      resolve?.(NO_CONTENT);
    });
    socket.on('error', () => {});
    all.push(connection);
    return connection;
  };

  const release = (connection: Connection): void => {
    idle.push(connection);
    waiting.shift()?.();
  };

  const send = (
    connection: Connection,
    request: HttpRequest,
    url: URL,
    resolve: (r: HttpResponse) => void,
  ) => {
    const body =
      typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? new Uint8Array());
    connection.pending = resolve;
    const socket = connection.socket;
    socket.cork();
    socket.write(
      `${request.method} ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.byteLength}\r\n\r\n`,
      'latin1',
    );
    socket.write(body);
    socket.uncork();
  };

  let lastUrl = '';
  let parsed: URL | undefined;
  return {
    acceptsByteBody: true,
    request(request: HttpRequest): Promise<HttpResponse> {
      if (request.url !== lastUrl) {
        lastUrl = request.url;
        parsed = new URL(request.url);
      }
      const url = parsed!;
      return new Promise((resolve) => {
        const attempt = () => {
          const connection = idle.pop() ?? (all.length < CONNECTIONS ? open(url) : undefined);
          if (connection) send(connection, request, url, resolve);
          else waiting.push(attempt);
        };
        attempt();
      });
    },
    close() {
      for (const connection of all) connection.socket.destroy();
    },
  };
}
