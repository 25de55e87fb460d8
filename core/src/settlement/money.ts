import { splitProportionally } from '../money';
import type { Order } from '../orders';

/**
 * The money of one seller's order (integer fen) and how a refund divides it.
 *
 *   G goods (`totals.items`, at list prices), S shipping, Ds seller-funded discount (a shop coupon and the
 *   seller's automatic promotions, sale prices included), Dp platform-funded discount (a platform coupon
 *   and the platform's automatic promotions), P points (the platform's liability), T paid = G + S − Ds − Dp − P,
 *   C commission (the order's commission lines: charged on each line's goods after its share of Ds —
 *   what the seller actually sells for, as Tmall and JD charge — not on the platform's subsidy),
 *   E the seller's earning = G + S − Ds − C, F = Dp + P what the platform funds.
 *
 *   T + F = E + C                                        (the order identity)
 *
 * A refund of R (of the T paid) returns the same fraction of E, C and F:
 *   R = sellerDebit + commissionReversed − platformFundedReturned
 * computed on cumulative amounts (what has been refunded before and after it), so every refund is whole
 * fen, their sum over a full refund is exactly E, C and F, and the identity holds for each refund.
 */
export interface OrderMoney {
  goods: number;
  shipping: number;
  sellerDiscount: number;
  platformDiscount: number;
  points: number;
  paid: number;
  commission: number;
  /** E: what the seller earns from the order before any refund. */
  sellerEarning: number;
  /** F = Dp + P. */
  platformFunded: number;
}

export function orderMoney(
  order: Pick<Order, 'totals' | 'coupon' | 'commission'> & { promotions?: Order['promotions'] },
): OrderMoney {
  const { items, shipping, discount, points, total } = order.totals;
  // `discount` is the automatic promotions' amounts plus the coupon's (orders before promotions: none).
  const promotions = order.promotions ?? [];
  const byFunding = (funding: 'seller' | 'platform') =>
    promotions.filter((p) => p.funding === funding).reduce((sum, p) => sum + p.amount, 0);
  const couponDiscount = discount - byFunding('seller') - byFunding('platform');
  const sellerDiscount = byFunding('seller') + (order.coupon?.funding === 'seller' ? couponDiscount : 0);
  const platformDiscount = discount - sellerDiscount;
  const commission = order.commission.reduce((sum, line) => sum + line.amount, 0);
  return {
    goods: items,
    shipping,
    sellerDiscount,
    platformDiscount,
    points,
    paid: total,
    commission,
    sellerEarning: items + shipping - sellerDiscount - commission,
    platformFunded: platformDiscount + points,
  };
}

/** The parts of an order's refunds so far: what they took from the seller, the commission and the platform. */
export interface RefundParts {
  sellerDebit: number;
  commissionReversed: number;
  platformFundedReturned: number;
}

/** `numerator × part / whole`, rounded half up, exact (BigInt). */
function shareOf(part: number, numerator: number, whole: number): number {
  if (whole <= 0) return 0;
  return Number((2n * BigInt(part) * BigInt(numerator) + BigInt(whole)) / (2n * BigInt(whole)));
}

/** The parts of refunds totalling `refunded` (cumulative; 0 ≤ refunded ≤ paid). */
export function refundPartsUpTo(money: OrderMoney, refunded: number): RefundParts {
  if (refunded <= 0) return { sellerDebit: 0, commissionReversed: 0, platformFundedReturned: 0 };
  const platformFundedReturned = shareOf(money.platformFunded, refunded, money.paid);
  // What the refund takes back from E + C: the money returned plus the platform's share of it.
  const parts = splitProportionally(refunded + platformFundedReturned, {
    seller: money.sellerEarning,
    commission: money.commission,
  });
  return {
    sellerDebit: parts.seller ?? 0,
    commissionReversed: parts.commission ?? 0,
    platformFundedReturned,
  };
}

/** The parts of one refund that takes refunds from `before` to `before + amount`. */
export function refundParts(money: OrderMoney, before: number, amount: number): RefundParts {
  const upTo = refundPartsUpTo(money, before + amount);
  const prior = refundPartsUpTo(money, before);
  return {
    sellerDebit: upTo.sellerDebit - prior.sellerDebit,
    commissionReversed: upTo.commissionReversed - prior.commissionReversed,
    platformFundedReturned: upTo.platformFundedReturned - prior.platformFundedReturned,
  };
}
