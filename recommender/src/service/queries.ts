import type { CoreServices, Logger } from '@market/core';
import { priceBand } from '../profiles';
import type { Scored } from '../types';
import type { RecsCache } from './cache';
import {
  recommended,
  summaryOf,
  type Names,
  type ProductSummary,
  type RecommendedProduct,
  type SummarySource,
} from './cards';
import type { LiveModels } from './model-lifecycle';
import type { ListingLike } from './model';

export interface HotQuery {
  limit: number;
  categoryId?: string;
  sellerId?: string;
  trending?: boolean;
}

export interface ProfileView {
  actorId: string;
  events: number;
  categories: { id: string; name: string; nameZh: string; weight: number }[];
  brands: { name: string; weight: number }[];
  priceBands: { band: string; weight: number }[];
  recentlyViewed: ProductSummary[];
  purchased: ProductSummary[];
  recentSearches: { q: string; at: string }[];
  /** What the feed shows this actor now, each with its reasons ("why am I seeing this"). */
  recommendations: RecommendedProduct[];
}

export interface FeedView {
  /** False for a visitor we know nothing about: the items are the hot list. */
  personal: boolean;
  items: RecommendedProduct[];
  /** Neighbours of the item viewed last, for a "because you viewed …" strip. */
  becauseYouViewed: { product: ProductSummary; items: RecommendedProduct[] } | null;
}

/** A listing as the recommender reads it: catalog facts and the card fields. */
type Listing = ListingLike & SummarySource;

const HOT_CACHE_VERSION = 1;
/** A "because you viewed" strip shorter than this is not worth a row. */
const MIN_STRIP = 3;

/** Asks for more than needed: some candidates drop out at the join (sold out, delisted). */
const overfetch = (limit: number) => limit * 2 + 10;

/**
 * The answers: the serving model's scored ids joined with the listing read model into product cards
 * (a candidate without a listing drops out), each with the reasons it is shown.
 */
export function createQueries(deps: {
  models: LiveModels;
  core: Pick<CoreServices, 'listings' | 'categories'>;
  cache: RecsCache;
  /** Hot lists are cached this long (0: not at all). */
  hotCacheMs: number;
  log: Logger;
  /** Read-your-writes: resolves once the actor's recorded events are applied. */
  appliedFor: (actorId: string) => Promise<void>;
}) {
  const { models, core, cache, hotCacheMs, log } = deps;

  async function listingsOf(ids: Iterable<string>): Promise<Map<string, Listing>> {
    const unique = [...new Set(ids)];
    const docs: (Listing | null)[] = await Promise.all(unique.map((id) => core.listings.getListing(id)));
    const map = new Map<string, Listing>();
    docs.forEach((doc, k) => {
      if (doc) map.set(unique[k]!, doc);
    });
    return map;
  }

  async function namesFor(listings: Map<string, { name: string; nameZh: string }>): Promise<Names> {
    const categories = new Map((await core.categories.list()).map((c) => [c.id, c]));
    return {
      product: (id) => {
        const l = listings.get(id);
        return l ? { name: l.name, nameZh: l.nameZh } : null;
      },
      category: (id) => {
        const c = categories.get(id);
        return c ? { name: c.name, nameZh: c.nameZh } : null;
      },
    };
  }

  /** Scored ids → recommended products (with the items their reasons name). */
  async function join(scored: Scored[], limit: number): Promise<RecommendedProduct[]> {
    const ids = scored.flatMap((s) => [
      s.itemId,
      ...s.reasons.flatMap((r) => ('itemId' in r ? [r.itemId] : [])),
    ]);
    const listings = await listingsOf(ids);
    return recommended(scored, (id) => listings.get(id), await namesFor(listings), { limit });
  }

  async function hot(q: HotQuery): Promise<RecommendedProduct[]> {
    const key = `hot:v${HOT_CACHE_VERSION}:${q.limit}:${q.categoryId ?? ''}:${q.sellerId ?? ''}:${q.trending ? 1 : 0}`;
    if (hotCacheMs > 0) {
      const cached = await cache.get(key).catch((err: unknown) => {
        log.warn({ err }, 'recs: cache read failed');
        return null;
      });
      if (cached) return JSON.parse(cached) as RecommendedProduct[];
    }
    const items = await join(
      models.serving.engine.hot({
        now: Date.now(),
        limit: overfetch(q.limit),
        categoryId: q.categoryId,
        sellerId: q.sellerId,
        trending: q.trending,
      }),
      q.limit,
    );
    if (hotCacheMs > 0) {
      await cache
        .set(key, JSON.stringify(items), hotCacheMs)
        .catch((err: unknown) => log.warn({ err }, 'recs: cache write failed'));
    }
    return items;
  }

  async function feed(actorId: string, limit: number): Promise<FeedView> {
    await deps.appliedFor(actorId);
    const now = Date.now();
    const engine = models.serving.engine;
    const profile = engine.profile(actorId, now);
    const items = await join(engine.feed(actorId, { now, limit: overfetch(limit) }), limit);
    let becauseYouViewed: FeedView['becauseYouViewed'] = null;
    const seed = profile?.recentlyViewed[0];
    if (profile && seed) {
      // Neighbours of the last item viewed that the main feed does not already show.
      const shown = new Set([
        ...profile.recentlyViewed,
        ...profile.purchased,
        ...items.map((i) => i.product.id),
      ]);
      const neighbours = engine.similar(seed, { now, limit: 40 }).filter((s) => !shown.has(s.itemId));
      const [seedListing] = (await listingsOf([seed])).values();
      const joined = await join(neighbours, limit);
      if (seedListing && joined.length >= MIN_STRIP)
        becauseYouViewed = { product: summaryOf(seedListing), items: joined };
    }
    return { personal: profile !== null && profile.events > 0, items, becauseYouViewed };
  }

  async function profile(actorId: string): Promise<ProfileView> {
    await deps.appliedFor(actorId);
    const now = Date.now();
    const profile = models.serving.engine.profile(actorId, now);
    const listings = await listingsOf([...(profile?.recentlyViewed ?? []), ...(profile?.purchased ?? [])]);
    const categories = new Map((await core.categories.list()).map((c) => [c.id, c]));
    const summaries = (ids: string[]) =>
      ids.flatMap((id) => {
        const l = listings.get(id);
        return l ? [summaryOf(l)] : [];
      });
    const round = (w: number) => Math.round(w * 1000) / 1000;
    return {
      actorId,
      events: profile?.events ?? 0,
      categories: (profile?.categories ?? []).map((c) => ({
        id: c.id,
        name: categories.get(c.id)?.name ?? c.id,
        nameZh: categories.get(c.id)?.nameZh ?? '',
        weight: round(c.weight),
      })),
      brands: (profile?.brands ?? []).map((b) => ({ name: b.name, weight: round(b.weight) })),
      priceBands: (profile?.priceBands ?? []).map((b) => ({ band: b.band, weight: round(b.weight) })),
      recentlyViewed: summaries(profile?.recentlyViewed ?? []),
      purchased: summaries(profile?.purchased ?? []),
      recentSearches: models.serving.searches
        .of(actorId)
        .map((s) => ({ q: s.q, at: new Date(s.at).toISOString() })),
      recommendations: (await feed(actorId, 8)).items,
    };
  }

  return {
    hot,

    async similar(itemId: string, limit: number): Promise<RecommendedProduct[]> {
      return join(models.serving.engine.similar(itemId, { now: Date.now(), limit: overfetch(limit) }), limit);
    },

    async boughtTogether(itemId: string, limit: number): Promise<RecommendedProduct[]> {
      return join(
        models.serving.engine.boughtTogether(itemId, { now: Date.now(), limit: overfetch(limit) }),
        limit,
      );
    },

    feed,

    profile,

    /**
     * A light personal bonus for search ranking: the actor's share of affinity to a result's leaf
     * category, plus half their brand share and a quarter of their price-band share (0 … 1.75). Null when
     * the actor has no history, so search ranks as it always does.
     */
    affinity(
      actorId: string,
    ): ((doc: { categoryId?: unknown; brand?: unknown; priceMin?: unknown }) => number) | null {
      const profile = models.serving.engine.profile(actorId, Date.now());
      if (!profile || profile.events === 0) return null;
      const categories = new Map(profile.categories.map((c) => [c.id, c.weight]));
      const brands = new Map(profile.brands.map((b) => [b.name, b.weight]));
      const bands = new Map(profile.priceBands.map((b) => [b.band, b.weight]));
      return (doc) =>
        (typeof doc.categoryId === 'string' ? (categories.get(doc.categoryId) ?? 0) : 0) +
        0.5 * (typeof doc.brand === 'string' ? (brands.get(doc.brand) ?? 0) : 0) +
        0.25 * (typeof doc.priceMin === 'number' ? (bands.get(priceBand(doc.priceMin)) ?? 0) : 0);
    },
  };
}
