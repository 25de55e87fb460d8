import { AppError } from '../errors';

/** A checkout that cannot go ahead as asked; `code` says why and `details` which lines or fields. */
export class CheckoutConflictError extends AppError {
  readonly status = 409;
  constructor(
    readonly code:
      | 'cart_changed'
      /** The total or promotions differ from the quote the shopper saw (`details.quote`: the new one). */
      | 'price_changed'
      | 'insufficient_stock'
      | 'cart_empty'
      | 'coupon_unavailable'
      | 'points_unavailable'
      | 'checkout_expired'
      | 'flash_claim_unavailable'
      | 'group_seat_unavailable',
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

/** Why a group checkout gets no seat, as a 409 naming the group. */
export function groupSeatError(status: 'none' | 'full' | 'already_member' | 'ended'): CheckoutConflictError {
  const message = {
    none: 'no such group deal or group',
    full: 'this group has no seat left',
    already_member: 'you are already in this group',
    ended: 'this group or group deal has ended',
  }[status];
  return new CheckoutConflictError('group_seat_unavailable', `Group buy: ${message}`, {
    reason: status,
    fields: [{ field: 'body.groupBuy.groupId', message }],
  });
}
