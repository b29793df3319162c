/** Receives every error FlagKit reports (it also logs them). Must not throw. */
export interface ErrorHandler {
  handleError(error: unknown): void;
}
