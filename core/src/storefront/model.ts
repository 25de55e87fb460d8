import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';
import type { HiddenReason } from './visibility';

/**
 * The storefront's listing read model: one document per active product, derived from the catalog,
 * inventory and shops. Only the projector writes it, always as a whole document recomputed from those
 * sources, so a stale or lost write is repaired by the next refresh or by `rebuildListings`.
 */
export interface ListingDoc {
  _id: string;
  shopId: string;
  shopName: string;
  shopNameZh: string;
  sellerId: string;
  /** The product's public URL key (`/p/<urlHandle>`); null until the backfill gives an old product one. */
  urlHandle: string | null;
  categoryId: string;
  /** Ancestors and the category itself: "category incl. descendants" is `categoryPath: id`. */
  categoryPath: string[];
  name: string;
  nameZh: string;
  brand: string;
  priceMin: number;
  priceMax: number;
  /** The options a shopper picks from (variant attribute values, or titles), up to a few: what tells look-alike listings apart. */
  options: string[];
  imageUrl: string;
  available: number;
  inStock: boolean;
  popularity: number;
  createdAt: Date;
  /**
   * Why shoppers do not see it (taken down, shop not trading), or null when listed. Hidden listings stay
   * in the read model so the seller centre still lists them; the storefront and search leave them out.
   */
  hiddenBecause: HiddenReason | null;
  /**
   * Product version × 1e6 + its SKUs' ledger versions + its photo set's version + its shop's status
   * version: grows with every source change.
   */
  sourceVersion: number;
}

const listingSchema = new Schema<ListingDoc>(
  {
    _id: { type: String, required: true },
    shopId: { type: String, required: true, index: true },
    shopName: String,
    shopNameZh: String,
    sellerId: String,
    urlHandle: { type: String, default: null },
    categoryId: String,
    categoryPath: { type: [String], index: true },
    name: String,
    nameZh: String,
    brand: String,
    priceMin: Number,
    priceMax: Number,
    options: { type: [String], default: [] },
    imageUrl: String,
    available: Number,
    inStock: Boolean,
    popularity: Number,
    createdAt: Date,
    hiddenBecause: { type: String, default: null },
    sourceVersion: Number,
  },
  { versionKey: false },
);
listingSchema.index({ createdAt: -1, _id: -1 });
listingSchema.index({ priceMin: 1, _id: 1 });
listingSchema.index({ popularity: -1, _id: -1 });

export function listingModel(connection: Connection) {
  return modelOn<ListingDoc>(connection, 'Listing', listingSchema, 'product_listings');
}
