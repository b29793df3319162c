/**
 * What every scenario returns: one number per SDK, their ratio and the acceptance target.
 */
import type { PerSide } from '../measure';

/** The unit of a scenario's numbers, which also says whether bigger is better. */
export type Unit = 'ops/s' | 'ms' | 'bytes/client' | 'bytes';

/**
 * The acceptance target on `ratio` (FlagKit / reference): `at-least` for throughput,
 * `at-most` for time and memory. Absent for informational rows.
 */
export interface Target {
  readonly kind: 'at-least' | 'at-most';
  readonly ratio: number;
}

/** One row of the report. */
export interface ScenarioResult {
  /** Stable machine-readable id, e.g. `decide-new-context`. */
  readonly id: string;
  /** Human-readable name for the table. */
  readonly title: string;
  readonly unit: Unit;
  /** The headline value of each side (a median). Null when a side is not measured. */
  readonly flagkit: number;
  readonly reference: number | null;
  /** `flagkit / reference`, or null when there is no reference value. */
  readonly ratio: number | null;
  readonly target: Target | null;
  /** Whether the ratio meets the target; null when there is no target. */
  readonly pass: boolean | null;
  /** The individual samples behind each median. */
  readonly samples: PerSide<readonly number[]> | { readonly flagkit: readonly number[] };
}

/** Builds a result, computing the ratio and whether it meets the target. */
export function scenarioResult(fields: Omit<ScenarioResult, 'ratio' | 'pass'>): ScenarioResult {
  const ratio =
    fields.reference === null || fields.reference === 0 ? null : fields.flagkit / fields.reference;
  let pass: boolean | null = null;
  if (fields.target && ratio !== null) {
    pass = fields.target.kind === 'at-least' ? ratio >= fields.target.ratio : ratio <= fields.target.ratio;
  }
  return { ...fields, ratio, pass };
}

/** Target for decide throughput: FlagKit at least ten times the reference. */
export const THROUGHPUT_TARGET: Target = { kind: 'at-least', ratio: 10 };
/** Target for load time: FlagKit at most a third of the reference. */
export const LOAD_TIME_TARGET: Target = { kind: 'at-most', ratio: 1 / 3 };
/** Target for heap after load: FlagKit no larger than the reference. */
export const HEAP_TARGET: Target = { kind: 'at-most', ratio: 1 };
