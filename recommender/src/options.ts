import type { InteractionType, RecommenderOptions } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const INTERACTION_TYPES: readonly InteractionType[] = ['view', 'click', 'add_to_cart', 'purchase'];
/** Compact code of an interaction type in the actor logs (index into INTERACTION_TYPES). */
export const PURCHASE_CODE = 3;

export interface ResolvedOptions {
  /** Weight per type code (INTERACTION_TYPES order). */
  weights: Float64Array;
  hotHalfLifeMs: number;
  trendShortHalfLifeMs: number;
  trendLongHalfLifeMs: number;
  profileHalfLifeMs: number;
  coWindowMs: number;
  maxPerSeller: number;
  maxPerCategory: number;
  contentCacheMs: number;
  rankingCacheMs: number;
}

/** Options are read once, here, with their defaults. */
export function resolveOptions(opts: RecommenderOptions = {}): ResolvedOptions {
  const defaults: Record<InteractionType, number> = { view: 1, click: 2, add_to_cart: 4, purchase: 8 };
  const weights = Float64Array.from(INTERACTION_TYPES, (type) => opts.weights?.[type] ?? defaults[type]);
  return {
    weights,
    hotHalfLifeMs: positive(opts.hotHalfLifeMs, 6 * HOUR, 'hotHalfLifeMs'),
    trendShortHalfLifeMs: positive(opts.trendShortHalfLifeMs, HOUR, 'trendShortHalfLifeMs'),
    trendLongHalfLifeMs: positive(opts.trendLongHalfLifeMs, 7 * DAY, 'trendLongHalfLifeMs'),
    profileHalfLifeMs: positive(opts.profileHalfLifeMs, 14 * DAY, 'profileHalfLifeMs'),
    coWindowMs: positive(opts.coWindowMs, 2 * HOUR, 'coWindowMs'),
    maxPerSeller: positive(opts.maxPerSeller, 3, 'maxPerSeller'),
    maxPerCategory: positive(opts.maxPerCategory, 4, 'maxPerCategory'),
    contentCacheMs: Math.max(0, opts.contentCacheMs ?? 0),
    rankingCacheMs: Math.max(0, opts.rankingCacheMs ?? 0),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  return value;
}

/**
 * Internal bounds and priors, fixed rather than options: they keep memory and work per call bounded and
 * are documented in the README.
 */
export const LIMITS = {
  /** An actor's log keeps between this many and twice this many most recent events. */
  actorLogEvents: 500,
  /** An event is paired with the distinct items of at most this many preceding events (co-view) or purchases (co-purchase). */
  pairLookback: 10,
  /** Neighbours kept per item; the list is pruned lazily to 2× this when it reaches 4× this. */
  neighboursPerItem: 50,
  /** Pseudo-count (weighted events) added to both short and baseline mass in the trend ratio. */
  trendPrior: 5,
  /** Smoothed short/baseline ratio from which an item is trending. */
  trendGrowth: 3,
  /** Co-occurrence shrinkage: a pair's cosine is scaled by c / (c + this). */
  pairShrinkage: 2,
  /** Events of history at which co-view and content similarity weigh the same for `similar`. */
  contentPrior: 5,
  /** Postings lists longer than this are not used to find content candidates (only to score them). */
  contentMaxPostings: 5_000,
  /** Content candidates scored exactly per query. */
  contentCandidates: 200,
  /** With `contentCacheMs`: content neighbours cached per item, and items cached at most. */
  contentCached: 100,
  contentCacheEntries: 20_000,
  /** With `rankingCacheMs`: popularity entries cached per scope, and scopes cached at most. */
  rankingCached: 500,
  rankingCacheEntries: 2_000,
  /** Profile: most recent distinct items in recentlyViewed, and affinity entries per facet. */
  recentlyViewed: 20,
  profileFacetEntries: 10,
} as const;
