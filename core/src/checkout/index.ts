export {
  createCheckoutService,
  CHECKOUTS_EXPIRE_DUE_JOB,
  ORDERS_RECONCILE_JOB,
  ORDERS_AUTO_COMPLETE_JOB,
  type CheckoutService,
  type CheckoutResult,
} from './service';
export { createIdempotencyStore, hashRequest, type IdempotencyStore } from './idempotency';
export { CheckoutConflictError } from './errors';
export { createOrderActions } from './order-actions';
export { PICKUP_POINTS, findPickupPoint, type PickupPoint } from './pickup-points';
export { COURIER_FEE, type CheckoutInput, type CheckoutQuote, type SellerQuote } from './pricing';
