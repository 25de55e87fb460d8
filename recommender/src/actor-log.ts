/**
 * One actor's recent events in arrival order, in typed arrays (13 bytes an event): the source of their
 * profile, the seeds of their feed, and the exact record of what they added to co-occurrence counts, so
 * that eviction and `forget` can take it out again. Purchases are also kept as a set of items, beyond the
 * log's horizon, because the feed must never offer something already bought.
 */
export class ActorLog {
  items = new Int32Array(8);
  times = new Float64Array(8);
  types = new Uint8Array(8);
  length = 0;
  /** Events ever recorded for the actor, including evicted ones. */
  total = 0;
  /** Item indexes bought, least recent first (a repeat purchase moves to the end). */
  readonly purchased = new Set<number>();

  append(item: number, type: number, at: number): void {
    if (this.length === this.items.length) this.resize(this.length * 2);
    this.items[this.length] = item;
    this.times[this.length] = at;
    this.types[this.length] = type;
    this.length++;
    this.total++;
  }

  /** Drops the `count` oldest events. */
  dropOldest(count: number): void {
    const keep = this.length - count;
    this.items.copyWithin(0, count, this.length);
    this.times.copyWithin(0, count, this.length);
    this.types.copyWithin(0, count, this.length);
    this.length = keep;
  }

  private resize(capacity: number): void {
    const items = new Int32Array(capacity);
    const times = new Float64Array(capacity);
    const types = new Uint8Array(capacity);
    items.set(this.items.subarray(0, this.length));
    times.set(this.times.subarray(0, this.length));
    types.set(this.types.subarray(0, this.length));
    this.items = items;
    this.times = times;
    this.types = types;
  }
}
