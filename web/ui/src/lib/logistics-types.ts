/** The logistics API's shapes as the storefront reads them (dates are ISO strings). */

export const DELIVERY_STATUSES = [
  'awaiting_courier',
  'assigned',
  'accepted',
  'picked_up',
  'in_transit',
  'failed_attempt',
  'delivered',
  'returned',
  'cancelled',
  'ready_for_pickup',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type DeliveryEvent =
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

export type Availability = 'online' | 'busy' | 'offline';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface Place extends LatLng {
  name: string;
  address: string;
}

export interface CourierFix extends LatLng {
  heading: number | null;
  speedKmh: number | null;
  accuracy: number | null;
  at: string;
}

export interface DeliveryTimelineEntry {
  version: number;
  event: DeliveryEvent;
  status: DeliveryStatus;
  courierId: string | null;
  actorId: string | null;
  actorRole: 'courier' | 'seller' | 'support' | 'buyer' | 'system';
  note: string;
  at: string;
}

export interface Delivery {
  id: string;
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
  offer: { courierId: string; expiresAt: string } | null;
  pickup: Place;
  dropoff: Place;
  pickupPoint: { id: string; name: string; address: string } | null;
  dueAt: string | null;
  etaAt: string | null;
  late: boolean;
  attempts: number;
  position: CourierFix | null;
  proof: { kind: 'code' | 'photo'; photo: string | null } | null;
  timeline: DeliveryTimelineEntry[];
  createdAt: string;
  updatedAt: string;
  yourRole: DeliveryTimelineEntry['actorRole'];
  deliveryCode: string | null;
  pickupCode: string | null;
  actions: DeliveryEvent[];
}

export interface DeliverySummary {
  id: string;
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
  offerExpiresAt: string | null;
  pickup: Place;
  dropoff: Place;
  dueAt: string | null;
  late: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CourierProfile {
  id: string;
  name: string;
  availability: Availability;
  capacity: number;
  active: number;
  position: CourierFix | null;
}

/** Support's alerts: delivery ones name a delivery, payment ones a payment (the other ids are null). */
export interface OpsAlert {
  id: string;
  kind: 'delivery_late' | 'courier_silent' | 'delivery_failed' | 'payment_mismatch';
  deliveryId: string | null;
  orderId: string | null;
  courierId: string | null;
  paymentId: string | null;
  message: string;
  at: string;
}

export interface DeliveryCounters {
  byStatus: Partial<Record<DeliveryStatus, number>>;
  late: number;
  deliveredToday: number;
}

/** The statuses in which a courier is on the way with (or to) the parcel. */
export const CARRYING: readonly DeliveryStatus[] = ['accepted', 'picked_up', 'in_transit', 'failed_attempt'];
export const FINISHED: readonly DeliveryStatus[] = ['delivered', 'returned', 'cancelled'];
