export {
  createCheckoutService,
  CHECKOUTS_EXPIRE_DUE_JOB,
  ORDERS_RECONCILE_JOB,
  COURIER_FEE,
  type CheckoutService,
  type CheckoutInput,
  type CheckoutQuote,
  type CheckoutResult,
  type SellerQuote,
} from './service';
export { createIdempotencyStore, hashRequest, type IdempotencyStore } from './idempotency';
export { CheckoutConflictError } from './errors';
export { PICKUP_POINTS, findPickupPoint, type PickupPoint } from './pickup-points';
