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
  return text * (phrase ? PHRASE_BOOST : 1) * stockFactor(doc) * popularityFactor(doc);
}

/** The stock factor of `relevance` (kept per slot by the facet columns). */
export const stockFactor = (doc: SearchDocument): number => (doc.inStock ? 1 : OUT_OF_STOCK_FACTOR);

/** The popularity factor of `relevance` (kept per slot by the facet columns). */
export const popularityFactor = (doc: SearchDocument): number =>
  1 + POPULARITY_WEIGHT * Math.log1p(Math.max(0, doc.popularity));

/** What `firstKByRelevance` reads of each slot: the factors of `relevance`, and the tie-breakers. */
export interface RankColumns {
  stockFactor: Float64Array;
  popularityFactor: Float64Array;
  popularity: Float64Array;
  documents: readonly (SearchDocument | undefined)[];
}

/**
 * The first `k` slots by relevance (the order of `COMPARATORS.relevance` over `relevance`), without an
 * object per match: the score of each slot is worked out from typed columns, and the phrase check — a
 * string search — only for a slot whose score with the phrase boost could still enter the first `k`.
 * `text(slot)` is the slot's text score; `phrase(slot)`, when given, says whether the query appears as a
 * phrase in its name. The scores are the same numbers `relevance` gives (the same factors multiplied in
 * the same order), so the page is the one a full sort would give. Returns the slots and their scores.
 */
export function firstKByRelevance(
  slots: readonly number[],
  k: number,
  columns: RankColumns,
  text: (slot: number) => number,
  phrase: ((slot: number) => boolean) | null,
): { slots: number[]; scores: number[] } {
  const window: number[] = [];
  const scores: number[] = [];
  if (k <= 0) return { slots: window, scores };
  const { stockFactor: stock, popularityFactor: pop, popularity, documents } = columns;
  // b after a: positive; the same tie-breakers as `byRelevance`.
  const compare = (a: number, scoreA: number, b: number, scoreB: number): number => {
    const byScore = scoreB - scoreA || popularity[b]! - popularity[a]!;
    if (byScore) return byScore;
    const idA = documents[a]!.id;
    const idB = documents[b]!.id;
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
  for (const slot of slots) {
    const t = text(slot);
    const full = window.length === k;
    let score: number;
    if (phrase) {
      const boosted = t * PHRASE_BOOST * stock[slot]! * pop[slot]!;
      if (full && boosted < scores[k - 1]!) continue;
      score = phrase(slot) ? boosted : t * 1 * stock[slot]! * pop[slot]!;
    } else score = t * 1 * stock[slot]! * pop[slot]!;
    if (full && compare(slot, score, window[k - 1]!, scores[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(slot, score, window[mid]!, scores[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    window.splice(lo, 0, slot);
    scores.splice(lo, 0, score);
    if (window.length > k) {
      window.pop();
      scores.pop();
    }
  }
  return { slots: window, scores };
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
