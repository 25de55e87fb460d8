/**
 * Shapes of the coupon-management API (a seller's shop coupons, an admin's platform coupons) as the
 * browser sees them: money in integer fen, times as ISO strings. See web/src/schemas-commerce.ts.
 */

export type CouponKind = 'percent' | 'fixed';

export interface Coupon {
  id: string;
  code: string;
  kind: CouponKind;
  /** A whole percent (1–100) for `percent`, fen for `fixed`. */
  value: number;
  /** Fen cap of a percent discount; null for none. */
  maxDiscount: number | null;
  minSpend: number;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  perUserLimit: number | null;
  /** `platform`: an admin's coupon on the whole cart; `seller`: a seller's coupon on their own items. */
  funding: 'platform' | 'seller';
  sellerId: string | null;
  active: boolean;
  description: string;
  createdAt: string;
}

export type ManagedCoupon = Coupon & { redeemed: number };

export interface NewCouponInput {
  code: string;
  kind: CouponKind;
  value: number;
  maxDiscount?: number | null;
  minSpend?: number;
  startsAt?: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  perUserLimit?: number | null;
  description?: string;
}
