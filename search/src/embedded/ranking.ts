import type { SearchDocument, SearchSort } from '../types';

/**
 * Relevance, documented because the Elasticsearch adapter mirrors it with function_score:
 *
 *   final = text × phrase × stock × popularity
 *   text       = MiniSearch BM25+ score with field boosts (fuzzy matches weigh 0.45, prefix 0.375)
 *   phrase     = 1.5 when the whole query appears as a phrase in the name or Chinese name, else 1
 *   stock      = 1 in stock, 0.75 out of stock (in stock wins unless the other matches ≥ 1/3 better)
 *   popularity = 1 + 0.02 × ln(1 + popularity) (at most ~1.2 for our range: a tie-breaker, not a driver)
 *
 * Exact ties fall back to popularity, then id, so pages are stable.
 */
export const PHRASE_BOOST = 1.5;
export const OUT_OF_STOCK_FACTOR = 0.75;
export const POPULARITY_WEIGHT = 0.02;

export function relevance(text: number, doc: SearchDocument, phrase: boolean): number {
  const stock = doc.inStock ? 1 : OUT_OF_STOCK_FACTOR;
  return (
    text *
    (phrase ? PHRASE_BOOST : 1) *
    stock *
    (1 + POPULARITY_WEIGHT * Math.log1p(Math.max(0, doc.popularity)))
  );
}

export interface Ranked {
  doc: SearchDocument;
  score: number;
}

const byId = (a: Ranked, b: Ranked) => (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0);
const byRelevance = (a: Ranked, b: Ranked) =>
  b.score - a.score || b.doc.popularity - a.doc.popularity || byId(a, b);

/** Sorts other than relevance are exact on their field; relevance breaks their ties. */
export const COMPARATORS: Record<SearchSort, (a: Ranked, b: Ranked) => number> = {
  relevance: byRelevance,
  price_asc: (a, b) => a.doc.priceMin - b.doc.priceMin || byRelevance(a, b),
  price_desc: (a, b) => b.doc.priceMin - a.doc.priceMin || byRelevance(a, b),
  newest: (a, b) =>
    a.doc.createdAt < b.doc.createdAt ? 1 : a.doc.createdAt > b.doc.createdAt ? -1 : byRelevance(a, b),
  popular: (a, b) => b.doc.popularity - a.doc.popularity || byRelevance(a, b),
};

/**
 * The first `k` items in order without sorting everything: a browse over 100k products only needs the
 * first pages, and keeping a sorted window of k is O(n log k) instead of a full sort.
 */
export function firstK<T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return items.slice().sort(compare).slice(0, k);
  const window: T[] = [];
  for (const item of items) {
    if (window.length === k && compare(item, window[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(item, window[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    window.splice(lo, 0, item);
    if (window.length > k) window.pop();
  }
  return window;
}
