import type { MembershipService } from '../membership';
import { NotFoundError } from '../errors';
import {
  UNSHIPPED_PAID,
  type Order,
  type OrderEventDoc,
  type OrderService,
  type OrderStatus,
} from '../orders';
import type { PaymentService } from '../payments';
import type { PromotionService } from '../promotions';
import { reservationId, type ReservationService } from '../reservations';
import type { CheckoutDoc, CheckoutModels } from './model';

const system = { id: null, role: 'system' as const };

/**
 * What follows an order event and a payment webhook: stock sold, released or returned, money refunded,
 * points spent back or earned, the coupon slot freed. Registered on the order and payment services;
 * every effect is idempotent (unique-keyed), because it can run again after a crash (`orders.reconcile`).
 */
export function registerFulfilment(deps: {
  models: CheckoutModels;
  orders: OrderService;
  reservations: ReservationService;
  payments: PaymentService;
  promotions: PromotionService;
  membership: MembershipService;
}) {
  const { Checkouts, OpenCheckouts } = deps.models;

  async function loadCheckout(id: string): Promise<CheckoutDoc> {
    const doc = await Checkouts.findById(id).lean<CheckoutDoc>();
    if (!doc) throw new NotFoundError('Checkout');
    return doc;
  }

  /** The coupon slot of a checkout none of whose orders was paid. */
  async function releaseCheckoutExtras(checkout: CheckoutDoc) {
    if (checkout.couponId)
      await deps.promotions.release(checkout.couponId, {
        userId: checkout.userId,
        redemptionId: checkout._id,
      });
  }

  /** Side effects of each order event; idempotent, so they may run again after a crash. */
  deps.orders.setEffects(async (order: Order, event: OrderEventDoc, from: OrderStatus) => {
    const resIds = order.lines.map((l) => reservationId(order.id, l.sku));
    if (event.event === 'refund') {
      if (event.ref)
        await deps.payments.refund({
          refundId: event.ref,
          orderId: order.id,
          paymentId: order.paymentId,
          amount: event.amount ?? 0,
          reason: event.note,
        });
      return;
    }
    switch (event.status) {
      case 'paid':
        for (const id of resIds) await deps.reservations.sell(id);
        break;
      case 'cancelled':
      case 'refunded': {
        if (from === 'pending_payment') {
          for (const id of resIds) await deps.reservations.release(id);
        } else if (UNSHIPPED_PAID.has(from)) {
          for (const id of resIds) await deps.reservations.returnSold(id);
        }
        if (
          order.totals.points > 0 &&
          (await deps.membership.spent(order.buyerId, `spend:${order.checkoutId}`))
        )
          await deps.membership.refund(
            order.buyerId,
            order.totals.points,
            `refund:${order.id}`,
            `Order ${order.number} ${event.status}`,
          );
        if (from !== 'pending_payment') {
          // Money paid and not yet refunded goes back in full.
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
        if (from === 'completed') {
          const earned = pointsFor(order, await deps.membership.account(order.buyerId));
          if (earned > 0)
            await deps.membership.revoke(
              order.buyerId,
              earned,
              `revoke:${order.id}`,
              `Order ${order.number} refunded`,
            );
        }
        if (from === 'pending_payment') {
          const checkout = await loadCheckout(order.checkoutId);
          const siblings = await deps.orders.getMany(checkout.orderIds);
          if (siblings.every((o) => o.status === 'cancelled')) await releaseCheckoutExtras(checkout);
        }
        break;
      }
      case 'completed': {
        const earned = pointsFor(order, await deps.membership.account(order.buyerId));
        if (earned > 0)
          await deps.membership.earn(order.buyerId, earned, `earn:${order.id}`, `Order ${order.number}`);
        break;
      }
      default:
        break;
    }
  });

  function pointsFor(order: Order, account: Awaited<ReturnType<MembershipService['account']>>) {
    return Math.floor((order.totals.total / 100) * deps.membership.earnRate(account.tier));
  }

  deps.payments.setHandlers({
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
      await OpenCheckouts.deleteOne({ _id: payment.checkoutId });
    },
    async failed(payment, event) {
      if (payment.status === 'succeeded') return;
      await deps.payments.setStatus(payment, {
        status: 'failed',
        method: event.method,
        failureReason: event.failureReason ?? 'The payment did not go through',
      });
    },
  });

  return { releaseCheckoutExtras };
}
