/**
 * `pnpm bench`: FlagKit against the official Optimizely SDK, side by side in one process, on the
 * same generated datafiles and users. Progress goes to stderr; the result table to stdout.
 */
import { resolve } from 'node:path';
import { type AgreementReport, checkAgreement } from './agreement';
import { currentEnvironment } from './environment';
import { EVENT_SCENARIO_IDS, runEventScenarios } from './events/run-event-scenarios';
import { createFixture, type DatafileFixture } from './fixtures';
import { checksum, now, type PerSide, type TimingOptions } from './measure';
import { type BenchOptions, parseOptions, USAGE } from './options';
import { type BenchReport, formatAgreementWarnings, formatTable, writeJsonReport } from './report';
import { bundleSizes } from './scenarios/bundle-size';
import { coldImportNode } from './scenarios/cold-import';
import { coldStart } from './scenarios/cold-start';
import { decideAll } from './scenarios/decide-all';
import { decideNewContext } from './scenarios/decide-new-context';
import { decidePrebuiltContext } from './scenarios/decide-prebuilt-context';
import { heapAfterDecideAll, heapAfterLoad } from './scenarios/heap-after-load';
import { loadTime } from './scenarios/load-time';
import { odpCachedSegments } from './scenarios/odp-cached-segments';
import { odpSendEventEnqueue } from './scenarios/odp-send-event-enqueue';
import type { ScenarioResult } from './scenarios/scenario-result';
import { type BenchClient, type BenchUserContext, readyClient, userContextFor } from './sdks';

/** Flag counts of the small and the large datafile. */
const SMALL_FLAGS = 50;
const LARGE_FLAGS = 200;

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Whether scenario `id` was selected by `--only` (all are when it is empty). */
function selected(options: BenchOptions, id: string): boolean {
  return options.only.length === 0 || options.only.some((prefix) => id.startsWith(prefix));
}

/** Ready clients of both SDKs and one context per pool user for each, for one datafile. */
interface Prepared {
  readonly fixture: DatafileFixture;
  readonly clients: PerSide<BenchClient>;
  readonly contexts: PerSide<readonly BenchUserContext[]>;
}

async function prepare(fixture: DatafileFixture): Promise<Prepared> {
  const clients = {
    flagkit: await readyClient('flagkit', fixture.text),
    reference: await readyClient('reference', fixture.text),
  };
  const contexts = {
    flagkit: fixture.users.map((user) => userContextFor(clients.flagkit, user)),
    reference: fixture.users.map((user) => userContextFor(clients.reference, user)),
  };
  return { fixture, clients, contexts };
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const environment = currentEnvironment(options);
  progress(
    `node ${environment.node}, ${environment.cpuCount} x ${environment.cpu}; ` +
      `flagkit ${environment.flagkitVersion} vs @optimizely/optimizely-sdk ${environment.referenceVersion}`,
  );
  const timing: TimingOptions = {
    warmupMs: options.warmupMs,
    minTimeMs: options.timeMs,
    rounds: options.rounds,
  };

  let start = now();
  const small = createFixture({ flags: SMALL_FLAGS, users: options.users, seed: options.seed });
  const large = createFixture({ flags: LARGE_FLAGS, users: options.users, seed: options.seed + 100 });
  progress(
    `generated ${SMALL_FLAGS}-flag (${small.bytes} B) and ${LARGE_FLAGS}-flag (${large.bytes} B) datafiles, ` +
      `${options.users} users each, in ${(now() - start).toFixed(0)} ms`,
  );

  const results: ScenarioResult[] = [];
  // Load and heap first, while the heap holds nothing but the fixtures.
  const loadIds = [
    `load-time-${LARGE_FLAGS}`,
    `load-and-decide-all-${LARGE_FLAGS}`,
    `load-back-to-back-${LARGE_FLAGS}`,
    `parse-time-${LARGE_FLAGS}`,
  ];
  if (loadIds.some((id) => selected(options, id))) {
    progress('load time...');
    results.push(...(await loadTime(large, { runs: options.loadRuns, warmupRuns: 5 })));
  }
  const coldStartIds = [`cold-start-load-${LARGE_FLAGS}`, `cold-start-first-decide-all-${LARGE_FLAGS}`];
  if (coldStartIds.some((id) => selected(options, id))) {
    progress('cold start (fresh processes)...');
    results.push(...coldStart(large, options.loadRuns >= 30 ? 11 : 3));
  }
  if (selected(options, `heap-after-load-${LARGE_FLAGS}`)) {
    progress('heap after load...');
    results.push(await heapAfterLoad(large, { clients: options.heapClients, rounds: 3 }));
  }
  if (selected(options, `heap-after-decide-all-${LARGE_FLAGS}`)) {
    progress('heap after a decideAll...');
    results.push(await heapAfterDecideAll(large, { clients: options.heapClients, rounds: 3 }));
  }

  const throughputIds = [
    'decide-new-context',
    'decide-prebuilt-context',
    `decide-all-${SMALL_FLAGS}`,
    `decide-all-${LARGE_FLAGS}`,
  ];
  const agreement: AgreementReport[] = [];
  if (throughputIds.some((id) => selected(options, id))) {
    start = now();
    const preparedSmall = await prepare(small);
    const preparedLarge = selected(options, `decide-all-${LARGE_FLAGS}`) ? await prepare(large) : null;
    progress(
      `clients and ${options.users} contexts per SDK and datafile ready in ${(now() - start).toFixed(0)} ms`,
    );

    for (const prepared of [preparedSmall, preparedLarge]) {
      if (!prepared) continue;
      const report = checkAgreement(prepared.fixture, prepared.contexts, options.agreementSample);
      agreement.push(report);
      progress(
        `agreement (${prepared.fixture.flagCount} flags): ${report.checked - report.disagreements.length}/${report.checked} decisions match`,
      );
    }
    for (const line of formatAgreementWarnings(agreement)) progress(line);

    if (selected(options, 'decide-new-context')) {
      progress('decide, new context...');
      results.push(decideNewContext(small, preparedSmall.clients, timing));
    }
    if (selected(options, 'decide-prebuilt-context')) {
      progress('decide, pre-built context...');
      results.push(decidePrebuiltContext(small, preparedSmall.contexts, timing));
    }
    if (selected(options, `decide-all-${SMALL_FLAGS}`)) {
      progress(`decideAll, ${SMALL_FLAGS} flags...`);
      results.push(decideAll(small, preparedSmall.contexts, timing));
    }
    if (preparedLarge) {
      progress(`decideAll, ${LARGE_FLAGS} flags...`);
      results.push(decideAll(large, preparedLarge.contexts, timing));
    }
    for (const prepared of [preparedSmall, preparedLarge]) {
      if (!prepared) continue;
      await prepared.clients.flagkit.close();
      await prepared.clients.reference.close();
    }
  }
  // Event processor scenarios (events-*): see events/run-event-scenarios.ts.
  if (EVENT_SCENARIO_IDS.some((id) => selected(options, id))) {
    results.push(
      ...(await runEventScenarios(options, small, timing, (id) => selected(options, id), progress)),
    );
  }
  // ODP (@flagkit/odp): each scenario starts its own fake ODP server and clients.
  if (selected(options, 'odp-cached-segments')) {
    progress('ODP fetchQualifiedSegments, cache hits...');
    results.push(await odpCachedSegments(timing));
  }
  if (selected(options, 'odp-send-event-enqueue')) {
    progress('ODP sendOdpEvent enqueue...');
    results.push(await odpSendEventEnqueue(timing));
  }
  // Entrypoint costs: cold import of the Node entry (fresh processes) and browser bundle sizes.
  if (selected(options, 'cold-import-node')) {
    progress('cold import of the Node entry...');
    results.push(coldImportNode(options.loadRuns >= 30 ? 11 : 3));
  }
  if (selected(options, 'size-')) {
    progress('bundle sizes...');
    results.push(...(await bundleSizes()));
  }
  return { environment, results, agreement, checksum: checksum() };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = now();
  const report = await run(options);
  const env = report.environment;
  process.stdout.write(
    `\nFlagKit ${env.flagkitVersion} vs @optimizely/optimizely-sdk ${env.referenceVersion} — node ${env.node}, ` +
      `${env.platform}, ${env.cpuCount} x ${env.cpu}\n` +
      `median of ${options.rounds} interleaved rounds of >= ${options.timeMs} ms (throughput), ` +
      `${options.loadRuns} runs (load), 3 rounds of ${options.heapClients} clients (heap)\n\n`,
  );
  process.stdout.write(`${formatTable(report.results)}\n`);
  const warnings = formatAgreementWarnings(report.agreement);
  if (warnings.length > 0) process.stdout.write(`\n${warnings.join('\n')}\n`);
  process.stdout.write(`\nchecksum ${report.checksum}; total ${((now() - started) / 1000).toFixed(1)} s\n`);
  if (options.json) {
    // pnpm runs the script in tools/bench; resolve the path against where pnpm was invoked.
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), options.json);
    writeJsonReport(file, report);
    process.stdout.write(`JSON written to ${file}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
