/**
 * Command-line options of the benchmark.
 */
import { parseArgs } from 'node:util';

/** Default seed of the generated inputs; the 200-flag datafile uses this plus 100. */
export const DEFAULT_SEED = 20240601;

/** The benchmark's settings; every one has a default. */
export interface BenchOptions {
  /** Where to write the JSON report (relative to where pnpm was run), or null for none. */
  readonly json: string | null;
  /** Minimum duration of one throughput measurement, in ms. */
  readonly timeMs: number;
  /** Untimed warm-up per side before a throughput scenario, in ms. */
  readonly warmupMs: number;
  /** Interleaved rounds per throughput scenario; the median is reported. */
  readonly rounds: number;
  /** Users in each pool. */
  readonly users: number;
  /** Timed loads per side in the load-time scenario. */
  readonly loadRuns: number;
  /** Clients held per heap measurement. */
  readonly heapClients: number;
  /** Seed of the generated datafiles and users. */
  readonly seed: number;
  /** Users whose decisions are compared between the SDKs before timing. */
  readonly agreementSample: number;
  /** Scenario ids (or id prefixes) to run; empty for all. */
  readonly only: readonly string[];
}

/** Usage text for `--help`. */
export const USAGE = `Usage: pnpm bench [-- options]

  --json <file>         also write the results as JSON to <file> (e.g. bench-results/latest.json)
  --quick               short measurements, for a smoke test (numbers are noisy)
  --time <ms>           minimum duration of one throughput measurement (default 1000)
  --rounds <n>          interleaved rounds per throughput scenario (default 5)
  --users <n>           users per pool (default 10000)
  --load-runs <n>       timed loads per SDK (default 30)
  --heap-clients <n>    clients held per heap measurement (default 20)
  --seed <n>            seed of the generated datafiles and users (default ${DEFAULT_SEED})
  --only <ids>          comma-separated scenario ids or prefixes, e.g. decide-all,load-time
  --help                show this text`;

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
}

/** Parses `argv` (without the node and script arguments). Returns null when `--help` was asked for. */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...argv].filter((arg) => arg !== '--'),
    options: {
      json: { type: 'string' },
      quick: { type: 'boolean', default: false },
      time: { type: 'string' },
      rounds: { type: 'string' },
      users: { type: 'string' },
      'load-runs': { type: 'string' },
      'heap-clients': { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const quick = values.quick === true;
  return {
    json: values.json ?? null,
    timeMs: positiveInteger('time', values.time, quick ? 150 : 1000),
    warmupMs: quick ? 100 : 500,
    rounds: positiveInteger('rounds', values.rounds, quick ? 3 : 5),
    users: positiveInteger('users', values.users, quick ? 2000 : 10_000),
    loadRuns: positiveInteger('load-runs', values['load-runs'], quick ? 7 : 30),
    heapClients: positiveInteger('heap-clients', values['heap-clients'], quick ? 5 : 20),
    seed: positiveInteger('seed', values.seed, DEFAULT_SEED),
    agreementSample: quick ? 50 : 200,
    only: (values.only ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  };
}
