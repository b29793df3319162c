/**
 * ODP scenario 2: `sendOdpEvent(action, type, identifiers, data)` up to the event being queued.
 * Both SDKs get a batch size larger than a measured chunk, so nothing is sent while the clock
 * runs; after each chunk the queue is flushed to the fake ODP, untimed. The calls cycle over
 * pre-built identifier and data Maps, the same for both SDKs.
 */
import { consume, now, type PerSide, type TimingOptions } from '../measure';
import { type Chunk, compareChunkedThroughput } from '../measure-chunked';
import { FakeOdp, type OdpBenchClient, readyOdpClients } from '../odp-fixture';
import { type ScenarioResult, scenarioResult } from './scenario-result';

const CHUNK = 5_000;
const VARIANTS = 100;

interface EventArgs {
  readonly action: string;
  readonly identifiers: Map<string, string>;
  readonly data: Map<string, unknown>;
}

function eventArgs(): EventArgs[] {
  return Array.from({ length: VARIANTS }, (_, i) => ({
    action: i % 3 === 0 ? 'purchased' : 'viewed',
    identifiers: new Map([
      ['fs_user_id', `user-${i}`],
      ['email', `user-${i}@example.com`],
    ]),
    data: new Map<string, unknown>([
      ['item', `sku-${i}`],
      ['price', i * 1.5],
      ['in_stock', i % 2 === 0],
    ]),
  }));
}

function enqueueChunk(client: OdpBenchClient, args: readonly EventArgs[]): Chunk {
  let v = 0;
  return async (size) => {
    const start = now();
    for (let i = 0; i < size; i++) {
      const a = args[v]!;
      client.sendOdpEvent(a.action, 'fullstack', a.identifiers, a.data);
      if (++v === args.length) v = 0;
    }
    const elapsed = now() - start;
    consume(size);
    await client.flush();
    return elapsed;
  };
}

export async function odpSendEventEnqueue(timing: TimingOptions): Promise<ScenarioResult> {
  const odp = await new FakeOdp().start();
  // One more than a chunk: a chunk never fills a batch, so only the untimed flush sends.
  const clients = await readyOdpClients(odp, { eventBatchSize: CHUNK + 1, eventFlushIntervalMs: 600_000 });
  try {
    const args = eventArgs();
    // Both sides must really queue and deliver, or the comparison would be of refusals.
    for (const side of ['flagkit', 'reference'] as const) {
      const before = odp.eventsReceived;
      for (const a of args.slice(0, 3))
        clients[side].sendOdpEvent(a.action, 'fullstack', a.identifiers, a.data);
      await clients[side].flush();
      if (odp.eventsReceived - before !== 3) throw new Error(`${side} did not deliver its probe events`);
    }
    const chunks: PerSide<Chunk> = {
      flagkit: enqueueChunk(clients.flagkit, args),
      reference: enqueueChunk(clients.reference, args),
    };
    const result = await compareChunkedThroughput(chunks, CHUNK, timing);
    return scenarioResult({
      id: 'odp-send-event-enqueue',
      title: 'sendOdpEvent, up to queued',
      unit: 'ops/s',
      flagkit: result.flagkit.opsPerSec,
      reference: result.reference.opsPerSec,
      target: null,
      samples: { flagkit: result.flagkit.rounds, reference: result.reference.rounds },
    });
  } finally {
    await clients.flagkit.close();
    await clients.reference.close();
    await odp.stop();
  }
}
