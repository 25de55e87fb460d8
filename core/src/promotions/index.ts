export { createPromotionService, discountOn, type PromotionService } from './service';
export {
  MAX_PER_USER_LIMIT,
  MAX_USAGE_LIMIT,
  type Coupon,
  type CouponFunding,
  type CouponInput,
  type CouponKind,
  type CouponQuote,
  type PersonalCouponInput,
  type RedeemFailure,
  type RedeemResult,
} from './types';
export { createAutoPromotionService, type AutoPromotionService } from './auto-service';
export {
  badgeOf,
  cardPromotion,
  productPromotionView,
  type CardPromotion,
  type ProductPromotionView,
} from './auto-display';
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
