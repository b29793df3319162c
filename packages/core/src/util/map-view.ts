/**
 * The iteration half of a `ReadonlyMap` whose lookups are answered some cheaper way than by a
 * `Map` (see `LazyMap`, `ArrayMap`): iterating goes through `asMap()`, a real `Map` with the same
 * entries in the same order.
 */
export abstract class MapView<Value> implements ReadonlyMap<string, Value> {
  abstract get(key: string): Value | undefined;
  abstract has(key: string): boolean;
  /** A `Map` with the same entries, in iteration order. */
  protected abstract asMap(): ReadonlyMap<string, Value>;

  get size(): number {
    return this.asMap().size;
  }

  forEach(
    callback: (value: Value, key: string, map: ReadonlyMap<string, Value>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.asMap()) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, Value]> {
    return this.asMap().entries();
  }

  keys(): MapIterator<string> {
    return this.asMap().keys();
  }

  values(): MapIterator<Value> {
    return this.asMap().values();
  }

  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.asMap()[Symbol.iterator]();
  }

  get [Symbol.toStringTag](): string {
    return 'MapView';
  }
}
