/**
 * The benchmark's inputs: seeded datafiles and user pools from `@flagkit/datafile-generator`,
 * identical for both SDKs.
 */
import { type GeneratedUser, generateDatafile, generateUsers } from '@flagkit/datafile-generator';
import type { BenchAttributes, BenchUser } from './sdks';

/** A generated datafile in the forms the benchmark needs. */
export interface DatafileFixture {
  /** Number of feature flags. */
  readonly flagCount: number;
  /** The datafile as JSON text: what both SDKs are given. */
  readonly text: string;
  /** Its size in bytes (UTF-8). */
  readonly bytes: number;
  /** Every flag key, in datafile order. */
  readonly flagKeys: readonly string[];
  /** A pool of users aimed at this datafile's audiences. */
  readonly users: readonly BenchUser[];
}

/**
 * A generated user typed for the SDKs. The generator's attribute values are `unknown` on
 * purpose (some are of types no SDK accepts); both SDKs validate values at run time and skip
 * the ones they cannot evaluate, so the values are passed through as they are.
 */
function toBenchUser(user: GeneratedUser): BenchUser {
  return { userId: user.userId, attributes: user.attributes as BenchAttributes, segments: user.segments };
}

/** Options of {@link createFixture}. */
export interface FixtureOptions {
  readonly flags: number;
  readonly users: number;
  readonly seed: number;
}

/**
 * Generates a datafile and a user pool. The datafile leaves out the generator's deliberate
 * quirks (malformed inputs a real project would not have), and the users leave out
 * `__proto__` / `constructor` attribute keys and sticky-bucketing maps, so the numbers describe
 * ordinary traffic. Everything else — audiences of every match type, groups, holdouts, ODP
 * segments, bucketing ids, odd user ids — stays in.
 */
export function createFixture(options: FixtureOptions): DatafileFixture {
  const datafile = generateDatafile({ seed: options.seed, flags: options.flags, quirks: false, odp: true });
  const text = JSON.stringify(datafile);
  const users = generateUsers(datafile, {
    seed: options.seed + 1,
    count: options.users,
    prototypeKeyShare: 0,
    bucketMapShare: 0,
  });
  return {
    flagCount: options.flags,
    text,
    bytes: Buffer.byteLength(text),
    flagKeys: datafile.featureFlags.map((flag) => flag.key),
    users: users.map(toBenchUser),
  };
}
