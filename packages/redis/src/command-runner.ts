import type { Logger } from '@flagkit/core';
import { createRateLimitedLog } from './rate-limited-log';
import type { RedisCommandClient } from './redis-client-port';
import type { RedisHealth } from './redis-health';
import { RedisUnavailableError } from './redis-unavailable-error';

/** How long a command may take before it counts as failed; default of every component. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
/** At most one Redis error log line per component in this window. */
export const DEFAULT_ERROR_LOG_INTERVAL_MS = 10_000;

export interface CommandRunnerOptions {
  readonly client: RedisCommandClient;
  readonly commandTimeoutMs?: number;
  readonly logger?: Logger;
  readonly errorLogIntervalMs?: number;
  /** Names the component in log lines, e.g. `Redis segments cache`. */
  readonly name: string;
  /**
   * Resolves when a client made by `createResilientRedisClient` first connects. Until then commands
   * wait for it (within their timeout), so a node's first decisions after start do not all miss;
   * once such a wait times out, commands fail fast like in any outage.
   */
  readonly firstReady?: Promise<unknown>;
}

/**
 * Runs commands with a bounded wait and keeps the numbers behind {@link RedisHealth}. Every
 * component owns one, so its health and its rate-limited error log are its own.
 */
export class CommandRunner {
  readonly name: string;
  private readonly client: RedisCommandClient;
  private readonly timeoutMs: number;
  private readonly commandOptions: { readonly timeout: number };
  private readonly logError: (message: string) => void;
  private commands = 0;
  private errors = 0;
  private timeouts = 0;
  private offline = 0;
  private lastError: string | null = null;
  private firstReady: Promise<unknown> | null;

  constructor(options: CommandRunnerOptions) {
    this.firstReady = options.firstReady ?? null;
    this.firstReady?.then(() => {
      this.firstReady = null;
    });
    this.name = options.name;
    this.client = options.client;
    this.timeoutMs = positiveOr(options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS);
    this.commandOptions = { timeout: this.timeoutMs };
    this.logError = createRateLimitedLog(
      options.logger,
      'error',
      positiveOr(options.errorLogIntervalMs, DEFAULT_ERROR_LOG_INTERVAL_MS),
    );
  }

  /**
   * Sends one command. Rejects with a {@link RedisUnavailableError} when the client is offline, the
   * command fails, or no answer came within the timeout; never waits longer than the timeout.
   */
  run(args: ReadonlyArray<string>): Promise<unknown> {
    const command = args[0] ?? '';
    const waitForFirstConnection = this.client.isReady === false ? this.firstReady : null;
    if (this.client.isReady === false && !waitForFirstConnection) {
      return Promise.reject(
        this.fail(command, new RedisUnavailableError('offline', 'Redis is not connected')),
      );
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        // Redis was down at start: from now on fail fast, as in any outage, instead of piling up waiters.
        if (waitForFirstConnection) this.firstReady = null;
        const error = new RedisUnavailableError('timeout', `no answer within ${this.timeoutMs} ms`);
        reject(this.fail(command, error));
      }, this.timeoutMs);
      (timer as { unref?: () => void }).unref?.();
      const send = (): Promise<unknown> => {
        if (settled) return Promise.resolve();
        try {
          return this.client.sendCommand(args, this.commandOptions);
        } catch (error) {
          return Promise.reject(error);
        }
      };
      const sent = waitForFirstConnection ? waitForFirstConnection.then(send) : send();
      sent.then(
        (reply) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          this.commands++;
          resolve(reply);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(this.fail(command, toUnavailable(error)));
        },
      );
    });
  }

  /** Records a failure that happened outside `run` (a bad value, a failed subscribe) and logs it. */
  report(message: string): void {
    this.lastError = message;
    this.logError(`${this.name}: ${message}`);
  }

  /** Counts and logs a failed command; returns the error for rejecting. */
  private fail(command: string, error: RedisUnavailableError): RedisUnavailableError {
    this.errors++;
    if (error.reason === 'timeout') this.timeouts++;
    else if (error.reason === 'offline') this.offline++;
    // The command name only: arguments hold user ids and values, which do not belong in logs.
    this.report(`${command} failed (${error.reason}): ${error.message}`);
    return error;
  }

  health(): RedisHealth {
    return {
      connected: this.client.isReady !== false,
      commands: this.commands,
      errors: this.errors,
      timeouts: this.timeouts,
      offline: this.offline,
      lastError: this.lastError,
    };
  }
}

function toUnavailable(error: unknown): RedisUnavailableError {
  if (error instanceof RedisUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || /timeout/i.test(name)) {
    return new RedisUnavailableError('timeout', message, { cause: error });
  }
  if (/offline|closed|ClientClosed|ClientOffline|ECONNREFUSED|socket/i.test(`${name} ${message}`)) {
    return new RedisUnavailableError('offline', message, { cause: error });
  }
  return new RedisUnavailableError('command', message, { cause: error });
}

export function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
