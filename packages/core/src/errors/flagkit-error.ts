const FLAGKIT_ERROR = Symbol.for('flagkit.error');

/**
 * Base class of every error FlagKit throws or reports. `FlagKitError.isInstance` works even when
 * two copies of the package are installed, where `instanceof` would not.
 */
export class FlagKitError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by isInstance through the symbol.
  private readonly [FLAGKIT_ERROR] = true;
  /** A stable, machine-readable code, e.g. `INVALID_DATAFILE`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlagKitError';
    this.code = code;
  }

  static isInstance(value: unknown): value is FlagKitError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[FLAGKIT_ERROR] === true
    );
  }
}
