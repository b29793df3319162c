import { MapView } from '../util/map-view';

/**
 * A read-only map whose values are built from raw datafile entries on first `get` and then kept.
 * A loaded config indexes entities by id or key this way, so loading a datafile costs little more
 * than parsing it, and an entity is compiled (audiences, variations, maps) only when first used.
 *
 * The raw index itself is built on first use too. Iterating builds every value, in raw order.
 */
export class LazyMap<Raw, Value> extends MapView<Value> {
  #rawIndex: ReadonlyMap<string, Raw> | null = null;
  /** Built values by key; null when `build` keeps its own (see the constructor). */
  readonly #built: Map<string, Value> | null;
  #ordered: Map<string, Value> | null = null;

  readonly #indexRaw: () => ReadonlyMap<string, Raw>;
  readonly #build: (raw: Raw, key: string) => Value;

  /**
   * @param indexRaw - Builds the raw index (called at most once).
   * @param build - Builds the value of one raw entry, given with its key (called at most once per
   *   key, unless
   *   `buildCaches`).
   * @param buildCaches - `build` returns the same value for the same raw entry by itself (it keeps
   *   its own cache), so this map keeps none: a config has thousands of entities, and a second
   *   map of them costs some 40 bytes each.
   */
  constructor(
    indexRaw: () => ReadonlyMap<string, Raw>,
    build: (raw: Raw, key: string) => Value,
    buildCaches = false,
  ) {
    super();
    this.#indexRaw = indexRaw;
    this.#build = build;
    this.#built = buildCaches ? null : new Map();
  }

  #raw(): ReadonlyMap<string, Raw> {
    this.#rawIndex ??= this.#indexRaw();
    return this.#rawIndex;
  }

  override get size(): number {
    return this.#raw().size;
  }

  has(key: string): boolean {
    return this.#raw().has(key);
  }

  get(key: string): Value | undefined {
    const built = this.#built;
    if (built === null) {
      const raw = this.#raw().get(key);
      return raw === undefined ? undefined : this.#build(raw, key);
    }
    const value = built.get(key);
    if (value !== undefined) return value;
    const raw = this.#raw().get(key);
    if (raw === undefined) return undefined;
    const fresh = this.#build(raw, key);
    built.set(key, fresh);
    return fresh;
  }

  /** Every entry built, in raw order: what iteration goes through. */
  protected asMap(): Map<string, Value> {
    if (this.#ordered === null) {
      const ordered = new Map<string, Value>();
      for (const key of this.#raw().keys()) ordered.set(key, this.get(key)!);
      this.#ordered = ordered;
    }
    return this.#ordered;
  }
}
