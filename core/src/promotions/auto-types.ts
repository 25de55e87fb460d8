import type { CouponFunding } from './types';

/**
 * Automatic promotions: no code, applied by the server's pricing to every cart they match.
 * - `spend_and_save` (满减): tiers of "spend `threshold`, save `off`"; the best tier reached applies.
 * - `percent_off`: a percentage off a shop's items, or a category's, optionally capped (`maxDiscount`).
 * - `sale_price`: a time-boxed unit price for one variant (SKU).
 * - `buy_n_get_m`: for every `buyQty + freeQty` units of a shop's (or a category's) items, the `freeQty`
 *   cheapest are free.
 * - `bundle` (组合价): 2–5 distinct SKUs of one shop sold together at `bundlePrice`; each complete set in
 *   the cart costs the bundle price, and a unit counted in a set takes no percentage.
 */
export type AutoPromotionKind = 'spend_and_save' | 'percent_off' | 'sale_price' | 'buy_n_get_m' | 'bundle';
export const AUTO_PROMOTION_KINDS = [
  'spend_and_save',
  'percent_off',
  'sale_price',
  'buy_n_get_m',
  'bundle',
] as const;

export const MIN_BUNDLE_SKUS = 2;
export const MAX_BUNDLE_SKUS = 5;

export interface SpendTier {
  /** Fen the promotion's items must reach (after sale prices and percentages). */
  threshold: number;
  /** Fen off once reached; less than `threshold`. */
  off: number;
}

export const MAX_TIERS = 5;

export interface AutoPromotionInput {
  kind: AutoPromotionKind;
  title: string;
  /**
   * The shop whose items it covers. A seller's promotion is always their own shop's (this is ignored);
   * an admin's is platform-wide when null (or absent), or for one shop's items.
   */
  shopId?: string | null;
  /** `percent_off` and `buy_n_get_m`: the category (with its sub-categories) it covers; null: every item in scope. */
  categoryId?: string | null;
  /** `sale_price` only. */
  sku?: string | null;
  salePrice?: number | null;
  /** `percent_off` only: 1..99. */
  percent?: number | null;
  /** `percent_off` only: fen, the most it takes off one checkout; null for no cap. */
  maxDiscount?: number | null;
  /** `buy_n_get_m` only: units to buy (1..99) and units then free (1..99). */
  buyQty?: number | null;
  freeQty?: number | null;
  /** `bundle` only: 2..5 distinct SKUs of one shop, and the price of one set of them (fen, below their sum). */
  skus?: string[] | null;
  bundlePrice?: number | null;
  /** `spend_and_save` only: 1..5 tiers, thresholds ascending and savings ascending. */
  tiers?: SpendTier[] | null;
  /** Default: now. */
  startsAt?: Date;
  endsAt: Date;
}

export interface AutoPromotion {
  id: string;
  kind: AutoPromotionKind;
  title: string;
  /** `seller`: a seller's promotion on their own shop; `platform`: an admin's. */
  funding: CouponFunding;
  /** The seller who created (and funds) it; null for the platform's. */
  sellerId: string | null;
  /** The shop whose items it covers; null: every shop (platform promotions only). */
  shopId: string | null;
  categoryId: string | null;
  sku: string | null;
  /** `sale_price` only: the SKU's product (for cards, which know products, not SKUs). */
  productId: string | null;
  salePrice: number | null;
  percent: number | null;
  maxDiscount: number | null;
  buyQty: number | null;
  freeQty: number | null;
  /** `bundle` only (else empty/null): the SKUs of one set, the set's price, and per SKU its product's id
   * and name as they were when the bundle was created (for the product pages' "Buy together" line). */
  skus: string[];
  bundlePrice: number | null;
  bundleItems: BundleItem[];
  tiers: SpendTier[];
  startsAt: Date;
  endsAt: Date;
  active: boolean;
  createdAt: Date;
}

/** One SKU of a bundle, as shown on product pages. */
export interface BundleItem {
  sku: string;
  productId: string;
  name: string;
  /** The SKU's list price when the bundle was created, fen. */
  price: number;
}

/** What one promotion took off one seller's order, and who pays for it (recorded on the order). */
export interface AppliedPromotion {
  promotionId: string;
  kind: AutoPromotionKind;
  title: string;
  funding: CouponFunding;
  amount: number;
}

/** "Spend ¥40 more to save ¥30": the next tier of a spend-and-save promotion the cart has not reached. */
export interface SpendNudge {
  promotionId: string;
  title: string;
  /** The shop whose items count toward it; null for a platform-wide one. */
  shopId: string | null;
  spendMore: number;
  save: number;
}
