/**
 * The generated corpus: which datafiles (seed, flag count, knobs) and how many users each.
 * `CONFORMANCE_SCALE` (default 1) multiplies the user counts for deeper local runs, and
 * `CONFORMANCE_SEED_OFFSET` (default 0) shifts every seed, so a local run can hunt for differences
 * in datafiles CI never generates.
 */
import {
  type GenerateDatafileOptions,
  type GeneratedDatafile,
  type GeneratedUser,
  generateDatafile,
  generateUsers,
} from '@flagkit/datafile-generator';
import { type DatafileFacts, datafileFacts } from './datafile-facts';

/** One datafile of the corpus and its users. */
export interface Scenario extends GenerateDatafileOptions {
  readonly users: number;
}

const SCALE = Math.max(0.01, Number(process.env.CONFORMANCE_SCALE ?? '1') || 1);

const scaled = (n: number): number => Math.max(1, Math.round(n * SCALE));

/** Added to every generated datafile's seed (`CONFORMANCE_SEED_OFFSET`). */
export const SEED_OFFSET = Math.trunc(Number(process.env.CONFORMANCE_SEED_OFFSET ?? '0') || 0);

/** Six datafiles of 10..60 flags, 1500 users each; one without quirks. */
export const DECIDE_SCENARIOS: readonly Scenario[] = [
  { seed: 101 + SEED_OFFSET, flags: 10, users: scaled(1500) },
  { seed: 202 + SEED_OFFSET, flags: 20, users: scaled(1500) },
  { seed: 303 + SEED_OFFSET, flags: 30, users: scaled(1500), quirks: false },
  { seed: 404 + SEED_OFFSET, flags: 40, users: scaled(1500) },
  { seed: 505 + SEED_OFFSET, flags: 50, users: scaled(1500) },
  { seed: 606 + SEED_OFFSET, flags: 60, users: scaled(1500) },
];

/** Smaller corpus for the legacy API (each user makes many calls). */
export const LEGACY_SCENARIOS: readonly Scenario[] = [
  { seed: 707 + SEED_OFFSET, flags: 15, users: scaled(200) },
  { seed: 808 + SEED_OFFSET, flags: 30, users: scaled(200) },
  { seed: 909 + SEED_OFFSET, flags: 45, users: scaled(200), quirks: false },
];

/** A scenario, materialised. */
export interface Corpus {
  readonly scenario: Scenario;
  readonly datafile: GeneratedDatafile;
  readonly users: readonly GeneratedUser[];
  readonly facts: DatafileFacts;
}

/** Generates the datafile and users of a scenario (deterministic). */
export function buildCorpus(scenario: Scenario): Corpus {
  const { users: count, ...options } = scenario;
  const datafile = generateDatafile(options);
  const users = generateUsers(datafile, { seed: scenario.seed * 7 + 1, count });
  return { scenario, datafile, users, facts: datafileFacts(datafile) };
}

/** A short label for test names. */
export function label(scenario: Scenario): string {
  return `seed ${scenario.seed}, ${scenario.flags} flags, ${scenario.users} users${scenario.quirks === false ? ', no quirks' : ''}`;
}
