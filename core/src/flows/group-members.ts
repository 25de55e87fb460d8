import type { GroupMemberOrders } from '../group-buying';
import type { OrderService } from '../orders';

const system = { id: null, role: 'system' as const };

/**
 * Ends the orders of a group that did not fill in time. An unpaid order is cancelled (its stock and
 * seat go back; a payment that still arrives is refunded at once, as for any expired order). A paid one
 * is refunded in full: its `refunded` transition runs the same effects as support's full refund (the
 * units back to the shelf, the money back through the payments service under `rf_<order>_final`). The
 * order's own stream makes each exactly once: a second run finds it cancelled or refunded.
 */
export function createGroupMemberOrders(deps: {
  orders: Pick<OrderService, 'get' | 'transition'>;
}): GroupMemberOrders {
  return {
    async endForExpiredGroup(orderId, note) {
      const order = await deps.orders.get(orderId).catch(() => null);
      if (!order) return 'none';
      if (order.status === 'pending_payment') {
        const moved = await deps.orders.transition(orderId, 'cancelled', system, note);
        if (moved.ok) return 'cancelled';
        // Paid in the meantime: refunded below.
        if (moved.order.status !== 'paid') return 'none';
      } else if (order.status !== 'paid') return 'none';
      const refunded = await deps.orders.transition(orderId, 'refunded', system, note);
      return refunded.ok ? 'refunded' : 'none';
    },
  };
}
