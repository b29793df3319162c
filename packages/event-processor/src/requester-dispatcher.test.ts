import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRequest, LogEvent, Requester } from '@flagkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchRequester } from '../../core/test-support/fetch-requester';
import { makeConversion, makeImpression } from '../test-support/events';
import { BatchLogEvent } from './batch-log-event';
import { buildLogxBatch } from './log-event-builder';
import { serializeLogxBatchBytes } from './log-event-byte-serializer';
import { serializeLogxBatch } from './log-event-serializer';
import {
  bodyWriterOf,
  createRequesterDispatcher,
  createStringifyRequesterDispatcher,
  createTextRequesterDispatcher,
} from './requester-dispatcher';

let server: Server;
let url: string;
/** The raw bytes of every request body the server received, in order. */
const received: Buffer[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(Buffer.concat(chunks));
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A real requester (fetch) that records the type of each body it was given. */
function recordingRequester(acceptsByteBody: boolean | undefined) {
  const inner = createFetchRequester();
  const bodyTypes: string[] = [];
  const requester: Requester = {
    ...(acceptsByteBody === undefined ? {} : { acceptsByteBody }),
    request(request: HttpRequest) {
      bodyTypes.push(request.body instanceof Uint8Array ? 'bytes' : typeof request.body);
      return inner.request(request);
    },
  };
  return { requester, bodyTypes };
}

const events = () => [
  makeImpression({ user: { id: 'ü-1', attributes: [{ entityId: '1', key: 'name', value: 'é😀' }] } }),
  makeConversion({ user: { id: 'ü-1', attributes: [] }, tags: { revenue: 5 } }),
];

describe('createRequesterDispatcher', () => {
  it('sends bytes only to a requester that takes them, and the same bytes reach the server either way', async () => {
    const batch = events();
    const expected = Buffer.from(JSON.stringify(buildLogxBatch(batch)));
    const forms: string[][] = [];
    for (const accepts of [true, false, undefined]) {
      const { requester, bodyTypes } = recordingRequester(accepts);
      const dispatcher = createRequesterDispatcher(requester);
      expect(bodyWriterOf(dispatcher)).toBe(accepts ? serializeLogxBatchBytes : serializeLogxBatch);
      received.length = 0;
      const response = await dispatcher.dispatchEvent(new BatchLogEvent(batch, url));
      expect(response.statusCode).toBe(204);
      expect(received).toHaveLength(1);
      expect(received[0]!.equals(expected)).toBe(true);
      forms.push(bodyTypes);
    }
    expect(forms).toEqual([['bytes'], ['string'], ['string']]);
  });

  it('the text dispatcher sends text even to a requester that takes bytes, the same bytes on the wire', async () => {
    const batch = events();
    const expected = Buffer.from(JSON.stringify(buildLogxBatch(batch)));
    const { requester, bodyTypes } = recordingRequester(true);
    const dispatcher = createTextRequesterDispatcher(requester);
    expect(bodyWriterOf(dispatcher)).toBe(serializeLogxBatch);
    received.length = 0;
    await dispatcher.dispatchEvent(new BatchLogEvent(batch, url));
    expect(received).toHaveLength(1);
    expect(received[0]!.equals(expected)).toBe(true);
    expect(bodyTypes).toEqual(['string']);
  });

  it('the stringify dispatcher sends JSON.stringify(params) as text: the same bytes on the wire', async () => {
    const batch = events();
    const expected = Buffer.from(JSON.stringify(buildLogxBatch(batch)));
    const { requester, bodyTypes } = recordingRequester(true);
    const dispatcher = createStringifyRequesterDispatcher(requester);
    // Not registered: the processor builds params for it, and no serializer is written.
    expect(bodyWriterOf(dispatcher)).toBeUndefined();
    received.length = 0;
    const logEvent = new BatchLogEvent(batch, url);
    logEvent.prepare(bodyWriterOf(dispatcher));
    await dispatcher.dispatchEvent(logEvent);
    expect(received).toHaveLength(1);
    expect(received[0]!.equals(expected)).toBe(true);
    expect(bodyTypes).toEqual(['string']);
    // Events JSON cannot write are refused as unserializable (the processor drops them).
    const big = makeConversion({ user: { id: 'u', attributes: [] }, tags: { big: 1n as unknown as number } });
    await expect(dispatcher.dispatchEvent(new BatchLogEvent([big], url))).rejects.toMatchObject({
      code: 'EVENT_NOT_SERIALIZABLE',
    });
  });

  it('sends what params holds once it was read, and plain LogEvents as JSON text', async () => {
    const { requester, bodyTypes } = recordingRequester(true);
    const dispatcher = createRequesterDispatcher(requester);
    const read = new BatchLogEvent(events(), url);
    (read.params as { revision: string }).revision = 'changed by a listener';
    const plain: LogEvent = { url, httpVerb: 'POST', params: { anything: 'é' } };
    received.length = 0;
    await dispatcher.dispatchEvent(read);
    await dispatcher.dispatchEvent(plain);
    expect(received.map((body) => body.toString('utf8'))).toEqual([
      JSON.stringify(read.params),
      '{"anything":"é"}',
    ]);
    expect(JSON.parse(received[0]!.toString('utf8')).revision).toBe('changed by a listener');
    expect(bodyTypes).toEqual(['string', 'string']);
  });
});
