import type { Reason, Scored } from '../types';

/** A product as the storefront renders it in a card (the same fields as `GET /api/products`). */
export interface ProductSummary {
  id: string;
  /** The public URL key (`/p/<urlHandle>`); null on an old product the backfill has not reached. */
  urlHandle: string | null;
  name: string;
  nameZh: string;
  brand: string;
  categoryId: string;
  shopId: string;
  shopName: string;
  shopNameZh: string;
  sellerId: string;
  priceMin: number;
  priceMax: number;
  options: string[];
  currency: 'CNY';
  imageUrl: string;
  available: number;
  inStock: boolean;
  popularity: number;
}

/** A reason with what the UI needs to say it: the item or category name, in both languages. */
export interface ReasonView {
  kind: Reason['kind'];
  itemId?: string;
  facet?: 'category' | 'brand' | 'price_band';
  value?: string;
  name?: string;
  nameZh?: string;
}

export interface RecommendedProduct {
  product: ProductSummary;
  score: number;
  reasons: ReasonView[];
}

/** The listing document fields a summary is made of. */
export interface SummarySource {
  _id: string;
  urlHandle?: string | null;
  name: string;
  nameZh: string;
  brand: string;
  categoryId: string;
  shopId: string;
  shopName: string;
  shopNameZh?: string;
  sellerId: string;
  priceMin: number;
  priceMax: number;
  options?: string[];
  imageUrl: string;
  available: number;
  inStock: boolean;
  popularity: number;
}

export function summaryOf(listing: SummarySource): ProductSummary {
  return {
    id: listing._id,
    urlHandle: listing.urlHandle ?? null,
    name: listing.name,
    nameZh: listing.nameZh,
    brand: listing.brand,
    categoryId: listing.categoryId,
    shopId: listing.shopId,
    shopName: listing.shopName,
    shopNameZh: listing.shopNameZh ?? '',
    sellerId: listing.sellerId,
    priceMin: listing.priceMin,
    priceMax: listing.priceMax,
    options: listing.options ?? [],
    currency: 'CNY',
    imageUrl: listing.imageUrl,
    available: listing.available,
    inStock: listing.inStock,
    popularity: listing.popularity,
  };
}

export interface Names {
  product(id: string): { name: string; nameZh: string } | null;
  category(id: string): { name: string; nameZh: string } | null;
}

export function reasonView(reason: Reason, names: Names): ReasonView {
  switch (reason.kind) {
    case 'hot':
    case 'trending':
      return { kind: reason.kind };
    case 'similar_to':
    case 'bought_with': {
      const product = names.product(reason.itemId);
      return { kind: reason.kind, itemId: reason.itemId, ...(product && { ...product }) };
    }
    case 'affinity': {
      const category = reason.facet === 'category' ? names.category(reason.value) : null;
      return { kind: 'affinity', facet: reason.facet, value: reason.value, ...(category && { ...category }) };
    }
  }
}

/**
 * Joins scored ids with their listings: items without a listing (deleted, or known only from events) and,
 * unless `keepUnavailable`, items out of stock are left out — the engine's view of availability can be a
 * moment behind the listing's.
 */
export function recommended(
  scored: Scored[],
  listing: (id: string) => SummarySource | undefined,
  names: Names,
  opts: { limit: number; keepUnavailable?: boolean },
): RecommendedProduct[] {
  const out: RecommendedProduct[] = [];
  for (const s of scored) {
    const doc = listing(s.itemId);
    if (!doc || (!doc.inStock && !opts.keepUnavailable)) continue;
    out.push({
      product: summaryOf(doc),
      score: Math.round(s.score * 1e6) / 1e6,
      reasons: s.reasons.map((r) => reasonView(r, names)),
    });
    if (out.length >= opts.limit) break;
  }
  return out;
}
