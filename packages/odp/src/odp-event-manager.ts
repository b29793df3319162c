import type { Logger, Requester } from '@flagkit/core';
import { errorMessage } from './error-message';
import { ODP_NOT_INTEGRATED, type OdpConfig, postToOdp } from './odp-config';
import { type OdpEvent, serializeOdpEvents } from './odp-event';
import { sleep, startTimer } from './timers';
import { wholeNumberOption } from './whole-number-option';

/** Settings of the ODP event batching; every one has a default. */
export interface OdpEventManagerOptions {
  /** Events per request; a full batch is sent at once. Default 10. */
  readonly batchSize?: number;
  /** Longest time an event waits for its batch to fill, in ms. Default 1 000; 0 sends each event alone. */
  readonly flushIntervalMs?: number;
  /** Most events waiting to be sent; more are refused (`queueFull`). Default 10 000. */
  readonly queueSize?: number;
  /** Bound on each events request, in ms. Default 10 000. */
  readonly requestTimeoutMs?: number;
  /** Retries of a batch after a 5xx or network failure. Default 2 (3 attempts). */
  readonly maxRetries?: number;
  /** First retry delay, doubled per retry up to `maxBackoffMs`, with jitter. Default 200. */
  readonly minBackoffMs?: number;
  /** Default 1 000. */
  readonly maxBackoffMs?: number;
}

/** Counters of the event pipeline since it was created, for monitoring. */
export interface OdpEventMetrics {
  /** Events waiting in the queue now. */
  readonly queued: number;
  /** Events ODP accepted. */
  readonly sent: number;
  /** Events given up on: refused with 4xx, retries exhausted at close, or no room to re-queue. */
  readonly dropped: number;
  /** Events refused by `sendOdpEvent` because the queue was full. */
  readonly rejectedQueueFull: number;
  /** Requests retried after a 5xx or network failure. */
  readonly retries: number;
}

/** Whether an enqueue was accepted. */
export type EnqueueOutcome = 'queued' | 'queueFull' | 'closed';

/**
 * Batches ODP events and POSTs each batch as a JSON array to `{host}/v3/events`. A batch is sent
 * when it is full or `flushIntervalMs` after its first event. 5xx and network failures are
 * retried with backoff; after the last retry the batch goes back to the front of the queue for
 * the next flush (so an outage loses nothing while there is room). 4xx batches are logged and
 * dropped: ODP will not take them however often they are sent.
 */
export class OdpEventManager {
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #queueSize: number;
  readonly #requestTimeoutMs: number;
  readonly #maxRetries: number;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  #queue: OdpEvent[] = [];
  /** Where events go; null (not integrated) or undefined (no config yet): they wait in the queue. */
  #config: OdpConfig | null | undefined;
  #timer: unknown;
  /** Settles once every batch sent so far has been delivered, dropped or given back. */
  #allSent: Promise<unknown> = Promise.resolve();
  #closing = false;
  #sent = 0;
  #dropped = 0;
  #rejectedQueueFull = 0;
  #retries = 0;
  readonly #requester: Requester;
  readonly #logger: Logger;

  constructor(requester: Requester, logger: Logger, options: OdpEventManagerOptions = {}) {
    this.#logger = logger;
    this.#requester = requester;
    this.#flushIntervalMs = wholeNumberOption(options.flushIntervalMs, 1_000);
    this.#batchSize = this.#flushIntervalMs === 0 ? 1 : wholeNumberOption(options.batchSize, 10, 1);
    this.#queueSize = wholeNumberOption(options.queueSize, 10_000, 1);
    this.#requestTimeoutMs = wholeNumberOption(options.requestTimeoutMs, 10_000, 1);
    this.#maxRetries = wholeNumberOption(options.maxRetries, 2);
    this.#minBackoffMs = wholeNumberOption(options.minBackoffMs, 200);
    this.#maxBackoffMs = Math.max(this.#minBackoffMs, wholeNumberOption(options.maxBackoffMs, 1_000));
  }

  /** Switches host or key. Events queued so far are sent first, with the config they were queued under. */
  updateConfig(config: OdpConfig | null): void {
    void this.flush();
    this.#config = config;
  }

  /** Queues an event for the current config. */
  enqueue(event: OdpEvent): EnqueueOutcome {
    if (this.#closing) return 'closed';
    if (this.#queue.length >= this.#queueSize) {
      this.#rejectedQueueFull++;
      return 'queueFull';
    }
    if (this.#queue.push(event) >= this.#batchSize) void this.flush();
    else this.#flushLater(this.#flushIntervalMs);
    return 'queued';
  }

  /** Sends every queued event now; resolves when every batch sent so far has settled. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const config = this.#config;
    while (config && this.#queue.length > 0) {
      // #send never rejects: every failure is counted and logged.
      this.#allSent = Promise.all([
        this.#allSent,
        this.#send(config, this.#queue.splice(0, this.#batchSize)),
      ]);
    }
    await this.#allSent;
  }

  /** Refuses new events, sends the queued ones (retrying, without re-queueing) and waits. */
  async stop(): Promise<void> {
    this.#closing = true;
    await this.flush();
    if (this.#queue.length > 0) {
      // Left with no config to send them with.
      this.#drop(this.#queue.length, `${ODP_NOT_INTEGRATED} at close`);
      this.#queue = [];
    }
  }

  metrics(): OdpEventMetrics {
    return {
      queued: this.#queue.length,
      sent: this.#sent,
      dropped: this.#dropped,
      rejectedQueueFull: this.#rejectedQueueFull,
      retries: this.#retries,
    };
  }

  /**
   * Posts a batch until ODP takes it, refuses it (4xx: dropped), or the retries after 5xx and
   * network failures run out (then it goes back to the queue).
   */
  async #send(config: OdpConfig, batch: OdpEvent[]): Promise<void> {
    const body = serializeOdpEvents(batch);
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const response = await postToOdp(this.#requester, config, '/v3/events', body, this.#requestTimeoutMs);
        // Read the answer even when it is not needed, so the connection can be reused.
        const text = await response.text().catch(() => '');
        const { status } = response;
        if (status < 400) {
          this.#sent += batch.length;
          return;
        }
        failure = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
        // ODP will not take a 4xx batch however often it is sent.
        if (status < 500) return this.#drop(batch.length, failure);
      } catch (error) {
        failure = errorMessage(error);
      }
      if (attempt >= this.#maxRetries) return this.#giveBack(batch, failure);
      this.#retries++;
      // Exponential backoff from `minBackoffMs`, capped, with jitter in the upper half.
      const backoff = Math.min(this.#maxBackoffMs, this.#minBackoffMs * 2 ** attempt);
      await sleep((backoff * (1 + Math.random())) / 2);
    }
  }

  /** Flushes in `ms` unless a flush is already scheduled. */
  #flushLater(ms: number): void {
    this.#timer ??= startTimer(() => void this.flush(), ms);
  }

  /** Puts a batch whose retries ran out back in front of the queue, as far as there is room. */
  #giveBack(batch: OdpEvent[], reason: string): void {
    // The queue never holds more than queueSize, so the room is never negative.
    const room = this.#closing ? 0 : this.#queueSize - this.#queue.length;
    const kept = batch.slice(0, room);
    if (kept.length > 0) {
      this.#queue = kept.concat(this.#queue);
      // Not sooner than 100 ms, so a dead server with flushIntervalMs 0 is not hammered.
      this.#flushLater(Math.max(100, this.#flushIntervalMs));
      this.#logFailure('warn', reason, kept.length, 'kept for the next flush');
    }
    if (kept.length < batch.length) this.#drop(batch.length - kept.length, `${reason}, retries exhausted`);
  }

  #drop(count: number, reason: string): void {
    this.#dropped += count;
    this.#logFailure('error', reason, count, 'dropped');
  }

  /** Logs `ODP event send failed (<reason>): <count> event(s) <outcome>.` */
  #logFailure(level: 'warn' | 'error', reason: string, count: number, outcome: string): void {
    this.#logger.log(level, `ODP event send failed (${reason}): ${count} event(s) ${outcome}.`);
  }
}
