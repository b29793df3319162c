/**
 * Where accepted events wait for the next batch. Swappable; the processor only needs these four
 * operations. Implementations must be bounded: `add` returns false instead of growing past capacity.
 */
export interface Queue<T> {
  /** Appends `item`; false when the queue is full (the caller counts the drop). */
  add(item: T): boolean;
  /** Removes and returns up to `count` items from the head, oldest first. */
  remove(count: number): T[];
  /** The item `add` appended last, if any. */
  last(): T | undefined;
  size(): number;
}

/** A bounded FIFO in memory. `remove` of everything hands over the backing array without copying. */
export class InMemoryQueue<T> implements Queue<T> {
  #items: T[] = [];

  /** @param capacity the most items held at once. */
  constructor(readonly capacity: number) {}

  add(item: T): boolean {
    if (this.#items.length >= this.capacity) return false;
    this.#items.push(item);
    return true;
  }

  remove(count: number): T[] {
    if (count >= this.#items.length) {
      const all = this.#items;
      this.#items = [];
      return all;
    }
    return this.#items.splice(0, Math.max(0, count));
  }

  last(): T | undefined {
    return this.#items[this.#items.length - 1];
  }

  size(): number {
    return this.#items.length;
  }
}
