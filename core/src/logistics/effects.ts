import type { OpsAlerts } from '../alerts';
import type { Assignment } from './assignment';
import type { CourierDirectory } from './couriers';
import type { DeliveryDoc, DeliveryEventDoc } from './model';
import type { PositionIngestion } from './positions';
import { FINAL_DELIVERY_STATUSES } from './state';
import type { DeliveryChange, DeliveryEffects, DeliveryStatus } from './types';

function changeOf(doc: DeliveryDoc, entry: DeliveryEventDoc): DeliveryChange {
  return {
    deliveryId: doc._id,
    kind: doc.kind ?? 'order',
    returnRequestId: doc.returnRequestId ?? null,
    orderId: doc.orderId,
    method: doc.method,
    trackingNumber: doc.trackingNumber,
    event: entry.event,
    pickupPlaceName: doc.pickupPoint?.name ?? doc.dropoff.name,
    courierName: entry.courierName,
    proof: entry.proof,
    note: entry.note,
  };
}

/**
 * What follows a delivery event: first the order it serves (`order`, the order sync in
 * `core/src/flows/delivery-sync.ts`), then logistics itself — the next courier gets an offer, a courier
 * whose delivery ended gets their slot back (and someone waiting may be offered to them), support gets
 * its alerts, the position ingestion forgets what it cached. The stream runs this before the delivery's
 * document and the bus hear of the event; every effect is idempotent, because `catchUp` (the reconcile
 * job) runs them again for an event a crash cut short.
 */
export function createDeliveryEffects(deps: {
  order: DeliveryEffects;
  assignment: Assignment;
  couriers: CourierDirectory;
  alerts: OpsAlerts;
  ingestion: Pick<PositionIngestion, 'invalidate'>;
}) {
  const { alerts } = deps;

  async function raiseAlerts(doc: DeliveryDoc, entry: DeliveryEventDoc): Promise<void> {
    const about = { deliveryId: doc._id, orderId: doc.orderId, courierId: entry.courierId };
    const what =
      doc.kind === 'return' ? `Return pickup for order ${doc.orderNumber}` : `Order ${doc.orderNumber}`;
    const because = entry.note ? ` (${entry.note})` : '';
    if (entry.event === 'failed_attempt')
      await alerts.raise(`failed:${doc._id}:${entry.version}`, {
        kind: 'delivery_failed',
        ...about,
        message: `${what}: delivery attempt ${entry.attempts} failed${because}`,
      });
    else if (entry.event === 'returned')
      await alerts.raise(`returned:${doc._id}`, {
        kind: 'delivery_failed',
        ...about,
        message: `${what}: returned to ${doc.kind === 'return' ? 'the shopper' : doc.shopName}${because}`,
      });
    else if (entry.event === 'late')
      await alerts.raise(`late:${doc._id}:${entry.version}`, {
        kind: 'delivery_late',
        ...about,
        message: `${what} is running late${entry.courierName ? ` (${entry.courierName})` : ''}`,
      });
  }

  return async function afterEvent(doc: DeliveryDoc, entry: DeliveryEventDoc, from: DeliveryStatus) {
    await deps.order.afterEvent(changeOf(doc, entry));
    const previous = entry.event === 'reassigned' ? (entry.declined.at(-1) ?? null) : null;
    switch (entry.event) {
      case 'created':
        if (doc.method === 'courier') await deps.assignment.offerQuietly(doc._id);
        break;
      case 'declined':
      case 'offer_expired':
        await deps.assignment.offerQuietly(doc._id);
        break;
      case 'reassigned':
        // The caller offers it next (to support's pick); the courier who had accepted is free again.
        if (previous && from === 'accepted') await deps.couriers.releaseDelivery(previous, doc._id);
        break;
      default:
        await raiseAlerts(doc, entry);
    }
    if (FINAL_DELIVERY_STATUSES.has(entry.status) && entry.courierId) {
      await deps.couriers.releaseDelivery(entry.courierId, doc._id);
      // A slot came free: someone waiting may now be offered to this courier.
      deps.assignment.offerWaitingSoon();
    }
    for (const id of [entry.courierId, previous]) if (id) deps.ingestion.invalidate(id);
  };
}
