import { FlagKitError } from '@flagkit/core';
import {
  BatchLogEvent,
  buildLogEvent,
  EVENT_NOT_SERIALIZABLE,
  serializeLogxBatch,
} from '@flagkit/event-processor';
import { describe, expect, it } from 'vitest';
import { makeImpression } from '../../../event-processor/test-support/events';
import { BEACON_CONTENT_TYPE, createBeaconDispatcher } from './beacon-dispatcher';

describe('given the beacon dispatcher', () => {
  it('sends the JSON body as a CORS-safelisted text/plain blob and reports success', async () => {
    const sent: { url: string; type: string; body: string }[] = [];
    const dispatcher = createBeaconDispatcher({
      sendBeacon(url, data) {
        sent.push({ url, type: data.type, body: '' });
        void data.text().then((body) => {
          sent[0]!.body = body;
        });
        return true;
      },
    });
    const response = await dispatcher.dispatchEvent({
      url: 'https://logx.optimizely.com/v1/events',
      httpVerb: 'POST',
      params: { account_id: '1', visitors: [] },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(response.statusCode).toBe(200);
    expect(sent).toEqual([
      {
        url: 'https://logx.optimizely.com/v1/events',
        type: BEACON_CONTENT_TYPE.toLowerCase(),
        body: '{"account_id":"1","visitors":[]}',
      },
    ]);
  });

  it('rejects when the browser refuses the beacon, so the batch stays pending', async () => {
    const dispatcher = createBeaconDispatcher({ sendBeacon: () => false });
    await expect(
      dispatcher.dispatchEvent({ url: 'https://x.invalid', httpVerb: 'POST', params: {} }),
    ).rejects.toThrow(/refused/);
  });

  it('rejects when there is no sendBeacon', async () => {
    await expect(
      createBeaconDispatcher().dispatchEvent({ url: 'https://x.invalid', httpVerb: 'POST', params: {} }),
    ).rejects.toThrow(/not available/);
  });

  it('sends a processor batch as the JSON of its params, the same text as serializeLogxBatch', async () => {
    const bodies: string[] = [];
    const dispatcher = createBeaconDispatcher({
      sendBeacon(_url, data) {
        void data.text().then((body) => bodies.push(body));
        return true;
      },
    });
    const event = makeImpression();
    const logEvent = buildLogEvent([event]);
    expect(logEvent).toBeInstanceOf(BatchLogEvent);
    const expected = serializeLogxBatch([event]);
    await dispatcher.dispatchEvent(logEvent);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(bodies).toEqual([expected]);
    expect(JSON.parse(bodies[0]!)).toEqual(logEvent.params);
  });

  it('rejects a batch that is not JSON as unserializable, so the processor drops it', async () => {
    let calls = 0;
    const dispatcher = createBeaconDispatcher({
      sendBeacon: () => {
        calls++;
        return true;
      },
    });
    const error = await dispatcher
      .dispatchEvent({ url: 'https://x.invalid', httpVerb: 'POST', params: { n: 1n } })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(FlagKitError.isInstance(error) && error.code).toBe(EVENT_NOT_SERIALIZABLE);
    expect(calls).toBe(0);
  });
});
