import type { CourierDirectory } from './couriers';
import { estimateArrival } from './eta';
import type { DeliveryDoc, DeliveryEventDoc, TrackDoc } from './model';
import { CARRYING } from './state';
import type { DeliveryStream } from './stream';
import type {
  CourierFix,
  Delivery,
  DeliveryActorRole,
  DeliverySummary,
  DeliveryView,
  TimelineEntry,
} from './types';
import { type Clock } from '../clock';

const TIMELINE_LIMIT = 100;

export function toSummary(doc: DeliveryDoc): DeliverySummary {
  return {
    id: doc._id,
    kind: doc.kind ?? 'order',
    orderId: doc.orderId,
    orderNumber: doc.orderNumber,
    sellerId: doc.sellerId,
    shopName: doc.shopName,
    method: doc.method,
    trackingNumber: doc.trackingNumber,
    status: doc.status,
    version: doc.version,
    courierId: doc.courierId,
    courierName: doc.courierName,
    offerCourierId: doc.offerCourierId,
    offerExpiresAt: doc.offerExpiresAt,
    pickup: doc.pickup,
    dropoff: doc.dropoff,
    dueAt: doc.dueAt,
    late: doc.late,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toTimeline(e: DeliveryEventDoc): TimelineEntry {
  return {
    version: e.version,
    event: e.event,
    status: e.status,
    courierId: e.courierId ?? e.offer?.courierId ?? null,
    actorId: e.actorId,
    actorRole: e.actorRole,
    note: e.note,
    at: e.at,
  };
}

const fromTrack = (t: TrackDoc): CourierFix => ({
  lat: t.lat,
  lng: t.lng,
  heading: t.heading ?? null,
  speedKmh: t.speedKmh ?? null,
  accuracy: null,
  at: t.at,
});

/** Builds what people see of a delivery from its document and its stream (the head is the truth). */
export function createDeliveryViews(deps: {
  stream: DeliveryStream;
  couriers: CourierDirectory;
  averageSpeedKmh: number;
  clock: Clock;
}) {
  /** The courier's freshest fix while they carry the delivery: this node's memory, the track, the profile. */
  async function positionOf(doc: DeliveryDoc, head: DeliveryEventDoc): Promise<CourierFix | null> {
    if (!CARRYING.has(head.status) || !head.courierId) return null;
    const [track, fix] = await Promise.all([
      deps.stream.track(doc._id),
      deps.couriers.position(head.courierId),
    ]);
    const fromTrackFix = track ? fromTrack(track) : null;
    if (fix && (!fromTrackFix || fix.at >= fromTrackFix.at)) return fix;
    return fromTrackFix;
  }

  async function assemble(doc: DeliveryDoc, known?: DeliveryEventDoc): Promise<Delivery> {
    const head = known ?? (await deps.stream.head(doc._id));
    const [history, position] = await Promise.all([
      deps.stream.history(doc._id, TIMELINE_LIMIT),
      positionOf(doc, head),
    ]);
    const etaAt = CARRYING.has(head.status)
      ? position
        ? estimateArrival({
            status: head.status,
            position,
            speedKmh: position.speedKmh,
            pickup: doc.pickup,
            dropoff: doc.dropoff,
            averageSpeedKmh: deps.averageSpeedKmh,
            now: deps.clock(),
          })
        : head.dueAt
      : null;
    const proof = history.find((e) => e.proof)?.proof ?? null;
    return {
      id: doc._id,
      kind: doc.kind ?? 'order',
      returnRequestId: doc.returnRequestId ?? null,
      orderId: doc.orderId,
      orderNumber: doc.orderNumber,
      buyerId: doc.buyerId,
      sellerId: doc.sellerId,
      shopName: doc.shopName,
      method: doc.method,
      trackingNumber: doc.trackingNumber,
      status: head.status,
      version: head.version,
      courier: head.courierId ? { id: head.courierId, name: head.courierName ?? '' } : null,
      offer: head.offer,
      pickup: doc.pickup,
      dropoff: doc.dropoff,
      // Written as null for courier deliveries, but FerretDB 1.24 leaves null fields out of a
      // `$setOnInsert` upsert (the stream's insert).
      pickupPoint: doc.pickupPoint ?? null,
      dueAt: head.dueAt,
      etaAt,
      late: head.late,
      attempts: head.attempts,
      position,
      proof,
      timeline: history.map(toTimeline),
      createdAt: doc.createdAt,
      updatedAt: head.at,
    };
  }

  return {
    assemble,
    async view(doc: DeliveryDoc, role: DeliveryActorRole, head?: DeliveryEventDoc): Promise<DeliveryView> {
      const delivery = await assemble(doc, head);
      // The recipient holds the codes (and support, to help them); the courier and the pickup point's staff
      // must be told them by the recipient, which is what makes them proof. A return goes to the seller.
      const recipient = doc.kind === 'return' ? 'seller' : 'buyer';
      const seesCodes = role === recipient || role === 'support';
      return {
        ...delivery,
        yourRole: role,
        deliveryCode: seesCodes && doc.method === 'courier' ? doc.deliveryCode : null,
        pickupCode: seesCodes && doc.method === 'pickup' ? doc.pickupCode : null,
      };
    },
  };
}

export type DeliveryViews = ReturnType<typeof createDeliveryViews>;
