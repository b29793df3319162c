/** A snapshot of one component's view of Redis, for health checks and metrics. */
export interface RedisHealth {
  /** Whether the client is connected right now (true when the client cannot tell). */
  readonly connected: boolean;
  /** Commands that succeeded. */
  readonly commands: number;
  /** Commands that failed for any reason (timeouts and offline included). */
  readonly errors: number;
  /** Of `errors`: commands that got no answer within the command timeout. */
  readonly timeouts: number;
  /** Of `errors`: commands not sent because the client was disconnected. */
  readonly offline: number;
  /** The last failure's message, or null when there was none. */
  readonly lastError: string | null;
}
