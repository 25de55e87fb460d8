const EMPTY = -1;
const DELETED = -2;

/**
 * A hash map from item index (≥ 0) to an integer count, in two typed arrays (open addressing, linear
 * probing, tombstones). It stands in for `Map<number, number>` in the co-occurrence neighbour lists:
 * there are up to 200 entries for each of 100k items, and a garbage collector marks a JS Map entry by
 * entry, while typed arrays hold no pointers — a full GC of a million-event model went from ~1 s to a few
 * tens of ms. Iteration order is slot order; every ranking breaks ties by index, so it never shows.
 */
export class IntCountMap {
  private keys: Int32Array;
  private counts: Int32Array;
  private used = 0;
  private tombstones = 0;

  constructor(capacity = 8) {
    const size = 1 << Math.ceil(Math.log2(Math.max(8, capacity * 2)));
    this.keys = new Int32Array(size).fill(EMPTY);
    this.counts = new Int32Array(size);
  }

  get size(): number {
    return this.used;
  }

  get(key: number): number {
    const slot = this.find(key);
    return slot < 0 ? 0 : this.counts[slot]!;
  }

  /** Adds `delta` to the count of `key`; a count that reaches zero or below removes the key. Returns it. */
  add(key: number, delta: number): number {
    let slot = this.find(key);
    if (slot >= 0) {
      const next = this.counts[slot]! + delta;
      if (next > 0) this.counts[slot] = next;
      else this.removeSlot(slot);
      return Math.max(0, next);
    }
    if (delta <= 0) return 0;
    if ((this.used + this.tombstones + 1) * 4 > this.keys.length * 3) this.rehash(this.used + 1);
    slot = this.insertSlot(key);
    this.keys[slot] = key;
    this.counts[slot] = delta;
    this.used++;
    return delta;
  }

  delete(key: number): void {
    const slot = this.find(key);
    if (slot >= 0) this.removeSlot(slot);
  }

  /** Calls `visit(key, count)` for every entry. The map must not change during the walk. */
  forEach(visit: (key: number, count: number) => void): void {
    for (let slot = 0; slot < this.keys.length; slot++) {
      const key = this.keys[slot]!;
      if (key >= 0) visit(key, this.counts[slot]!);
    }
  }

  keysArray(): number[] {
    const out: number[] = [];
    this.forEach((key) => out.push(key));
    return out;
  }

  /** Keeps only the given entries (sized for them). */
  replaceWith(entries: [key: number, count: number][]): void {
    const fresh = new IntCountMap(entries.length);
    for (const [key, count] of entries) fresh.add(key, count);
    this.keys = fresh.keys;
    this.counts = fresh.counts;
    this.used = fresh.used;
    this.tombstones = 0;
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const k = this.keys[slot]!;
      if (k === key) return slot;
      if (k === EMPTY) return -1;
    }
  }

  private insertSlot(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      if (this.keys[slot]! < 0) {
        if (this.keys[slot] === DELETED) this.tombstones--;
        return slot;
      }
    }
  }

  private removeSlot(slot: number): void {
    this.keys[slot] = DELETED;
    this.counts[slot] = 0;
    this.used--;
    this.tombstones++;
  }

  private rehash(needed: number): void {
    const entries: [number, number][] = [];
    this.forEach((key, count) => entries.push([key, count]));
    const size = 1 << Math.ceil(Math.log2(Math.max(8, needed * 2)));
    this.keys = new Int32Array(size).fill(EMPTY);
    this.counts = new Int32Array(size);
    this.used = 0;
    this.tombstones = 0;
    for (const [key, count] of entries) {
      const slot = this.insertSlot(key);
      this.keys[slot] = key;
      this.counts[slot] = count;
      this.used++;
    }
  }
}

/** Spreads consecutive indexes over the table (multiplicative hashing). */
function hash(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 16;
}
