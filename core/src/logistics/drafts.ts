import { createHash } from 'node:crypto';
import type { Order } from '../orders';
import { sixDigits } from './codes';
import type { DeliveryDoc } from './model';
import type { EntryFields } from './stream';
import type { DeliveryActor, Place } from './types';

/** What differs between an order's delivery and a return pickup; the rest of a new delivery is the same. */
export interface DeliveryDraftInput {
  id: string;
  kind: DeliveryDoc['kind'];
  returnRequestId: string | null;
  order: Order;
  method: DeliveryDoc['method'];
  /** The tracking number: `BZX` (deliveries) or `BZR` (returns), then a hash of `seed`. */
  tracking: { prefix: string; seed: string };
  pickup: Place;
  dropoff: Place;
  pickupPoint: DeliveryDoc['pickupPoint'];
  status: EntryFields['status'];
  actor: DeliveryActor;
  note: string;
  at: Date;
}

/** The first stream entry and the document of a new delivery (no courier, no offer, fresh codes). */
export function draftDelivery(input: DeliveryDraftInput): { doc: DeliveryDoc; first: EntryFields } {
  const { order, at } = input;
  const first: EntryFields = {
    event: 'created',
    status: input.status,
    courierId: null,
    courierName: null,
    offer: null,
    declined: [],
    dueAt: null,
    late: false,
    attempts: 0,
    proof: null,
    actorId: input.actor.id,
    actorRole: input.actor.role,
    note: input.note,
  };
  const tag = createHash('sha256').update(input.tracking.seed).digest('hex').slice(0, 10).toUpperCase();
  const doc: DeliveryDoc = {
    _id: input.id,
    kind: input.kind,
    returnRequestId: input.returnRequestId,
    orderId: order.id,
    orderNumber: order.number,
    buyerId: order.buyerId,
    sellerId: order.sellerId,
    shopId: order.shopId,
    shopName: order.shopName,
    method: input.method,
    trackingNumber: `${input.tracking.prefix}${tag}`,
    pickup: input.pickup,
    dropoff: input.dropoff,
    pickupPoint: input.pickupPoint,
    deliveryCode: sixDigits(),
    pickupCode: sixDigits(),
    status: first.status,
    version: 0,
    courierId: null,
    courierName: null,
    offerCourierId: null,
    offerExpiresAt: null,
    dueAt: null,
    late: false,
    createdAt: at,
    updatedAt: at,
  };
  return { doc, first };
}
