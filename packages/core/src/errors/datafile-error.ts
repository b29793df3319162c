import { FlagKitError } from './flagkit-error';

/**
 * A datafile that cannot be used: bad JSON, an unsupported version, or a missing or mistyped
 * field. `path` names the offending field, e.g. `featureFlags[2].variables[0].type`.
 */
export class DatafileError extends FlagKitError {
  /** Where in the datafile the problem is; empty for the document itself. */
  readonly path: string;

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(
      'INVALID_DATAFILE',
      path ? `Invalid datafile at ${path}: ${problem}` : `Invalid datafile: ${problem}`,
      options,
    );
    this.name = 'DatafileError';
    this.path = path;
  }
}
