/**
 * ODP scenario 1: `await user.fetchQualifiedSegments()` answered from the segments cache. Each
 * SDK first fetches every pool user once from the fake ODP (cache misses, untimed); the timed
 * loop then cycles over the same pre-built contexts, so every lookup is a hit.
 */
import { consume, now, type PerSide, type TimingOptions } from '../measure';
import { type Chunk, compareChunkedThroughput } from '../measure-chunked';
import { FakeOdp, type OdpBenchUserContext, readyOdpClients } from '../odp-fixture';
import { type ScenarioResult, scenarioResult } from './scenario-result';

const USERS = 1_000;
const CHUNK = 2_000;

function cachedLookups(contexts: readonly OdpBenchUserContext[]): Chunk {
  let u = 0;
  return async (size) => {
    let hits = 0;
    const start = now();
    for (let i = 0; i < size; i++) {
      if (await contexts[u]!.fetchQualifiedSegments()) hits++;
      if (++u === contexts.length) u = 0;
    }
    const elapsed = now() - start;
    consume(hits);
    return elapsed;
  };
}

export async function odpCachedSegments(timing: TimingOptions): Promise<ScenarioResult> {
  const odp = await new FakeOdp().start();
  const clients = await readyOdpClients(odp, { eventBatchSize: 10, eventFlushIntervalMs: 1_000 });
  try {
    const contexts: Record<string, OdpBenchUserContext[]> = {};
    for (const side of ['flagkit', 'reference'] as const) {
      contexts[side] = [];
      for (let i = 0; i < USERS; i++) {
        const context = clients[side].createUserContext(`odp-user-${i}`);
        if (!context) throw new Error(`${side} refused a user context`);
        if (!(await context.fetchQualifiedSegments())) throw new Error(`${side} could not fetch segments`);
        contexts[side].push(context);
      }
    }
    const chunks: PerSide<Chunk> = {
      flagkit: cachedLookups(contexts.flagkit!),
      reference: cachedLookups(contexts.reference!),
    };
    const result = await compareChunkedThroughput(chunks, CHUNK, timing);
    return scenarioResult({
      id: 'odp-cached-segments',
      title: `fetchQualifiedSegments, cache hit (${USERS} users)`,
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
