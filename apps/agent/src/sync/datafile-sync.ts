/**
 * Tells every node that an SDK key has a new datafile (a webhook reached one of them). The
 * in-memory channel tells this node only; a shared one (Redis, channel `optimizely-sync-datafile`)
 * tells all of them, and each re-fetches.
 */
export interface DatafileSyncChannel {
  publish(sdkKey: string): void;
  subscribe(listener: (sdkKey: string) => void): () => void;
  close?(): Promise<void>;
}

/** The single-node channel. */
export function createInMemoryDatafileSync(): DatafileSyncChannel {
  const listeners = new Set<(sdkKey: string) => void>();
  return {
    publish(sdkKey) {
      for (const listener of listeners) listener(sdkKey);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
