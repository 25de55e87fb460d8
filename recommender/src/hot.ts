import type { Catalog } from './catalog';
import { decayFactor, DecayedCounters } from './decay';
import { LIMITS } from './options';
import { TopK, type Ranked } from './top-k';
import type { Reason } from './types';

export interface HotScope {
  now: number;
  limit: number;
  categoryId?: string;
  sellerId?: string;
  brand?: string;
  trending?: boolean;
  /** `baseline` ranks by the trend baseline's longer half-life (the feed's affinity candidates). */
  horizon?: 'now' | 'baseline';
}

const HOT: Reason = { kind: 'hot' };
const TRENDING: Reason = { kind: 'trending' };
/** For callers that use only the order and scores (the feed, the cache): no trend read per item. */
const NO_REASONS: Reason[] = [];

/**
 * Time-decayed popularity and trend detection over three forward-decayed counters per item, all fed the
 * event's type weight:
 *
 * - hot H (half-life `hotHalfLifeMs`): the popularity that hot lists rank by;
 * - short S (`trendShortHalfLifeMs`) and baseline B (`trendLongHalfLifeMs`): a decayed sum with
 *   half-life h is about rate × h / ln 2, so at a steady rate S ≈ B · h_short / h_long. The smoothed growth
 *   g = (S + k) / (B · h_short / h_long + k) is 1 for an item keeping its own pace, and the prior k (in
 *   weighted events) keeps one view of a cold item from looking like a jump. An item trends when
 *   g ≥ LIMITS.trendGrowth.
 */
export class HotRankings {
  private readonly hot: DecayedCounters;
  private readonly short: DecayedCounters;
  private readonly baseline: DecayedCounters;
  private readonly baselineToShort: number;
  /** Popularity lists by scope (only when `rankingCacheMs` > 0): the best LIMITS.rankingCached, with scores. */
  private readonly cache = new Map<string, { at: number; items: Int32Array; scores: Float64Array }>();
  private readonly cacheMs: number;

  constructor(
    private readonly catalog: Catalog,
    opts: {
      hotHalfLifeMs: number;
      trendShortHalfLifeMs: number;
      trendLongHalfLifeMs: number;
      rankingCacheMs?: number;
    },
  ) {
    this.cacheMs = opts.rankingCacheMs ?? 0;
    this.hot = new DecayedCounters(opts.hotHalfLifeMs);
    this.short = new DecayedCounters(opts.trendShortHalfLifeMs);
    this.baseline = new DecayedCounters(opts.trendLongHalfLifeMs);
    this.baselineToShort = opts.trendShortHalfLifeMs / opts.trendLongHalfLifeMs;
  }

  record(index: number, weight: number, at: number): void {
    this.hot.add(index, weight, at);
    this.short.add(index, weight, at);
    this.baseline.add(index, weight, at);
  }

  clear(index: number): void {
    this.hot.clear(index);
    this.short.clear(index);
    this.baseline.clear(index);
  }

  score(index: number, now: number): number {
    return this.hot.value(index, now);
  }

  /** Smoothed growth of the item's short-window rate against its own baseline (1 = steady). */
  growth(index: number, now: number): number {
    const expected = this.baseline.value(index, now) * this.baselineToShort;
    return (this.short.value(index, now) + LIMITS.trendPrior) / (expected + LIMITS.trendPrior);
  }

  isTrending(index: number, now: number): boolean {
    return this.growth(index, now) >= LIMITS.trendGrowth;
  }

  /**
   * The hot (or trending) items of a scope, recommendable and accepted, best first. Scopes intersect;
   * items known from events only belong to no category, seller or brand. With `withReasons` false the
   * items carry no reasons (a shared empty list), which saves a trend read per item.
   */
  rank(q: HotScope, accept: (index: number) => boolean = () => true, withReasons = true): Ranked[] {
    if (this.cacheMs > 0 && !q.trending && q.limit <= LIMITS.rankingCached) {
      const cached = this.fromCache(q, accept, withReasons);
      if (cached) return cached;
    }
    return this.scan(q, accept, withReasons);
  }

  private scan(q: HotScope, accept: (index: number) => boolean, withReasons: boolean): Ranked[] {
    const top = new TopK(q.limit);
    const hotFactor = this.hot.readFactor(q.now);
    const shortFactor = this.short.readFactor(q.now);
    const baselineFactor = this.baseline.readFactor(q.now) * this.baselineToShort;
    // Popularity over the baseline horizon (days) instead of "now" (hours): steadier where traffic is thin.
    const counter = q.horizon === 'baseline' ? this.baseline : this.hot;
    const counterFactor = q.horizon === 'baseline' ? this.baseline.readFactor(q.now) : hotFactor;
    const visit = (index: number): void => {
      const hotStored = counter.storedValue(index);
      if (hotStored <= 0 || !this.catalog.isRecommendable(index) || !accept(index)) return;
      if (!q.trending) return top.offer(index, hotStored * counterFactor);
      const growth =
        (this.short.storedValue(index) * shortFactor + LIMITS.trendPrior) /
        (this.baseline.storedValue(index) * baselineFactor + LIMITS.trendPrior);
      if (growth >= LIMITS.trendGrowth) top.offer(index, growth);
    };
    const scope = this.scope(q);
    if (scope) {
      for (const index of scope) visit(index);
    } else {
      for (let index = 0; index < this.catalog.size; index++) visit(index);
    }
    return top.drain().map(({ index, score }) => ({
      index,
      score,
      reasons: !withReasons
        ? NO_REASONS
        : q.trending
          ? [TRENDING]
          : this.isTrending(index, q.now)
            ? [HOT, TRENDING]
            : [HOT],
    }));
  }

  /**
   * A popularity list from the cache, refreshed when older than `rankingCacheMs` (by the calls' `now`):
   * decayed values keep their order as time passes, so only events since the refresh are missing.
   * Filtered on read (availability, the caller's `accept`); null when too few pass, and the caller scans.
   */
  private fromCache(q: HotScope, accept: (index: number) => boolean, withReasons: boolean): Ranked[] | null {
    const key = `${q.horizon ?? 'now'}|${q.categoryId ?? ''}|${q.sellerId ?? ''}|${q.brand ?? ''}`;
    const counter = q.horizon === 'baseline' ? this.baseline : this.hot;
    let entry = this.cache.get(key);
    if (!entry || q.now - entry.at > this.cacheMs || q.now < entry.at) {
      const ranked = this.scan({ ...q, limit: LIMITS.rankingCached, trending: false }, () => true, false);
      entry = {
        at: q.now,
        items: Int32Array.from(ranked, (r) => r.index),
        scores: Float64Array.from(ranked, (r) => r.score),
      };
      this.cache.delete(key);
      this.cache.set(key, entry);
      if (this.cache.size > LIMITS.rankingCacheEntries) this.cache.delete(this.cache.keys().next().value!);
    }
    // Scores as of the refresh, decayed to `now` (exact whatever the counter's landmark did meanwhile).
    const decay = decayFactor(counter.lambda, entry.at, q.now);
    const out: Ranked[] = [];
    for (let k = 0; k < entry.items.length && out.length < q.limit; k++) {
      const index = entry.items[k]!;
      if (!this.catalog.isRecommendable(index) || !accept(index)) continue;
      const reasons = !withReasons ? NO_REASONS : this.isTrending(index, q.now) ? [HOT, TRENDING] : [HOT];
      out.push({ index, score: entry.scores[k]! * decay, reasons });
    }
    if (out.length < q.limit && entry.items.length === LIMITS.rankingCached) return null;
    return out;
  }

  /** The smallest of the requested scopes, filtered by the others; undefined means every item. */
  private scope(q: HotScope): Iterable<number> | undefined {
    const sets: ReadonlySet<number>[] = [];
    if (q.categoryId !== undefined) sets.push(this.catalog.inCategory(q.categoryId));
    if (q.sellerId !== undefined) sets.push(this.catalog.ofSeller(q.sellerId));
    if (q.brand !== undefined) sets.push(this.catalog.ofBrand(q.brand));
    if (sets.length === 0) return undefined;
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...others] = sets;
    if (others.length === 0) return smallest;
    return [...smallest!].filter((index) => others.every((set) => set.has(index)));
  }
}
