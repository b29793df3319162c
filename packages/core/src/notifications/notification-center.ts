import type { ErrorHandler } from '../ports/error-handler';
import type { Logger } from '../ports/logger';
import { NOTIFICATION_TYPES, type NotificationPayloads, type NotificationType } from './notification-types';

type Listener<T extends NotificationType> = (payload: NotificationPayloads[T]) => void;

const VALID_TYPES = new Set<string>(Object.values(NOTIFICATION_TYPES));

/**
 * Listener registry for ACTIVATE, DECISION, LOG_EVENT, OPTIMIZELY_CONFIG_UPDATE and TRACK.
 * A listener that throws is reported and does not affect the others or the caller.
 */
export class NotificationCenter {
  #nextId = 1;
  readonly #listeners = new Map<NotificationType, Map<number, (payload: never) => void>>();
  readonly #logger: Logger;
  readonly #errorHandler: ErrorHandler | undefined;

  constructor(logger: Logger, errorHandler?: ErrorHandler) {
    this.#logger = logger;
    this.#errorHandler = errorHandler;
  }

  /** Adds a listener; returns its id, or -1 for an unknown type. */
  addNotificationListener<T extends NotificationType>(type: T, listener: Listener<T>): number {
    if (!VALID_TYPES.has(type) || typeof listener !== 'function') return -1;
    let byId = this.#listeners.get(type);
    if (!byId) {
      byId = new Map();
      this.#listeners.set(type, byId);
    }
    const id = this.#nextId++;
    byId.set(id, listener as (payload: never) => void);
    return id;
  }

  /** Removes a listener by id; false when there was none. */
  removeNotificationListener(id: number): boolean {
    for (const [type, byId] of this.#listeners) {
      if (byId.delete(id)) {
        // No empty entries: `hasListeners` can then answer from the map's size.
        if (byId.size === 0) this.#listeners.delete(type);
        return true;
      }
    }
    return false;
  }

  clearNotificationListeners(type: NotificationType): void {
    this.#listeners.delete(type);
  }

  clearAllNotificationListeners(): void {
    this.#listeners.clear();
  }

  /** True when someone listens for `type`: lets callers skip building payloads nobody reads. */
  hasListeners(type: NotificationType): boolean {
    // Decide asks this per decision and most clients have no listeners: skip the lookup then.
    return this.#listeners.size > 0 && this.#listeners.has(type);
  }

  /** @internal Delivers a notification to every listener of its type. */
  send<T extends NotificationType>(type: T, payload: NotificationPayloads[T]): void {
    const byId = this.#listeners.get(type);
    if (!byId) return;
    for (const listener of [...byId.values()]) {
      try {
        (listener as Listener<T>)(payload);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (this.#logger.isEnabled('error'))
          this.#logger.log('error', `Notification listener for (${type}) threw: ${message}`);
        try {
          this.#errorHandler?.handleError(error);
        } catch {
          // An error handler must not throw; if it does there is nobody left to tell.
        }
      }
    }
  }
}
