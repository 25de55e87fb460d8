import type { FlashSaleService } from '../flash';
import type { GroupBuyingService } from '../group-buying';
import type { MembershipService } from '../membership';
import type { Order } from '../orders';
import type { PromotionService } from '../promotions';
import { reservationId, type ReservationService } from '../reservations';

/** What of an order says what its checkout took for it. */
export type OrderTakings = Pick<Order, 'id' | 'number' | 'buyerId' | 'checkoutId' | 'lines'> & {
  totals: Pick<Order['totals'], 'points'>;
};

/** The checkout whose coupon slot is given back (its redemption id is the checkout id). */
export interface CouponHolder {
  _id: string;
  userId: string;
  couponId: string | null;
}

/**
 * Giving back what a checkout took: held stock, spent points, the coupon's slot. The checkout flow's
 * compensations and the effects of a cancelled order (fulfilment.ts) both call these, so both give back
 * under the same ledger refs and claims, and whichever runs second (or again, after a crash) finds the
 * work done: each is exactly-once by its ref, not by who calls it.
 */
export function createGiveBacks(deps: {
  reservations: Pick<ReservationService, 'release'>;
  flashSales: Pick<FlashSaleService, 'releaseClaim'>;
  groupBuying: Pick<GroupBuyingService, 'releaseSeat'>;
  membership: Pick<MembershipService, 'spent' | 'refund'>;
  promotions: Pick<PromotionService, 'release'>;
}) {
  return {
    /**
     * An unpaid order's held stock goes back on the shelf (`release:<reservation>`, once); a flash line's
     * units go back to its sale's pool (or, once the sale closed, to the shelf), once per checkout.
     */
    async releaseHeldStock(order: OrderTakings): Promise<void> {
      for (const line of order.lines)
        if (line.flashSaleId)
          await deps.flashSales.releaseClaim(order.buyerId, line.flashSaleId, order.checkoutId);
        else {
          await deps.reservations.release(reservationId(order.id, line.sku));
          // A group buy's seat is free again (its payment window passed, or its checkout was undone).
          if (line.groupId) await deps.groupBuying.releaseSeat(line.groupId, order.checkoutId);
        }
    },

    /** The points the checkout spent on this order go back to the buyer (`refund:<order>`), if spent. */
    async refundSpentPoints(order: OrderTakings, status: 'cancelled' | 'refunded'): Promise<void> {
      if (
        order.totals.points > 0 &&
        (await deps.membership.spent(order.buyerId, `spend:${order.checkoutId}`))
      )
        await deps.membership.refund(
          order.buyerId,
          order.totals.points,
          `refund:${order.id}`,
          `Order ${order.number} ${status}`,
        );
    },

    /** The coupon slot the checkout redeemed is free again (a redemption not made is tombstoned). */
    async releaseCoupon(checkout: CouponHolder): Promise<void> {
      if (checkout.couponId)
        await deps.promotions.release(checkout.couponId, {
          userId: checkout.userId,
          redemptionId: checkout._id,
        });
    },
  };
}

export type GiveBacks = ReturnType<typeof createGiveBacks>;
