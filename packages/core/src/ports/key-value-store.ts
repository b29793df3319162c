/**
 * A durable string key-value store: localStorage in browsers, a file or Redis on servers. Used for
 * pending events (so none are lost across restarts) and for the VUID.
 *
 * Contract: every method may be sync or async. Implementations should not throw; when they do
 * (blocked storage, quota), callers log the failure and carry on in memory. Keys are opaque
 * strings chosen by the caller, which namespaces them with a prefix.
 */
export interface KeyValueStore {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
  /** Every key currently stored (callers filter by their prefix). */
  keys(): readonly string[] | Promise<readonly string[]>;
}
