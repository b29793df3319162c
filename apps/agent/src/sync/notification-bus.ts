/** A notification as it travels between nodes: Agent's `{type, message}` envelope. */
export interface BusNotification {
  /** `decision`, `track` or `project_config_update`. */
  readonly type: string;
  /** The payload exactly as SSE clients receive it. */
  readonly message: unknown;
}

/**
 * Carries SDK notifications from the node that made them to every SSE stream for the same SDK
 * key. The in-memory bus reaches this node's streams only; a shared one (Redis pub/sub, channel
 * `optimizely-sync-<sdkKey>`) reaches every node's.
 */
export interface NotificationBus {
  publish(sdkKey: string, notification: BusNotification): void;
  /** Calls `listener` for each notification published for `sdkKey`; returns the unsubscribe. */
  subscribe(sdkKey: string, listener: (notification: BusNotification) => void): () => void;
  close?(): Promise<void>;
}

/** The single-node bus. */
export function createInMemoryNotificationBus(): NotificationBus {
  const listeners = new Map<string, Set<(notification: BusNotification) => void>>();
  return {
    publish(sdkKey, notification) {
      const set = listeners.get(sdkKey);
      if (!set) return;
      for (const listener of set) listener(notification);
    },
    subscribe(sdkKey, listener) {
      let set = listeners.get(sdkKey);
      if (!set) {
        set = new Set();
        listeners.set(sdkKey, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(sdkKey);
      };
    },
  };
}
