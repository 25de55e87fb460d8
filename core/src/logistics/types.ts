import type { LatLng } from './area';

export const DELIVERY_STATUSES = [
  /** Courier delivery waiting for a courier (none offered yet, or the last offer was declined). */
  'awaiting_courier',
  /** Offered to one courier, who has until `offer.expiresAt` to accept. */
  'assigned',
  'accepted',
  'picked_up',
  'in_transit',
  /** The courier could not hand it over (nobody home); they try again or bring it back. */
  'failed_attempt',
  'delivered',
  'returned',
  'cancelled',
  /** Self-pickup: waiting at the pickup point for the shopper and their code. */
  'ready_for_pickup',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Which way the parcel goes: an order's delivery (shop → shopper), or the courier pickup of an after-sales
 * return (shopper → shop), booked by the buyer instead of sending the parcel themselves.
 */
export const DELIVERY_KINDS = ['order', 'return'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const COURIER_AVAILABILITY = ['online', 'offline', 'busy'] as const;
export type CourierAvailability = (typeof COURIER_AVAILABILITY)[number];

/** What happened, for the timeline (a status can be reached by several events, e.g. a decline or a timeout). */
export type DeliveryEventKind =
  | 'created'
  | 'offered'
  | 'declined'
  | 'offer_expired'
  | 'accepted'
  | 'picked_up'
  | 'in_transit'
  | 'failed_attempt'
  | 'delivered'
  | 'returned'
  | 'cancelled'
  | 'late'
  | 'reassigned';

export type DeliveryActorRole = 'courier' | 'seller' | 'support' | 'buyer' | 'system';

export interface DeliveryActor {
  id: string | null;
  role: DeliveryActorRole;
}

export interface Place extends LatLng {
  name: string;
  address: string;
}

export interface Proof {
  kind: 'code' | 'photo';
  /** File name under DATA_DIR/proofs for a photo. */
  photo: string | null;
}

export interface CourierFix extends LatLng {
  heading: number | null;
  speedKmh: number | null;
  accuracy: number | null;
  at: Date;
}

export interface TimelineEntry {
  version: number;
  event: DeliveryEventKind;
  status: DeliveryStatus;
  courierId: string | null;
  actorId: string | null;
  actorRole: DeliveryActorRole;
  note: string;
  at: Date;
}

/** A delivery as its viewers see it; codes only for those allowed (see `DeliveryView`). */
export interface Delivery {
  id: string;
  kind: DeliveryKind;
  /** The after-sales request a return pickup serves (null for an order's delivery). */
  returnRequestId: string | null;
  orderId: string;
  orderNumber: string;
  buyerId: string;
  sellerId: string;
  shopName: string;
  method: 'courier' | 'pickup';
  trackingNumber: string;
  status: DeliveryStatus;
  version: number;
  courier: { id: string; name: string } | null;
  offer: { courierId: string; expiresAt: Date } | null;
  /**
   * Where the courier collects the parcel and where it goes: the shop and the address (or pickup point)
   * for an order, the shopper's address and the shop for a return.
   */
  pickup: Place;
  dropoff: Place;
  pickupPoint: { id: string; name: string; address: string } | null;
  /** The promised arrival (set when a courier accepts) and the live estimate from the latest position. */
  dueAt: Date | null;
  etaAt: Date | null;
  late: boolean;
  attempts: number;
  position: CourierFix | null;
  proof: Proof | null;
  timeline: TimelineEntry[];
  createdAt: Date;
  updatedAt: Date;
}

/** A delivery plus what one viewer may see and do with it. */
export interface DeliveryView extends Delivery {
  yourRole: DeliveryActorRole;
  /** The code the recipient gives the courier: the shopper (a return: the seller) and support only. */
  deliveryCode: string | null;
  /** The code the shopper shows at the pickup point (shopper and support only). */
  pickupCode: string | null;
}

export interface DeliverySummary {
  id: string;
  kind: DeliveryKind;
  orderId: string;
  orderNumber: string;
  sellerId: string;
  shopName: string;
  method: 'courier' | 'pickup';
  trackingNumber: string;
  status: DeliveryStatus;
  version: number;
  courierId: string | null;
  courierName: string | null;
  offerCourierId: string | null;
  offerExpiresAt: Date | null;
  dropoff: Place;
  pickup: Place;
  dueAt: Date | null;
  late: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CourierProfile {
  id: string;
  name: string;
  availability: CourierAvailability;
  capacity: number;
  /** Deliveries the courier holds now (accepted and not finished). */
  active: number;
  position: CourierFix | null;
}

/** A delivery's move as the order it serves sees it. */
export interface DeliveryChange {
  deliveryId: string;
  kind: DeliveryKind;
  returnRequestId: string | null;
  orderId: string;
  method: 'courier' | 'pickup';
  trackingNumber: string;
  event: DeliveryEventKind;
  /** Where a self-pickup parcel waits (the pickup point, else the drop-off's name). */
  pickupPlaceName: string;
  courierName: string | null;
  proof: Proof | null;
  note: string;
}

/**
 * What follows a delivery event in other domains (the order moves along with it:
 * `core/src/flows/delivery-sync.ts`), passed in when the services are built. Runs after the event is
 * recorded, before the delivery document says so; must be idempotent, since the reconcile job runs it
 * again for events a crash cut short.
 */
export interface DeliveryEffects {
  afterEvent(change: DeliveryChange): Promise<void>;
}
