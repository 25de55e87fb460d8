import type { ContentIndex } from './content';
import type { CoOccurrence } from './cooccurrence';
import { LIMITS } from './options';
import { byScore, type Ranked } from './top-k';
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
  constructor(
    private readonly coView: CoOccurrence,
    private readonly coPurchase: CoOccurrence,
    private readonly content: ContentIndex,
    private readonly idOf: (index: number) => string,
  ) {}

  similar(index: number, limit: number, accept: (index: number) => boolean): Ranked[] {
    const accepted = (other: number): boolean => other !== index && accept(other);
    const history = this.coView.occurrencesOf(index);
    const contentShare = LIMITS.contentPrior / (LIMITS.contentPrior + history);
    const scores = new Map<number, number>();
    for (const { index: other, score } of this.coView.neighbours(index, limit * 2, accepted)) {
      scores.set(other, (1 - contentShare) * score);
    }
    if (contentShare >= 0.01) {
      for (const { index: other, score } of this.content.similar(index, limit * 2, accepted)) {
        scores.set(other, (scores.get(other) ?? 0) + contentShare * score);
      }
    }
    const reasons: Reason[] = [{ kind: 'similar_to', itemId: this.idOf(index) }];
    const ranked: Ranked[] = [];
    for (const [other, score] of scores) if (score > 0) ranked.push({ index: other, score, reasons });
    return ranked.sort(byScore).slice(0, limit);
  }

  boughtTogether(index: number, limit: number, accept: (index: number) => boolean): Ranked[] {
    const accepted = (other: number): boolean => other !== index && accept(other);
    const reasons: Reason[] = [{ kind: 'bought_with', itemId: this.idOf(index) }];
    return this.coPurchase
      .neighbours(index, limit, accepted)
      .map(({ index: other, score }) => ({ index: other, score, reasons }));
  }
}
