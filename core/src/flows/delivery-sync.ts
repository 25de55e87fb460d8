import type { EventBus } from '../events';
import type { DeliveryChange, DeliveryEffects, LogisticsService } from '../logistics';
import type { OrderService } from '../orders';

const system = { id: null, role: 'system' as const };

/**
 * The logistics order sync: an order and its delivery move together, each side through its own service.
 *
 * - The order follows its delivery (`deliveryEffects`, run by logistics after each delivery event and
 *   again by its reconcile job after a crash): ready for pickup or picked up → `shipped` with the
 *   tracking number, delivered → `delivered`, moved by the system. A refusal (the order was cancelled
 *   meanwhile) is fine: the delivery follows that instead.
 * - The delivery follows its order (the `order.status_changed` events of this process; with a Redis bus
 *   every process hears every event, and a crash before this one reacted is finished by logistics'
 *   reconcile job): accepted → the delivery is created; cancelled, refunded, delivered, or shipped by the
 *   seller by hand → logistics moves the delivery after the order (`followOrder`).
 *
 * Both directions read the other side's state as it is now, so running either again changes nothing.
 */
export function createDeliveryOrderSync(deps: {
  bus: EventBus;
  orders: Pick<OrderService, 'get' | 'transition'>;
  logistics: Pick<LogisticsService, 'ensureDelivery' | 'followOrder'>;
}) {
  /** Moves the order along with its delivery, as the system. */
  async function moveOrder(change: DeliveryChange, to: 'shipped' | 'delivered', note: string): Promise<void> {
    const order = await deps.orders.get(change.orderId);
    const tracking = {
      carrier: change.method === 'pickup' ? 'Bazaar pickup' : 'Bazaar Express',
      number: change.trackingNumber,
    };
    if (order.status === 'accepted')
      await deps.orders.transition(change.orderId, 'shipped', system, to === 'shipped' ? note : '', {
        tracking,
      });
    if (to === 'delivered' && ['accepted', 'shipped'].includes(order.status))
      await deps.orders.transition(change.orderId, 'delivered', system, note);
  }

  const deliveryEffects: DeliveryEffects = {
    async afterEvent(change) {
      // A return pickup moves its after-sales request, not the order (`return-pickup.ts`).
      if (change.kind !== 'order') return;
      switch (change.event) {
        case 'created':
          if (change.method === 'pickup')
            await moveOrder(change, 'shipped', `Ready for pickup at ${change.pickupPlaceName}`);
          break;
        case 'picked_up':
          await moveOrder(change, 'shipped', `Picked up by ${change.courierName ?? 'the courier'}`);
          break;
        case 'delivered':
          await moveOrder(
            change,
            'delivered',
            change.proof ? `Delivered (proof: ${change.proof.kind})` : change.note,
          );
          break;
        default:
          break;
      }
    },
  };

  const unsubscribe = deps.bus.subscribe(
    'order.status_changed',
    async (e) => {
      if (e.event !== 'status') return;
      if (e.status === 'accepted') await deps.logistics.ensureDelivery(e.orderId);
      else if (['cancelled', 'refunded', 'delivered', 'shipped'].includes(e.status))
        await deps.logistics.followOrder(e.orderId);
    },
    { origin: 'local' },
  );

  return { deliveryEffects, close: unsubscribe };
}

export type DeliveryOrderSync = ReturnType<typeof createDeliveryOrderSync>;
