import type { ActorLog } from './actor-log';
import { IntCountMap } from './int-count-map';
import { LIMITS, PURCHASE_CODE } from './options';
import { TopK } from './top-k';

/**
 * Symmetric co-occurrence counts c(i, j) and per-item occurrence counts n(i), with the damped cosine
 *
 *   sim(i, j) = c(i, j) / √(n(i) · n(j)) · c(i, j) / (c(i, j) + LIMITS.pairShrinkage)
 *
 * Dividing by √n(j) is the popularity damping: a hub seen with everything has a large n and does not
 * dominate every list; the shrinkage factor keeps a single coincidence between two rare items from
 * scoring like a strong bond. Each item keeps a lazily pruned neighbour map: when it reaches
 * 4 × LIMITS.neighboursPerItem entries it is cut to the 2 × best by damped score.
 */
export class CoOccurrence {
  private readonly pairs: (IntCountMap | undefined)[] = [];
  private occurrences = new Float64Array(1024);

  occurrencesOf(index: number): number {
    return this.occurrences[index] ?? 0;
  }

  addOccurrence(index: number, delta: number): void {
    if (index >= this.occurrences.length) {
      const next = new Float64Array(Math.max(index + 1, this.occurrences.length * 2));
      next.set(this.occurrences);
      this.occurrences = next;
    }
    this.occurrences[index] = Math.max(0, this.occurrences[index]! + delta);
  }

  /** Adds delta to c(a, b); counts that reach zero (or were pruned away) disappear. */
  addPair(a: number, b: number, delta: number): void {
    this.addDirected(a, b, delta);
    this.addDirected(b, a, delta);
  }

  count(a: number, b: number): number {
    return this.pairs[a]?.get(b) ?? 0;
  }

  similarity(a: number, b: number): number {
    return this.damped(this.count(a, b), this.occurrencesOf(a), this.occurrencesOf(b));
  }

  /** Best neighbours of `index` by damped cosine, best first. */
  neighbours(
    index: number,
    limit: number,
    accept: (index: number) => boolean,
  ): { index: number; score: number }[] {
    const map = this.pairs[index];
    if (!map) return [];
    const top = new TopK(limit);
    const own = this.occurrencesOf(index);
    map.forEach((other, count) => {
      if (accept(other)) top.offer(other, this.damped(count, own, this.occurrencesOf(other)));
    });
    return top.drain();
  }

  /** Drops an item's counts and its entries in its neighbours' maps. */
  removeItem(index: number): void {
    const map = this.pairs[index];
    if (map) for (const other of map.keysArray()) this.pairs[other]?.delete(index);
    this.pairs[index] = undefined;
    if (index < this.occurrences.length) this.occurrences[index] = 0;
  }

  private damped(count: number, ownOccurrences: number, otherOccurrences: number): number {
    if (count <= 0) return 0;
    const cosine = count / Math.sqrt(Math.max(ownOccurrences, 1) * Math.max(otherOccurrences, 1));
    return cosine * (count / (count + LIMITS.pairShrinkage));
  }

  private addDirected(from: number, to: number, delta: number): void {
    let map = this.pairs[from];
    if (!map) {
      if (delta <= 0) return;
      map = this.pairs[from] = new IntCountMap();
    }
    map.add(to, delta);
    if (map.size >= 4 * LIMITS.neighboursPerItem) this.prune(from, map);
  }

  private prune(index: number, map: IntCountMap): void {
    const keep = this.neighbours(index, 2 * LIMITS.neighboursPerItem, () => true);
    map.replaceWith(keep.map(({ index: other }): [number, number] => [other, map.get(other)]));
  }
}

export const CO_VIEW = 0;
export const CO_PURCHASE = 1;

/**
 * The pairs that event `k` of an actor's log formed when it was recorded: co-view with the distinct items
 * of the LIMITS.pairLookback preceding events within `coWindowMs` (either side, as events may arrive out
 * of order), and, for a purchase, co-purchase with the distinct items of the preceding
 * LIMITS.pairLookback purchases at any distance.
 *
 * Only the log decides the pairs, so replaying it finds exactly what was added; and because the most
 * recent occurrence of an item is the one paired, dropping the oldest events never changes which of the
 * remaining pairs are found — which makes eviction and `forget` exact.
 */
export function forEachPairOf(
  log: ActorLog,
  k: number,
  coWindowMs: number,
  visit: (kind: number, item: number, other: number, otherPosition: number) => void,
): void {
  const item = log.items[k]!;
  const at = log.times[k]!;
  const seen: number[] = [];
  for (let p = k - 1; p >= Math.max(0, k - LIMITS.pairLookback); p--) {
    const other = log.items[p]!;
    if (other === item || seen.includes(other)) continue;
    seen.push(other);
    if (Math.abs(at - log.times[p]!) <= coWindowMs) visit(CO_VIEW, item, other, p);
  }
  if (log.types[k] !== PURCHASE_CODE) return;
  seen.length = 0;
  let purchases = 0;
  for (let p = k - 1; p >= 0 && purchases < LIMITS.pairLookback; p--) {
    if (log.types[p] !== PURCHASE_CODE) continue;
    purchases++;
    const other = log.items[p]!;
    if (other === item || seen.includes(other)) continue;
    seen.push(other);
    visit(CO_PURCHASE, item, other, p);
  }
}
