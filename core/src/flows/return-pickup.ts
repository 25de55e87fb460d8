import type { AfterSalesEffects, AfterSalesService } from '../aftersales';
import type { DeliveryEffects, LogisticsService } from '../logistics';

/**
 * Courier pickups of after-sales returns, the flow between the two domains:
 *
 * - after-sales → logistics (`pickupEffects`, handed to the after-sales service): a booked pickup creates
 *   its delivery of kind `return` (once per delivery id, so the deadline job may run it again after a
 *   crash); a withdrawn request calls a not-yet-collected pickup off.
 * - logistics → after-sales (`deliveryEffects`, run by logistics after each event of a return delivery,
 *   and again by its reconcile job): picked up → the request is `return_shipped`, tracked by the delivery;
 *   cancelled before collection → the pickup is cleared and the buyer may ship or book again. The seller
 *   confirms receipt on the request as for any return.
 *
 * Each side reads the other's state as it is now and appends by a ref of its own, so reruns change nothing.
 */
export function createReturnPickupFlow(deps: {
  logistics: Pick<LogisticsService, 'ensureReturnDelivery' | 'cancelReturnDelivery'>;
  aftersales: () => Pick<AfterSalesService, 'returnPickedUp' | 'returnPickupCancelled'>;
}) {
  const pickupEffects: Pick<AfterSalesEffects, 'bookPickup' | 'cancelPickup'> = {
    async bookPickup(task) {
      await deps.logistics.ensureReturnDelivery(task);
    },
    async cancelPickup(task) {
      await deps.logistics.cancelReturnDelivery(task.deliveryId, 'The buyer withdrew the return');
    },
  };

  const deliveryEffects: DeliveryEffects = {
    async afterEvent(change) {
      if (change.kind !== 'return' || !change.returnRequestId) return;
      if (change.event === 'picked_up')
        await deps
          .aftersales()
          .returnPickedUp(
            change.returnRequestId,
            change.deliveryId,
            { carrier: 'Bazaar Express', number: change.trackingNumber },
            `Picked up by ${change.courierName ?? 'the courier'} (${change.trackingNumber})`,
          );
      else if (change.event === 'cancelled')
        await deps.aftersales().returnPickupCancelled(change.returnRequestId, change.deliveryId, change.note);
    },
  };

  return { pickupEffects, deliveryEffects };
}

export type ReturnPickupFlow = ReturnType<typeof createReturnPickupFlow>;
