import type { Segment } from '../analytics/rfm';

export type CouponKind = 'percent' | 'fixed';

/**
 * Who may use a coupon beyond its code: the shoppers in one customer segment (analytics RFM) of the
 * coupon's shop — or of the platform, for a platform coupon — on the day they use it. Null: everyone.
 */
export interface CouponAudience {
  segment: Segment;
}
export type CouponFunding = 'platform' | 'seller';

export interface CouponInput {
  code: string;
  kind: CouponKind;
  /** Percent 1..100 for `percent`; fen for `fixed`. */
  value: number;
  /** Cap of a percent discount, in fen; null or absent for none. */
  maxDiscount?: number | null;
  /** Fen the qualifying items must reach; default 0. */
  minSpend?: number;
  /** Default: now. */
  startsAt?: Date;
  endsAt?: Date | null;
  /** How many redemptions in all (max 100000); null or absent for no limit. */
  usageLimit?: number | null;
  /** How many redemptions per shopper; default 1, null for no limit. */
  perUserLimit?: number | null;
  description?: string;
  /** Default: null (everyone). */
  audience?: CouponAudience | null;
}

export interface Coupon {
  id: string;
  /** Upper-case; matched case-insensitively. */
  code: string;
  kind: CouponKind;
  value: number;
  maxDiscount: number | null;
  minSpend: number;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  perUserLimit: number | null;
  /** `platform`: an admin's coupon on the whole cart; `seller`: a seller's coupon on their own items. */
  funding: CouponFunding;
  sellerId: string | null;
  active: boolean;
  description: string;
  audience: CouponAudience | null;
  /** Set on a coupon given to one account (a referral's welcome coupon): nobody else sees or uses it. */
  forUserId: string | null;
  createdAt: Date;
}

export interface CouponQuote {
  couponId: string;
  code: string;
  funding: CouponFunding;
  sellerId: string | null;
  /** Fen off each seller's subtotal; the parts sum exactly to `total`. */
  discountBySeller: Record<string, number>;
  total: number;
  description: string;
}

/** `audience`: the shopper is not (or no longer) in the coupon's segment. */
export type RedeemFailure = 'global_limit' | 'user_limit' | 'inactive' | 'audience';

export type RedeemResult = { ok: true } | { ok: false; reason: RedeemFailure };

/** Limits accepted from coupon authors. */
export const MAX_USAGE_LIMIT = 100_000;
export const MAX_PER_USER_LIMIT = 100;

/** A platform-funded coupon for one account (`grantPersonalCoupon`); single use unless said otherwise. */
export interface PersonalCouponInput {
  /** Makes the grant idempotent: the same key always names the same coupon (its code derives from it). */
  key: string;
  /** Prefix of the code shown to the shopper (letters and digits), e.g. `WELCOME`. */
  codePrefix: string;
  kind: CouponKind;
  value: number;
  maxDiscount?: number | null;
  minSpend?: number;
  endsAt?: Date | null;
  description?: string;
}
