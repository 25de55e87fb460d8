import type { ContentIndex } from './content';
import type { CoOccurrence } from './cooccurrence';
import { LIMITS } from './options';
import { TopK, type Ranked } from './top-k';
import type { Reason } from './types';

/**
 * Item-to-item lists. `similar` blends co-view with content similarity by how much history the item has:
 *
 *   score(j) = (1 − γ) · coview(i, j) + γ · content(i, j),   γ = p / (p + n(i))
 *
 * with n(i) the item's co-view occurrences and p = LIMITS.contentPrior: a new item (n = 0) is all
 * content, an item with p events is half and half, a well-viewed one is all behaviour (content is not
 * even computed once γ < 1 %). `boughtTogether` is co-purchase alone.
 */
export class ItemToItem {
  /** Content neighbours per item, with the `now` they were computed at (only when `contentCacheMs` > 0). */
  private readonly contentCache = new Map<number, { at: number; items: Int32Array; scores: Float64Array }>();
  /** Per-call sums by item index and which items hold one, reused across calls (zeroed after each). */
  private scratch = new Float64Array(1024);
  private marks = new Uint8Array(1024);
  private readonly touched: number[] = [];

  constructor(
    private readonly coView: CoOccurrence,
    private readonly coPurchase: CoOccurrence,
    private readonly content: ContentIndex,
    private readonly idOf: (index: number) => string,
    private readonly contentCacheMs = 0,
  ) {}

  /** The item's content changed or it left the catalog: its cached neighbours are stale. */
  invalidate(index: number): void {
    this.contentCache.delete(index);
  }

  similar(
    index: number,
    limit: number,
    accept: (index: number) => boolean,
    now?: number,
    withContent = true,
  ): Ranked[] {
    const accepted = (other: number): boolean => other !== index && accept(other);
    const history = this.coView.occurrencesOf(index);
    const contentShare = LIMITS.contentPrior / (LIMITS.contentPrior + history);
    // Scores summed in a reused array by item index; `touched` lists the items, in first-seen order.
    const touched = this.touched;
    touched.length = 0;
    const add = (other: number, score: number): void => {
      if (other >= this.scratch.length) this.grow(other);
      if (this.marks[other] === 0) {
        this.marks[other] = 1;
        touched.push(other);
      }
      this.scratch[other]! += score;
    };
    for (const { index: other, score } of this.coView.neighbours(index, limit * 2, accepted)) {
      add(other, (1 - contentShare) * score);
    }
    if (withContent && contentShare >= 0.01) {
      for (const { index: other, score } of this.contentNeighbours(index, limit * 2, accepted, now)) {
        add(other, contentShare * score);
      }
    }
    const top = new TopK(limit);
    for (const other of touched) {
      const score = this.scratch[other]!;
      if (score > 0) top.offer(other, score);
      this.scratch[other] = 0;
      this.marks[other] = 0;
    }
    touched.length = 0;
    const reasons: Reason[] = [{ kind: 'similar_to', itemId: this.idOf(index) }];
    return top.drain().map(({ index: other, score }) => ({ index: other, score, reasons }));
  }

  private grow(index: number): void {
    const scratch = new Float64Array(Math.max(index + 1, this.scratch.length * 2));
    scratch.set(this.scratch);
    this.scratch = scratch;
    const marks = new Uint8Array(scratch.length);
    marks.set(this.marks);
    this.marks = marks;
  }

  /**
   * Content neighbours, from the cache when enabled: content changes with the catalog, not with events,
   * so a list computed a few minutes ago is as good, and the TF-IDF candidate scan is the most expensive
   * step of a feed (one per seed). The cache keeps the best LIMITS.contentCached regardless of
   * availability and filters on read; if too few pass, the list is computed afresh.
   */
  private contentNeighbours(
    index: number,
    want: number,
    accept: (index: number) => boolean,
    now: number | undefined,
  ): { index: number; score: number }[] {
    if (!this.contentCacheMs || now === undefined || want > LIMITS.contentCached) {
      return this.content.similar(index, want, accept);
    }
    let entry = this.contentCache.get(index);
    if (!entry || now - entry.at > this.contentCacheMs || now < entry.at) {
      const list = this.content.similar(index, LIMITS.contentCached, () => true);
      entry = {
        at: now,
        items: Int32Array.from(list, (n) => n.index),
        scores: Float64Array.from(list, (n) => n.score),
      };
      this.contentCache.delete(index);
      this.contentCache.set(index, entry);
      if (this.contentCache.size > LIMITS.contentCacheEntries) {
        this.contentCache.delete(this.contentCache.keys().next().value!);
      }
    }
    const out: { index: number; score: number }[] = [];
    for (let k = 0; k < entry.items.length && out.length < want; k++) {
      if (accept(entry.items[k]!)) out.push({ index: entry.items[k]!, score: entry.scores[k]! });
    }
    if (out.length < want && entry.items.length === LIMITS.contentCached) {
      return this.content.similar(index, want, accept);
    }
    return out;
  }

  boughtTogether(index: number, limit: number, accept: (index: number) => boolean): Ranked[] {
    const accepted = (other: number): boolean => other !== index && accept(other);
    const reasons: Reason[] = [{ kind: 'bought_with', itemId: this.idOf(index) }];
    return this.coPurchase
      .neighbours(index, limit, accepted)
      .map(({ index: other, score }) => ({ index: other, score, reasons }));
  }
}
