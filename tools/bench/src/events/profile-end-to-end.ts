/**
 * `pnpm --filter @flagkit/bench bench:events-profile [-- --side flagkit|reference --runs n --count n --text --no-http --out file]`:
 * profiles the events-end-to-end loop of one side with its own HTTP stack (as the target row runs it)
 * and prints the functions with the most self time. Fresh events per run, as in the benchmark.
 * `--no-http` gives FlagKit's processor a requester that answers at once, leaving only its own work.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Requester } from '@flagkit/core';
import { createRequesterDispatcher } from '@flagkit/event-processor';
import { createUndiciRequester } from '@flagkit/node';
import { hotSpots } from '../cpu-profile';
import { createFixture } from '../fixtures';
import { DEFAULT_SEED } from '../options';
import { runEndToEnd } from '../scenarios/events-end-to-end';
import { captureUserEvents, LoopbackSink, NO_HTTP, REFERENCE_NODE_DISPATCHER } from './event-fixtures';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      side: { type: 'string', default: 'flagkit' },
      runs: { type: 'string', default: '5' },
      count: { type: 'string', default: '20000' },
      top: { type: 'string', default: '25' },
      // Hides the requester's byte-body support, so batches go out as text (an A/B of the byte body).
      text: { type: 'boolean', default: false },
      'no-http': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const side = values.side === 'reference' ? 'reference' : 'flagkit';
  const fixture = createFixture({ flags: 50, users: 10_000, seed: DEFAULT_SEED });
  const sink = new LoopbackSink();
  await sink.start();
  const requester = createUndiciRequester();
  const flagkitRequester: Requester = values['no-http']
    ? NO_HTTP
    : values.text
      ? { request: (request) => requester.request(request) }
      : requester;
  const dispatcher =
    side === 'flagkit' ? createRequesterDispatcher(flagkitRequester) : REFERENCE_NODE_DISPATCHER;
  const capture = (count: number) => captureUserEvents(fixture, count);
  const keepAlive = setInterval(() => {}, 1000);
  try {
    await runEndToEnd(side, dispatcher, sink, capture, 2000);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    const results: string[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const last = i === Number(values.runs) - 1;
      // Only the timed loop is profiled: not the capture of its events, nor the collection before it.
      const startProfiler = last ? () => session.post('Profiler.start') : undefined;
      const result = await runEndToEnd(side, dispatcher, sink, capture, Number(values.count), startProfiler);
      results.push(`${Math.round(result.perSecond)} ev/s, ${Math.round(result.perCpuSecond)} ev/CPU-s`);
    }
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    process.stdout.write(`${side}: ${results.join('; ')} (last run profiled)\n\n`);
    for (const row of hotSpots(profile, Number(values.top), REPO_ROOT)) {
      process.stdout.write(
        `${row.selfMs.toFixed(1).padStart(9)}  ${row.selfPercent.toFixed(1).padStart(6)}  ${row.functionName}  ${row.location}\n`,
      );
    }
    if (values.out) writeFileSync(values.out, JSON.stringify(profile));
  } finally {
    clearInterval(keepAlive);
    await requester.close();
    await sink.stop();
  }
}

await main();
