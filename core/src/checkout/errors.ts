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
      | 'checkout_expired'
      | 'flash_claim_unavailable',
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

/** Why a flash claim buys nothing, as a 409 naming the token. */
export function flashClaimError(status: 'used' | 'lapsed' | 'none'): CheckoutConflictError {
  const message = {
    used: 'this claim is already used by another checkout',
    lapsed: 'this claim lapsed (its window passed or the sale ended)',
    none: 'no claim of yours on this flash sale has this token',
  }[status];
  return new CheckoutConflictError('flash_claim_unavailable', `Flash sale claim: ${message}`, {
    fields: [{ field: 'body.flashClaim.token', message }],
  });
}
