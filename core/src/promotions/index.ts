export { createPromotionService, discountOn, type PromotionService } from './service';
export {
  MAX_PER_USER_LIMIT,
  MAX_USAGE_LIMIT,
  type Coupon,
  type CouponFunding,
  type CouponInput,
  type CouponKind,
  type CouponQuote,
  type RedeemFailure,
  type RedeemResult,
} from './types';
export {
  createAutoPromotionService,
  productPromotionView,
  badgeOf,
  type AutoPromotionService,
  type ProductPromotionView,
} from './auto-service';
export { applyAutoPromotions, isLive, type PromotableLine, type PromotionOutcome } from './auto-pricing';
export {
  AUTO_PROMOTION_KINDS,
  MAX_TIERS,
  type AppliedPromotion,
  type AutoPromotion,
  type AutoPromotionInput,
  type AutoPromotionKind,
  type SpendNudge,
  type SpendTier,
} from './auto-types';
