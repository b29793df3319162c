/**
 * Allocation of entity ids and keys. Ids are digit strings, unique across every entity kind
 * of one datafile (flags, rules, variations, audiences, ...). Keys are unique per namespace.
 */
import type { Random } from './random';

/** Hands out increasing, unique digit-string ids with random gaps, like real datafiles. */
export class IdAllocator {
  private next: number;

  constructor(private readonly random: Random) {
    // Eleven-digit ids, far below 2^53 even after many allocations.
    this.next = 10_000_000_000 + random.int(0, 899_999) * 1000;
  }

  /** A fresh id never returned before by this allocator. */
  id(): string {
    this.next += this.random.int(1, 997);
    return String(this.next);
  }
}

/** Makes keys unique within one namespace by suffixing a counter on collision. */
export class KeyAllocator {
  private readonly used = new Set<string>();

  /** `base` if unused, else `base_2`, `base_3`, ... */
  key(base: string): string {
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${base}_${n}`;
    this.used.add(candidate);
    return candidate;
  }

  /** Whether `key` was handed out. */
  has(key: string): boolean {
    return this.used.has(key);
  }
}
