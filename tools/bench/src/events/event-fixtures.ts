/**
 * Shared fixtures of the event scenarios: real user events captured from a FlagKit client, a
 * loopback HTTP sink, the dispatchers both sides use, and the reference's batch processor.
 *
 * Both processors get the same UserEvent objects: core's UserEvent has the field names and shape
 * of the reference's own user events, so the reference's processor consumes them as they are.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  createInstance,
  type EventDispatcher,
  type EventProcessor,
  type HttpResponse,
  type LogEvent,
  type Requester,
  type UserEvent,
} from '@flagkit/core';
import {
  createBatchEventProcessor as createReferenceBatchProcessor,
  eventDispatcher as referenceNodeDispatcher,
} from '@optimizely/optimizely-sdk';
import type { DatafileFixture } from '../fixtures';

/** Impressions (decideAll) and conversions (track) of the fixture's users, as core builds them. */
export async function captureUserEvents(fixture: DatafileFixture, count: number): Promise<UserEvent[]> {
  const events: UserEvent[] = [];
  const recorder: EventProcessor = {
    start() {},
    process: (event) => {
      events.push(event);
    },
    flush: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
  const client = createInstance({ datafile: fixture.text, eventProcessor: recorder });
  await client.onReady();
  const eventKeys = (JSON.parse(fixture.text) as { events: { key: string }[] }).events.map((e) => e.key);
  for (let i = 0; events.length < count && i < fixture.users.length * 4; i++) {
    const user = fixture.users[i % fixture.users.length]!;
    const context = client.createUserContext(user.userId, user.attributes);
    context.decideAll();
    if (eventKeys.length > 0) {
      client.track(eventKeys[i % eventKeys.length]!, user.userId, user.attributes, {
        revenue: 1000 + i,
        value: 2.5,
        category: 'bench',
      });
    }
  }
  await client.close();
  if (events.length === 0) throw new Error('the fixture produced no events');
  return events.slice(0, count);
}

// A minimal HTTP/1.1 responder on a raw socket: reads each request's head and its Content-Length
// bytes of body, answers 204 and keeps the connection open. node:http's server costs several times
// more per request; being identical for both SDKs, that cost would only compress the ratio.
const SINK_SCRIPT = `
const net = require('node:net');
const RESPONSE = Buffer.from('HTTP/1.1 204 No Content\\r\\nConnection: keep-alive\\r\\n\\r\\n');
const server = net.createServer((socket) => {
  let buffered = Buffer.alloc(0);
  let bodyLeft = -1;
  socket.on('data', (chunk) => {
    buffered = buffered.length > 0 ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      if (bodyLeft >= 0) {
        const n = Math.min(bodyLeft, buffered.length);
        bodyLeft -= n;
        buffered = buffered.subarray(n);
        if (bodyLeft > 0) return;
        bodyLeft = -1;
        socket.write(RESPONSE);
      }
      const end = buffered.indexOf('\\r\\n\\r\\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString('latin1');
      if (/transfer-encoding:\\s*chunked/i.test(head)) throw new Error('the sink needs Content-Length');
      const length = /content-length:\\s*(\\d+)/i.exec(head);
      bodyLeft = length ? Number(length[1]) : 0;
      buffered = buffered.subarray(end + 4);
    }
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/**
 * A loopback logx stand-in in a child process (so its work does not share the benchmark's thread):
 * reads each request and answers 204. It exits when its stdin closes.
 */
export class LoopbackSink {
  private child: ChildProcess | undefined;
  url = '';

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['-e', SINK_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    const port = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.stdout!.once('data', (data: Buffer) => resolve(data.toString('utf8').trim()));
    });
    this.url = `http://127.0.0.1:${port}/v1/events`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin!.end();
    await exited;
  }
}

/** Counts the events of every acknowledged request; the same wrapper goes around both sides' dispatchers. */
export class DeliveryCounter {
  delivered = 0;

  wrap(inner: EventDispatcher, url: string): EventDispatcher {
    return {
      dispatchEvent: (logEvent: LogEvent) =>
        inner
          .dispatchEvent({ url, httpVerb: logEvent.httpVerb, params: logEvent.params })
          .then((response) => {
            const status = response.statusCode ?? 200;
            if (status >= 200 && status < 400) {
              this.delivered += (logEvent.params as { visitors: unknown[] }).visitors.length;
            }
            return response;
          }),
    };
  }
}

/** The reference's own node dispatcher (node:http/https, as its default batch processor uses). */
export const REFERENCE_NODE_DISPATCHER: EventDispatcher = referenceNodeDispatcher as EventDispatcher;

/** The part of the reference's BatchEventProcessor the scenarios call. */
export interface ReferenceProcessor {
  start(): void;
  process(event: UserEvent): Promise<unknown>;
  flush(): Promise<unknown>;
  stop(): void;
  onTerminated(): Promise<unknown>;
}

/**
 * The reference's batch processor, as `createBatchEventProcessor` makes it. The factory returns an
 * opaque wrapper for `createInstance`; the processor is its only symbol-keyed property.
 */
export function referenceBatchProcessor(options: {
  eventDispatcher: EventDispatcher;
  batchSize: number;
  flushInterval: number;
}): ReferenceProcessor {
  const opaque = createReferenceBatchProcessor(
    options as Parameters<typeof createReferenceBatchProcessor>[0],
  ) as unknown as Record<symbol, ReferenceProcessor>;
  const symbol = Object.getOwnPropertySymbols(opaque)[0];
  if (!symbol) throw new Error('unexpected shape of the reference batch processor');
  return opaque[symbol]!;
}

/** The sink's answer to every request, as a requester resolves it. */
export const NO_CONTENT: HttpResponse = {
  status: 204,
  headers: { get: () => null },
  text: () => Promise.resolve(''),
};

/**
 * A requester that answers 204 at once without any I/O: a run over it costs what the processor and
 * the serializer alone cost.
 */
export const NO_HTTP: Requester = { acceptsByteBody: true, request: () => Promise.resolve(NO_CONTENT) };

/** Yields to the event loop so I/O callbacks run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
