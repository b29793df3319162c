/**
 * `node --expose-gc --import tsx src/events/ab-end-to-end.ts [--rounds n] [--count n]`: an in-process
 * A/B of FlagKit's end-to-end run with its requester taking byte bodies (`bytes`) and with that
 * support hidden so batches go out as text (`text`), interleaved; prints the medians. For measuring a
 * change to the event path on a noisy machine, where separate runs cannot be compared.
 */
import { parseArgs } from 'node:util';
import { createRequesterDispatcher } from '@flagkit/event-processor';
import { createUndiciRequester } from '@flagkit/node';
import { createFixture } from '../fixtures';
import { median } from '../measure';
import { DEFAULT_SEED } from '../options';
import { runEndToEnd } from '../scenarios/events-end-to-end';
import { captureUserEvents, LoopbackSink, REFERENCE_NODE_DISPATCHER } from './event-fixtures';

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
  const variants = {
    bytes: createRequesterDispatcher(requester),
    text: createRequesterDispatcher({ request: requester.request.bind(requester) }),
  };
  const capture = (count: number) => captureUserEvents(fixture, count);
  const keepAlive = setInterval(() => {}, 1000);
  const names = [...Object.keys(variants), ...(values.reference ? ['reference'] : [])];
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  try {
    for (const name of names) {
      wall[name] = [];
      cpu[name] = [];
      const dispatcher = name === 'reference' ? REFERENCE_NODE_DISPATCHER : variants[name as 'bytes'];
      await runEndToEnd(name === 'reference' ? 'reference' : 'flagkit', dispatcher, sink, capture, 2000);
    }
    for (let round = 0; round < Number(values.rounds); round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const dispatcher = name === 'reference' ? REFERENCE_NODE_DISPATCHER : variants[name as 'bytes'];
        const side = name === 'reference' ? 'reference' : 'flagkit';
        const result = await runEndToEnd(side, dispatcher, sink, capture, Number(values.count));
        wall[name]!.push(result.perSecond);
        cpu[name]!.push(result.perCpuSecond);
      }
    }
    for (const name of names) {
      process.stdout.write(
        `${name.padEnd(10)} ${Math.round(median(wall[name]!)).toString().padStart(8)} ev/s  ${Math.round(median(cpu[name]!)).toString().padStart(8)} ev/CPU-s\n`,
      );
    }
  } finally {
    clearInterval(keepAlive);
    await requester.close();
    await sink.stop();
  }
}

await main();
