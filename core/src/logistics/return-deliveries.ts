import { ConflictError } from '../errors';
import type { ShopService } from '../shops';
import { type Clock } from '../clock';
import { draftDelivery } from './drafts';
import { shopPlace } from './geo';
import type { DeliveryDoc } from './model';
import { addressPlace, type OrderLookup } from './order-deliveries';
import type { DeliveryStream, EntryFields } from './stream';
import type { DeliveryActor } from './types';

const SYSTEM: DeliveryActor = { id: null, role: 'system' };

/** What after-sales asks for when a buyer books a courier to collect their return. */
export interface ReturnPickupBooking {
  /** Chosen by after-sales (`rt_<requestId>_<n>`), so a booking retried after a crash finds its delivery. */
  deliveryId: string;
  requestId: string;
  orderId: string;
  itemName: string;
}

/**
 * Courier pickups of after-sales returns: the reverse of an order's delivery, a real delivery of kind
 * `return` from the shopper's address to the shop, offered to couriers, accepted, picked up and delivered
 * like any other (same machine, slots, tracking, alerts). The shop is the recipient: the seller holds the
 * delivery code the courier asks for at the door. What the request does when the courier picks the parcel
 * up (or the pickup is cancelled) is the after-sales side of the flow (`core/src/flows/return-pickup.ts`).
 */
export function createReturnDeliveries(deps: {
  stream: DeliveryStream;
  orders: Pick<OrderLookup, 'get'>;
  shops: Pick<ShopService, 'getShop'>;
  clock: Clock;
}) {
  const { stream } = deps;

  async function draft(booking: ReturnPickupBooking): Promise<{ doc: DeliveryDoc; first: EntryFields }> {
    const order = await deps.orders.get(booking.orderId);
    const address = order.delivery.address;
    if (!address)
      throw new ConflictError(
        'This order was collected at a pickup point and has no address to collect the return from; ' +
          'send it yourself and enter the tracking number',
        { field: 'delivery.address' },
      );
    const shop = await deps.shops.getShop(order.shopId);
    const at = deps.clock();
    return draftDelivery({
      id: booking.deliveryId,
      kind: 'return',
      returnRequestId: booking.requestId,
      order,
      method: 'courier',
      tracking: { prefix: 'BZR', seed: booking.deliveryId },
      pickup: addressPlace(address),
      dropoff: shopPlace(order.shopName, shop?.city ?? ''),
      pickupPoint: null,
      status: 'awaiting_courier',
      actor: { id: order.buyerId, role: 'buyer' },
      note: `Return pickup of ${booking.itemName} for ${order.shopName}`,
      at,
    });
  }

  return {
    /**
     * Creates the return pickup (once, however often it is called: the id is the booking's, the first
     * entry an `appendOnce`); its `created` effects offer it to the nearest courier.
     */
    async ensureReturnDelivery(
      booking: ReturnPickupBooking,
    ): Promise<{ id: string; trackingNumber: string }> {
      const existing = await stream.find(booking.deliveryId);
      if (existing) {
        await stream.catchUp(existing._id);
        return { id: existing._id, trackingNumber: existing.trackingNumber };
      }
      const drafted = await draft(booking);
      await stream.create(drafted.doc, drafted.first);
      const doc = await stream.load(booking.deliveryId);
      return { id: doc._id, trackingNumber: doc.trackingNumber };
    },

    /** Calls off a pickup nobody has collected yet (the request was withdrawn); null if it is too late. */
    async cancelReturnDelivery(deliveryId: string, note: string) {
      if (!(await stream.find(deliveryId))) return null;
      return stream.tryMove(deliveryId, 'cancelled', SYSTEM, {
        note,
        guard: (h) =>
          h.status === 'awaiting_courier' || h.status === 'assigned' || h.status === 'accepted'
            ? null
            : { forbidden: false, reason: 'The courier has collected the parcel' },
      });
    },
  };
}

export type ReturnDeliveries = ReturnType<typeof createReturnDeliveries>;
