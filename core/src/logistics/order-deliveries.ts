import { ConflictError } from '../errors';
import type { Order, OrderService } from '../orders';
import type { ShopService } from '../shops';
import { draftDelivery } from './drafts';
import { placeFor, shopPlace } from './geo';
import type { DeliveryDoc } from './model';
import { CARRYING, FINAL_DELIVERY_STATUSES } from './state';
import type { DeliveryStream, EntryFields } from './stream';
import type { DeliveryActor, Place } from './types';
import { type Clock } from '../clock';

const SYSTEM: DeliveryActor = { id: null, role: 'system' };

/** What logistics reads of orders (it never writes them: the order sync flow moves orders along). */
export type OrderLookup = Pick<OrderService, 'get' | 'roleFor' | 'search'>;

export const deliveryIdOf = (orderId: string) => `dl_${orderId}`;

/** The shopper's address of an order placed in the delivery area (the drop-off, or a return's pickup). */
export function addressPlace(address: Order['delivery']['address']): Place {
  return placeFor(
    address?.name ?? '',
    [address?.line1, address?.line2, address?.district, address?.city, address?.province]
      .filter(Boolean)
      .join(', '),
    [address?.line1, address?.line2, address?.district, address?.city].filter(Boolean).join(', '),
  );
}

/**
 * The delivery of an order: created once when the seller accepts it, and moved along when people move
 * the order on. Both read the order as it is now, so they are idempotent and may run from an order's
 * event, after creating a delivery, or from the reconcile job. Also whether the seller may still ship
 * the order by hand.
 */
export function createOrderDeliveries(deps: {
  stream: DeliveryStream;
  orders: OrderLookup;
  shops: Pick<ShopService, 'getShop'>;
  clock: Clock;
}) {
  const { stream } = deps;

  /** The first entry and the document of an accepted order's delivery. */
  async function draft(orderId: string): Promise<{ doc: DeliveryDoc; first: EntryFields } | null> {
    const order = await deps.orders.get(orderId);
    if (order.status !== 'accepted') return null;
    const shop = await deps.shops.getShop(order.shopId);
    const pickupPoint = order.delivery.method === 'pickup' ? order.delivery.pickupPoint : null;
    const dropoff: Place = pickupPoint
      ? placeFor(pickupPoint.name, pickupPoint.address, pickupPoint.address)
      : addressPlace(order.delivery.address);
    const at = deps.clock();
    const method = pickupPoint ? 'pickup' : 'courier';
    return draftDelivery({
      id: deliveryIdOf(orderId),
      kind: 'order',
      returnRequestId: null,
      order,
      method,
      tracking: { prefix: 'BZX', seed: orderId },
      pickup: shopPlace(order.shopName, shop?.city ?? ''),
      dropoff,
      pickupPoint,
      status: method === 'pickup' ? 'ready_for_pickup' : 'awaiting_courier',
      actor: SYSTEM,
      note:
        method === 'pickup' ? `Self-pickup at ${dropoff.name}` : `Courier delivery from ${order.shopName}`,
      at,
    });
  }

  /**
   * The delivery follows its order when people move the order on: cancelled or refunded → cancelled,
   * marked delivered → delivered, and shipped by the seller with their own carrier before a courier
   * took the parcel → the courier delivery is cancelled (see `handShipRefusal`).
   */
  async function followOrder(orderId: string): Promise<void> {
    const id = deliveryIdOf(orderId);
    const [head, doc] = await Promise.all([stream.latest(id), stream.find(id)]);
    // No document yet: its creator is between the first entry and the document (`create`), and follows
    // the order itself once the document exists (`ensureDelivery`), so there is nothing to move here.
    if (!head || !doc || FINAL_DELIVERY_STATUSES.has(head.status)) return;
    const order = await deps.orders.get(orderId);
    if (order.status === 'cancelled' || order.status === 'refunded') {
      await stream.tryMove(id, 'cancelled', SYSTEM, { note: `Order ${order.status}` });
    } else if (order.status === 'delivered' || order.status === 'completed') {
      await stream.tryMove(id, 'delivered', SYSTEM, { note: 'Marked delivered on the order' });
    } else if (order.status === 'shipped') {
      // Logistics ships orders itself (as the system) at pickup; a seller's shipment replaces the courier.
      const shipped = order.timeline.findLast((e) => e.event === 'status' && e.status === 'shipped');
      if (!shipped || shipped.actorRole === 'system' || doc.method !== 'courier') return;
      const by = order.tracking ? ` with ${order.tracking.carrier} ${order.tracking.number}` : '';
      await stream.tryMove(id, 'cancelled', SYSTEM, { note: `Shipped by the seller${by}` });
    }
  }

  /**
   * Why the seller may not ship an order by hand now, or null: once a courier has accepted its courier
   * delivery they are on the way to collect the parcel, and the order ships when they pick it up. Before
   * that (no courier yet, or only an offer) the seller may still ship it with their own carrier, which
   * cancels the courier delivery (`followOrder`). `exact` reads the delivery's stream rather than its
   * document (which trails it by a moment): for the check itself, not for the buttons.
   */
  async function handShipRefusal(orderId: string, exact: boolean): Promise<ConflictError | null> {
    const doc = await stream.find(deliveryIdOf(orderId));
    if (!doc || doc.method !== 'courier') return null;
    const head = exact ? await stream.latest(doc._id) : doc;
    if (!head || !CARRYING.has(head.status)) return null;
    return new ConflictError(
      `A courier delivery handles this order: ${head.courierName ?? 'a courier'} has accepted it ` +
        `(${doc.trackingNumber}) and it ships when they pick it up. To ship it yourself, ask support ` +
        `to cancel the courier delivery first.`,
      { status: head.status, deliveryId: doc._id },
    );
  }

  return {
    /** Creates the delivery of an accepted order (once, however often it is called); null if not accepted. */
    async ensureDelivery(orderId: string): Promise<string | null> {
      const id = deliveryIdOf(orderId);
      if (await stream.find(id)) {
        await stream.catchUp(id);
        return id;
      }
      const drafted = await draft(orderId);
      if (!drafted) return null;
      await stream.create(drafted.doc, drafted.first);
      // The order may have moved on while the delivery was being made (the seller shipped it by hand, or
      // it was cancelled) and its event found no delivery to follow: follow it now. Anything later finds it.
      await followOrder(orderId);
      return id;
    },
    followOrder,
    handShipRefusal,
  };
}

export type OrderDeliveries = ReturnType<typeof createOrderDeliveries>;
