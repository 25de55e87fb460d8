import type { HiddenReason } from './visibility';

export const LISTING_SORTS = ['newest', 'price_asc', 'price_desc', 'popular'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

export interface ListingQuery {
  categoryId?: string;
  shopId?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  /** Include listings shoppers do not see (the seller centre lists its own hidden products). */
  includeHidden?: boolean;
  sort: ListingSort;
  limit: number;
  cursor?: string;
}

export interface ProductCard {
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
  priceMin: number;
  priceMax: number;
  /** The options a shopper picks from (variant attribute values, or titles), up to a few: what tells look-alike listings apart. */
  options: string[];
  currency: 'CNY';
  imageUrl: string;
  available: number;
  inStock: boolean;
  popularity: number;
}

export interface ProductDetail {
  id: string;
  /** The public URL key (`/p/<urlHandle>`); null on an old product the backfill has not reached. */
  urlHandle: string | null;
  name: string;
  nameZh: string;
  description: string;
  descriptionZh: string;
  brand: string;
  tags: string[];
  category: { id: string; name: string; nameZh: string };
  breadcrumbs: { id: string; name: string; nameZh: string }[];
  shop: { id: string; name: string; nameZh: string; slug: string };
  sellerId: string;
  currency: 'CNY';
  variants: {
    sku: string;
    title: string;
    price: number;
    attributes: Record<string, string>;
    imageUrls: string[];
    available: number;
    stockVersion: number;
  }[];
  imageUrls: string[];
  /** From the product's visible reviews; average to one decimal, 0 when there are none. */
  rating: { average: number; count: number };
  /** Why it is not on sale (its seller and staff still see it), or null. */
  hiddenBecause: HiddenReason | null;
  /** Staff's reason when it is taken down. */
  takedownReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}
