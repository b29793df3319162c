/**
 * `pnpm --filter @flagkit/bench bench:events-ab [-- --rounds n --count n --reference]`: an in-process,
 * interleaved A/B of FlagKit's end-to-end run, for measuring a change to the event path on a
 * noisy machine (separate runs cannot be compared there). Variants:
 *
 * - `bytes`: as the benchmark runs it (the undici requester takes the batches as bytes);
 * - `text`: the same requester with its byte-body support hidden, so batches go out as text;
 * - `no-http`: a requester that answers 204 at once without any I/O: what the processor and the
 *   serializer alone cost, so the rest of `bytes` is the HTTP exchange;
 * - `bare-socket`: the processor over raw keep-alive sockets with no HTTP library
 *   (`bare-socket-requester.ts`): the rest of it, over `no-http`, is the floor of one exchange;
 * - `reference` (with `--reference`): the reference on its own dispatcher.
 */
import { parseArgs } from 'node:util';
import type { EventDispatcher } from '@flagkit/core';
import { createRequesterDispatcher } from '@flagkit/event-processor';
import { createUndiciRequester } from '@flagkit/node';
import { createFixture } from '../fixtures';
import { median } from '../measure';
import { DEFAULT_SEED } from '../options';
import { runEndToEnd } from '../scenarios/events-end-to-end';
import { createBareSocketRequester } from './bare-socket-requester';
import { captureUserEvents, LoopbackSink, NO_HTTP, REFERENCE_NODE_DISPATCHER } from './event-fixtures';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      rounds: { type: 'string', default: '8' },
      count: { type: 'string', default: '20000' },
      reference: { type: 'boolean', default: false },
    },
  });
  const fixture = createFixture({ flags: 50, users: 10_000, seed: DEFAULT_SEED });
  const sink = new LoopbackSink();
  await sink.start();
  const requester = createUndiciRequester();
  const bareSocket = createBareSocketRequester();
  const variants: Record<string, EventDispatcher> = {
    bytes: createRequesterDispatcher(requester),
    text: createRequesterDispatcher({ request: (request) => requester.request(request) }),
    'no-http': createRequesterDispatcher(NO_HTTP),
    'bare-socket': createRequesterDispatcher(bareSocket),
    ...(values.reference ? { reference: REFERENCE_NODE_DISPATCHER } : {}),
  };
  const names = Object.keys(variants);
  const sideOf = (name: string) => (name === 'reference' ? 'reference' : 'flagkit');
  const capture = (count: number) => captureUserEvents(fixture, count);
  // The processors' timers are unref'd; this keeps Node alive while a run waits on one.
  const keepAlive = setInterval(() => {}, 1000);
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  try {
    for (const name of names) {
      wall[name] = [];
      cpu[name] = [];
      await runEndToEnd(sideOf(name), variants[name]!, sink, capture, 2000);
    }
    for (let round = 0; round < Number(values.rounds); round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const result = await runEndToEnd(sideOf(name), variants[name]!, sink, capture, Number(values.count));
        wall[name]!.push(result.perSecond);
        cpu[name]!.push(result.perCpuSecond);
      }
    }
    for (const name of names) {
      const perSecond = Math.round(median(wall[name]!));
      const perCpuSecond = Math.round(median(cpu[name]!));
      const cpuPerBatch = (10 / perCpuSecond) * 1e6;
      process.stdout.write(
        `${name.padEnd(11)} ${String(perSecond).padStart(8)} events/s  ${String(perCpuSecond).padStart(8)} events/CPU-s  ${cpuPerBatch.toFixed(0).padStart(5)} µs CPU per batch of 10\n`,
      );
    }
  } finally {
    clearInterval(keepAlive);
    await requester.close();
    bareSocket.close();
    await sink.stop();
  }
}

await main();
