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
