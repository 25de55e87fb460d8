import type { Actor } from '../catalog';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import type { OrderService, OrderStatus } from '../orders';
import type { GroupBuyingService } from '../group-buying';
import type { PaymentService } from '../payments';
import { type Clock, systemClock } from '../clock';

/**
 * What people do to an order after checkout: the buyer cancels or confirms receipt, the seller accepts,
 * ships and marks delivered, support cancels and refunds. Who may do what is the order state machine's
 * call (core/src/orders/state.ts); the effects follow from the order's events (fulfilment.ts).
 */
export function createOrderActions(deps: {
  orders: OrderService;
  payments: PaymentService;
  groups: Pick<GroupBuyingService, 'isComplete'>;
  /** Days after delivery when an order the buyer has not confirmed completes by itself. */
  autoCompleteDays: number;
  clock?: Clock;
}) {
  const now = deps.clock ?? systemClock;
  async function act(actor: Actor, orderId: string, to: OrderStatus, note = '', extra = {}) {
    const role = await deps.orders.roleFor(actor, orderId);
    await deps.orders.transitionOrThrow(orderId, to, { id: actor.id, role }, note, extra);
    // Read again: the transition's effects (a refund, say) may have added events after it.
    return deps.orders.get(orderId);
  }

  return {
    /** The job: orders delivered long enough ago complete (and earn their points) without the buyer. */
    async autoComplete(): Promise<{ completed: number }> {
      const before = new Date(now().getTime() - deps.autoCompleteDays * 86_400_000);
      let completed = 0;
      for (const id of await deps.orders.deliveredBefore(before)) {
        const days = deps.autoCompleteDays;
        const moved = await deps.orders.transition(
          id,
          'completed',
          { id: null, role: 'system' },
          `Confirmed automatically ${days} days after delivery`,
        );
        if (moved.ok) completed++;
      }
      return { completed };
    },

    cancel: (actor: Actor, orderId: string, reason: string) => act(actor, orderId, 'cancelled', reason),
    async accept(actor: Actor, orderId: string) {
      // A group-buy order proceeds to the seller only once its group filled (else it is refunded).
      const { order } = await deps.orders.getFor(actor, orderId);
      for (const line of order.lines)
        if (line.groupId && !(await deps.groups.isComplete(line.groupId)))
          throw new ConflictError('This group-buy order waits until its group is full', {
            groupId: line.groupId,
          });
      return act(actor, orderId, 'accepted');
    },
    ship: (actor: Actor, orderId: string, tracking: { carrier: string; number: string }) =>
      act(actor, orderId, 'shipped', `${tracking.carrier} ${tracking.number}`, { tracking }),
    markDelivered: (actor: Actor, orderId: string) => act(actor, orderId, 'delivered'),
    confirmReceipt: (actor: Actor, orderId: string) => act(actor, orderId, 'completed'),

    /** Support refunds part or all of a paid order (the whole of what is left when `amount` is absent). */
    async refund(actor: Actor, orderId: string, amount: number | null, reason: string, refundKey: string) {
      const { order, role } = await deps.orders.getFor(actor, orderId);
      if (role !== 'support') throw new ForbiddenError('Only support staff can refund');
      const payment = await deps.payments.get(order.paymentId);
      if (order.status === 'pending_payment' || payment.status !== 'succeeded')
        throw new ConflictError('The order has not been paid', { status: order.status });
      if (order.status === 'cancelled' && order.refunded >= order.totals.total)
        throw new ConflictError('The order has been refunded in full');
      const left = order.totals.total - order.refunded;
      const value = amount ?? left;
      if (value > left)
        throw new ValidationError([
          { field: 'body.amount', message: `at most ${left} fen can still be refunded` },
        ]);
      if (value === left && !['cancelled', 'refunded'].includes(order.status)) {
        // A full refund is a status change: stock, points and the money follow it (see the effects).
        await deps.orders.transitionOrThrow(orderId, 'refunded', { id: actor.id, role }, reason);
        return deps.orders.get(orderId);
      }
      return (
        await deps.orders.recordRefund(
          orderId,
          value,
          { id: actor.id, role },
          `rf_${orderId}_${refundKey}`,
          reason,
        )
      ).order;
    },
  };
}

export type OrderActions = ReturnType<typeof createOrderActions>;
