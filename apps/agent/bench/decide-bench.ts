// Load benchmark of POST /v1/decide on loopback: the agent runs as its own process (built
// dist/main.js), autocannon drives it from this one. Beside each HTTP figure: the SDK-only cost of
// the same decide in-process, so the HTTP overhead is visible. Options: --duration <s> (default
// 10), --connections <n> (default 50).
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInstance, type EventProcessor } from '@flagkit/node';
import autocannon from 'autocannon';
import { generateDatafile } from '../../../tools/datafile-generator/src/index';
import { agentDatafile } from '../test/support/agent-datafile';
import { startBenchServers } from './bench-servers';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const DURATION_S = option('duration', 10);
const CONNECTIONS = option('connections', 16);

const BODIES = Array.from({ length: 256 }, (_, i) =>
  JSON.stringify({ userId: `user-${i}`, userAttributes: { country: i % 2 ? 'nl' : 'de' } }),
);
const ONE_FLAG_KEY = 'benchOne';
const ALL_FLAGS_KEY = 'benchAll';
const oneFlagDatafile = agentDatafile('1', null);
const allFlagsDatafile = generateDatafile({ seed: 11, flags: 20, quirks: false, odp: false });

async function startAgent(
  urlTemplate: string,
  eventUrl: string,
): Promise<{ child: ChildProcess; api: string }> {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, resolve(here, '../dist/main.js')], {
    cwd: here,
    env: {
      ...process.env,
      OPTIMIZELY_API_PORT: '0',
      OPTIMIZELY_ADMIN_PORT: '0',
      OPTIMIZELY_WEBHOOK_PORT: '0',
      OPTIMIZELY_SDKKEYS: `${ONE_FLAG_KEY},${ALL_FLAGS_KEY}`,
      OPTIMIZELY_CLIENT_DATAFILEURLTEMPLATE: urlTemplate,
      OPTIMIZELY_CLIENT_EVENTURL: eventUrl,
      OPTIMIZELY_CLIENT_BATCHSIZE: '100',
      OPTIMIZELY_CLIENT_FLUSHINTERVAL: '1s',
      OPTIMIZELY_CLIENT_QUEUESIZE: '1000000',
      OPTIMIZELY_CLIENT_ODP_DISABLE: 'true',
      OPTIMIZELY_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const api = await new Promise<string>((resolvePromise, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /api (http:\/\/[^,\s]+)/.exec(out);
      if (match) resolvePromise(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the agent exited with ${code}: ${out}`)));
  });
  return { child, api };
}

interface HttpResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

async function load(api: string, sdkKey: string, query: string, seconds: number): Promise<HttpResult> {
  const result = await autocannon({
    url: `${api}/v1/decide${query}`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', 'x-optimizely-sdk-key': sdkKey },
    // Precomputed bodies, cycled per connection: varied users at no cost to the load generator.
    requests: BODIES.map((body) => ({ method: 'POST' as const, body })),
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Microseconds per SDK-only decide (user context + decide), events counted by a stub processor. */
function sdkCost(datafile: object, key: string | null): number {
  let events = 0;
  const processor: EventProcessor = {
    start() {},
    process() {
      events++;
    },
    flush: async () => {},
    stop: async () => {},
  } as unknown as EventProcessor;
  const client = createInstance({ datafile, eventProcessor: processor, odpManager: false, logger: 'none' });
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const user = client.createUserContext(`user-${i}`, { country: 'nl' });
      if (key === null) user.decideAll();
      else user.decide(key);
    }
  };
  run(20_000);
  const n = 200_000;
  const started = process.hrtime.bigint();
  run(n);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / n;
  void client.close();
  if (events === 0) throw new Error('the SDK-only run sent no impressions');
  return micros;
}

async function main(): Promise<void> {
  const servers = await startBenchServers({
    [ONE_FLAG_KEY]: JSON.stringify(oneFlagDatafile),
    [ALL_FLAGS_KEY]: JSON.stringify(allFlagsDatafile),
  });
  const { child, api } = await startAgent(servers.urlTemplate, servers.eventUrl);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const warm = await load(api, ONE_FLAG_KEY, '?keys=checkout', 2);
    const one = await load(api, ONE_FLAG_KEY, '?keys=checkout', DURATION_S);
    const all = await load(api, ALL_FLAGS_KEY, '', DURATION_S);
    child.kill('SIGTERM'); // closes the clients: queued events are flushed before exit
    await exited;
    const oneSdk = sdkCost(oneFlagDatafile, 'checkout');
    const allSdk = sdkCost(allFlagsDatafile, null);
    const row = (name: string, r: HttpResult, sdkMicros: number) =>
      `| ${name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${sdkMicros.toFixed(2)} µs | ${(1e6 / r.rps).toFixed(1)} µs |`;
    console.log(
      `\nPOST /v1/decide on loopback, ${CONNECTIONS} connections, ${DURATION_S} s each, Node ${process.version}\n`,
    );
    console.log(
      '| scenario | req/s | p50 ms | p99 ms | errors | non-2xx | SDK-only decide (in-process) | agent wall time per request |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    console.log(row('one flag (`keys=checkout`)', one, oneSdk));
    console.log(row(`all flags (${allFlagsDatafile.featureFlags.length})`, all, allSdk));
    // Every `checkout` decide sends exactly one impression; answered requests are a lower bound
    // (a request cut off when the run stops may still have been decided).
    const decided = warm.requests + one.requests;
    const received = servers.eventsByProject.get(String(oneFlagDatafile.projectId)) ?? 0;
    const lost = Math.max(0, decided - received);
    console.log(
      `\nOne-flag project: ${decided} answered decisions, ${received} impressions at logx, ` +
        `${servers.duplicates} duplicates in all. ${lost === 0 ? 'No event lost.' : `LOST ${lost} events.`}`,
    );
    if (one.errors + one.non2xx + all.errors + all.non2xx > 0 || lost > 0) process.exitCode = 1;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await servers.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
