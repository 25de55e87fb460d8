export const FAVOURITE_KINDS = ['product', 'shop'] as const;
export type FavouriteKind = (typeof FAVOURITE_KINDS)[number];

/** One thing a shopper favourited. */
export interface Favourite {
  kind: FavouriteKind;
  targetId: string;
  createdAt: Date;
}

/**
 * A "price dropped" or "back in stock" alert as the favouriter sees it; `id` is the deterministic id of
 * the occurrence (`pricedrop:<sku>:<priceVersion>:<userId>`, `restock:<sku>:<stockVersion>:<userId>`),
 * the same id the domain event carries.
 */
export type FavouriteAlert =
  | {
      id: string;
      type: 'price_dropped';
      productId: string;
      sku: string;
      oldPrice: number;
      newPrice: number;
      at: Date;
    }
  | { id: string; type: 'back_in_stock'; productId: string; sku: string; available: number; at: Date };

/** Favouriters notified per fan-out job; the next batch is a job of its own. */
export const FANOUT_BATCH = 500;
