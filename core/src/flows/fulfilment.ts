import type { CheckoutService } from '../checkout';
import type { FlashSaleService } from '../flash';
import type { GroupBuyingService } from '../group-buying';
import type { MembershipService } from '../membership';
import {
  UNSHIPPED_PAID,
  type Order,
  type OrderEffects,
  type OrderEventDoc,
  type OrderService,
  type OrderStatus,
} from '../orders';
import type { PaymentOutcomes, PaymentService } from '../payments';
import { reservationId, type ReservationService } from '../reservations';
import type { SettlementService } from '../settlement';
import type { GiveBacks } from './give-back';

const system = { id: null, role: 'system' as const };

/**
 * What follows an order event and a payment's outcome across domains: stock sold, released or
 * returned, money refunded, points given back, earned or revoked, the coupon's slot freed, the orders
 * of a paid checkout moved on. The order service runs `orderEffects` after recording each event and
 * before publishing it (its `statusVersion` marks how far they ran, and `orders.reconcile` finishes
 * what a crash cut short); the payment service runs `paymentOutcomes` for each provider verdict. Every
 * effect is exactly-once by its own unique key, so running one again changes nothing.
 */
export function createFulfilment(deps: {
  orders: Pick<OrderService, 'getMany' | 'recordRefund' | 'transition'>;
  payments: Pick<PaymentService, 'refund' | 'setStatus'>;
  reservations: Pick<ReservationService, 'sell' | 'returnSold'>;
  flashSales: Pick<FlashSaleService, 'consumeClaim' | 'returnSold'>;
  groupBuying: Pick<GroupBuyingService, 'seatPaid' | 'releaseSeat'>;
  membership: Pick<MembershipService, 'account' | 'earnRate' | 'earn' | 'revoke'>;
  checkouts: Pick<CheckoutService, 'load' | 'markPaid'>;
  /** The seller's money: credited when an order completes, debited by every refund after that. */
  settlement: Pick<SettlementService, 'settleOrder'>;
  giveBack: GiveBacks;
}) {
  async function pointsFor(order: Order): Promise<number> {
    const account = await deps.membership.account(order.buyerId);
    return Math.floor((order.totals.total / 100) * deps.membership.earnRate(account.tier));
  }

  /** A refund event asks the provider for the money (once per refund id). */
  async function refundPayment(order: Order, event: OrderEventDoc): Promise<void> {
    if (!event.ref) return;
    await deps.payments.refund({
      refundId: event.ref,
      orderId: order.id,
      paymentId: order.paymentId,
      amount: event.amount ?? 0,
      reason: event.note,
    });
  }

  /**
   * Paid: held units are sold; a flash line's claim is used for good (the sale keeps its units sold); a
   * group line's seat is paid (and the group completes when it was the last one).
   */
  async function sellHeldStock(order: Order): Promise<void> {
    for (const line of order.lines)
      if (line.flashSaleId)
        await deps.flashSales.consumeClaim(order.buyerId, line.flashSaleId, order.checkoutId);
      else {
        await deps.reservations.sell(reservationId(order.id, line.sku));
        if (line.groupId) await deps.groupBuying.seatPaid(line.groupId, order.checkoutId);
      }
  }

  /** Unpaid: the hold is released. Paid and not yet shipped: the sold units come back to the shelf. */
  async function giveBackStock(order: Order, from: OrderStatus): Promise<void> {
    if (from === 'pending_payment') await deps.giveBack.releaseHeldStock(order);
    else if (UNSHIPPED_PAID.has(from))
      for (const line of order.lines) {
        const id = reservationId(order.id, line.sku);
        // Sold flash units return to normal stock: the sale is over for them.
        if (line.flashSaleId) await deps.flashSales.returnSold(line.flashSaleId, line.qty, `return:${id}`);
        else await deps.reservations.returnSold(id);
        // A paid member leaving a group that is still forming frees their seat (no-op once it ended).
        if (line.groupId) await deps.groupBuying.releaseSeat(line.groupId, order.checkoutId);
      }
  }

  /** Money paid and not yet refunded goes back in full. */
  async function refundTheRest(order: Order, event: OrderEventDoc): Promise<void> {
    const left = order.totals.total - order.refunded;
    if (left > 0)
      await deps.orders.recordRefund(
        order.id,
        left,
        system,
        `rf_${order.id}_final`,
        event.note || `Order ${event.status}`,
      );
  }

  async function revokeEarnedPoints(order: Order): Promise<void> {
    const earned = await pointsFor(order);
    if (earned > 0)
      await deps.membership.revoke(
        order.buyerId,
        earned,
        `revoke:${order.id}`,
        `Order ${order.number} refunded`,
      );
  }

  /** The coupon's slot comes back once none of the checkout's orders can be paid any more. */
  async function releaseCouponWhenAllCancelled(order: Order): Promise<void> {
    const checkout = await deps.checkouts.load(order.checkoutId);
    const siblings = await deps.orders.getMany(checkout.orderIds);
    if (siblings.every((o) => o.status === 'cancelled')) await deps.giveBack.releaseCoupon(checkout);
  }

  /** A cancelled or refunded order gives back everything it took, in this order. */
  async function undoOrder(order: Order, event: OrderEventDoc, from: OrderStatus): Promise<void> {
    await giveBackStock(order, from);
    await deps.giveBack.refundSpentPoints(order, event.status === 'refunded' ? 'refunded' : 'cancelled');
    if (from !== 'pending_payment') await refundTheRest(order, event);
    if (from === 'completed') await revokeEarnedPoints(order);
    if (from === 'pending_payment') await releaseCouponWhenAllCancelled(order);
  }

  async function earnPoints(order: Order): Promise<void> {
    const earned = await pointsFor(order);
    if (earned > 0)
      await deps.membership.earn(order.buyerId, earned, `earn:${order.id}`, `Order ${order.number}`);
  }

  const orderEffects: OrderEffects = {
    async afterEvent(order, event, from) {
      if (event.event === 'refund') {
        await refundPayment(order, event);
        // Every refund, whoever made it: after completion it debits the seller (settlement decides).
        return deps.settlement.settleOrder(order.id);
      }
      switch (event.status) {
        case 'paid':
          return sellHeldStock(order);
        case 'cancelled':
        case 'refunded':
          return undoOrder(order, event, from);
        case 'completed':
          await earnPoints(order);
          return deps.settlement.settleOrder(order.id);
        default:
          return;
      }
    },
  };

  const paymentOutcomes: PaymentOutcomes = {
    async succeeded(payment, event) {
      await deps.payments.setStatus(payment, {
        status: 'succeeded',
        method: event.method,
        failureReason: null,
      });
      for (const orderId of payment.orderIds) {
        const moved = await deps.orders.transition(
          orderId,
          'paid',
          system,
          `Paid with ${event.method ?? 'sandbox'}`,
        );
        if (
          !moved.ok &&
          moved.order.status === 'cancelled' &&
          moved.order.refunded < moved.order.totals.total
        ) {
          // Paid after the order timed out: the money goes back at once.
          await deps.orders.recordRefund(
            orderId,
            moved.order.totals.total - moved.order.refunded,
            system,
            `rf_${orderId}_late`,
            'Payment arrived after the order expired',
          );
        }
      }
      await deps.checkouts.markPaid(payment.checkoutId);
    },
    async failed(payment, event) {
      if (payment.status === 'succeeded') return;
      await deps.payments.setStatus(payment, {
        status: 'failed',
        method: event.method,
        failureReason: event.failureReason ?? 'The payment did not go through',
      });
    },
  };

  return { orderEffects, paymentOutcomes };
}

export type Fulfilment = ReturnType<typeof createFulfilment>;
