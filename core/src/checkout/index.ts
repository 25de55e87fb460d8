export {
  createCheckoutService,
  CHECKOUTS_EXPIRE_DUE_JOB,
  ORDERS_RECONCILE_JOB,
  ORDERS_AUTO_COMPLETE_JOB,
  type CheckoutService,
  type CheckoutResult,
  type PlannedOrder,
} from './service';
export {
  createIdempotencyStore,
  hashRequest,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency';
export { CheckoutConflictError, checkoutExpiredError, flashClaimError, groupSeatError } from './errors';
export type { CheckoutDoc } from './model';
export { createOrderActions } from './order-actions';
export { PICKUP_POINTS, findPickupPoint, type PickupPoint } from './pickup-points';
export { COURIER_FEE, type CheckoutInput, type CheckoutQuote, type SellerQuote } from './pricing';
