import { MapView } from './map-view';

/**
 * A read-only map over a short array of items, answering `get` and `has` by linear search. A
 * compiled datafile holds thousands of tiny lookups (a variation's variable values, a rule's
 * variations by key); a `Map` costs some 200 bytes each even when empty, this a few words over
 * an array that exists anyway.
 *
 * Behaves like a `Map` filled by `set(keyOf(item), valueOfItem(item))` in array order: a repeated key
 * has the last item's value and the first item's position in iteration.
 */
export class ArrayMap<Item, Value> extends MapView<Value> {
  readonly #items: readonly Item[];
  readonly #keyOf: (item: Item) => string;
  readonly #valueOfItem: (item: Item) => Value;

  /**
   * @param items - The entries; not copied, so they must not change afterwards.
   * @param keyOf - An item's key (pass a shared function: instances stay small).
   * @param valueOfItem - An item's value.
   */
  constructor(items: readonly Item[], keyOf: (item: Item) => string, valueOfItem: (item: Item) => Value) {
    super();
    this.#items = items;
    this.#keyOf = keyOf;
    this.#valueOfItem = valueOfItem;
  }

  get(key: string): Value | undefined {
    const items = this.#items;
    for (let i = items.length - 1; i >= 0; i--) {
      if (this.#keyOf(items[i]!) === key) return this.#valueOfItem(items[i]!);
    }
    return undefined;
  }

  has(key: string): boolean {
    const items = this.#items;
    for (let i = 0; i < items.length; i++) if (this.#keyOf(items[i]!) === key) return true;
    return false;
  }

  /** The same entries as a `Map`, built for iteration (rare) and not kept. */
  protected asMap(): Map<string, Value> {
    const map = new Map<string, Value>();
    for (const item of this.#items) map.set(this.#keyOf(item), this.#valueOfItem(item));
    return map;
  }
}
