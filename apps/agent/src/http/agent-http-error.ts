/** An error answered as Agent answers it: `status` with the body `{"error": message}`. */
export class AgentHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AgentHttpError';
  }
}
