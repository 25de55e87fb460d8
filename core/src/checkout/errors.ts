import { AppError } from '../errors';

/** A checkout that cannot go ahead as asked; `code` says why and `details` which lines or fields. */
export class CheckoutConflictError extends AppError {
  readonly status = 409;
  constructor(
    readonly code:
      | 'cart_changed'
      | 'insufficient_stock'
      | 'cart_empty'
      | 'coupon_unavailable'
      | 'points_unavailable'
      | 'checkout_expired',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

/** The checkout's expiry ran before it completed (a retry that came too late, or a slow run). */
export function checkoutExpiredError(): CheckoutConflictError {
  return new CheckoutConflictError(
    'checkout_expired',
    'This checkout expired before it completed; please check out again',
  );
}
