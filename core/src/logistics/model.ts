import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type {
  CourierAvailability,
  DeliveryActorRole,
  DeliveryEventKind,
  DeliveryKind,
  DeliveryStatus,
  Place,
  Proof,
} from './types';
import { type Clock } from '../clock';

/**
 * A delivery: what does not change (order, places, codes, tracking number) plus a denormalized copy of
 * its stream's head for lists. The status itself lives in the stream (below), which decides every move.
 */
export interface DeliveryDoc {
  _id: string;
  /** Absent on deliveries made before returns existed: those are all `order`. */
  kind?: DeliveryKind;
  returnRequestId?: string | null;
  orderId: string;
  orderNumber: string;
  buyerId: string;
  sellerId: string;
  shopId: string;
  shopName: string;
  method: 'courier' | 'pickup';
  trackingNumber: string;
  pickup: Place;
  dropoff: Place;
  pickupPoint: { id: string; name: string; address: string } | null;
  /** Given by the shopper to the courier as proof of delivery. */
  deliveryCode: string;
  /** Shown by the shopper at the pickup point. */
  pickupCode: string;
  /** Copied from the stream; may lag a moment behind it, never ahead. */
  status: DeliveryStatus;
  version: number;
  courierId: string | null;
  courierName: string | null;
  offerCourierId: string | null;
  offerExpiresAt: Date | null;
  dueAt: Date | null;
  late: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: String,
    kind: { type: String, default: 'order' },
    returnRequestId: { type: String, default: null },
    orderId: { type: String, required: true },
    orderNumber: { type: String, required: true },
    buyerId: { type: String, required: true },
    sellerId: { type: String, required: true },
    shopId: String,
    shopName: String,
    method: { type: String, required: true },
    trackingNumber: { type: String, required: true },
    pickup: { type: Schema.Types.Mixed, required: true },
    dropoff: { type: Schema.Types.Mixed, required: true },
    pickupPoint: { type: Schema.Types.Mixed, default: null },
    deliveryCode: { type: String, required: true },
    pickupCode: { type: String, required: true },
    status: { type: String, required: true },
    version: { type: Number, required: true },
    courierId: { type: String, default: null },
    courierName: { type: String, default: null },
    offerCourierId: { type: String, default: null },
    offerExpiresAt: { type: Date, default: null },
    dueAt: { type: Date, default: null },
    late: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/**
 * A delivery's event stream, `<deliveryId>:<version>`, each entry holding the whole state after it.
 * Racing moves (a courier accepting as the sweep expires the offer, support reassigning as the courier
 * picks up) compute the same next version; the unique `_id` lets one win and the loser decides again.
 */
export interface DeliveryEventDoc extends LedgerEntry {
  deliveryId: string;
  event: DeliveryEventKind;
  status: DeliveryStatus;
  courierId: string | null;
  courierName: string | null;
  offer: { courierId: string; expiresAt: Date } | null;
  /** Couriers who declined or let an offer lapse: not offered this delivery again. */
  declined: string[];
  dueAt: Date | null;
  late: boolean;
  attempts: number;
  proof: Proof | null;
  actorId: string | null;
  actorRole: DeliveryActorRole;
  note: string;
}

export function deliveryEvents(connection: Connection, clock?: Clock) {
  return createLedger<DeliveryEventDoc>({
    connection,
    collection: 'delivery_events',
    heads: 'delivery_heads',
    keyField: 'deliveryId',
    clock,
  });
}

/**
 * The small working set the sweep and the assignment read: deliveries not yet finished, with what they
 * need to decide (like `open_checkouts`, so nothing scans every delivery ever made).
 */
export interface OpenDeliveryDoc {
  _id: string;
  status: DeliveryStatus;
  version: number;
  courierId: string | null;
  offerCourierId: string | null;
  offerExpiresAt: Date | null;
  dueAt: Date | null;
  late: boolean;
  createdAt: Date;
}

/** The live position and estimate of a carried delivery; written only by position ingestion. */
export interface TrackDoc {
  _id: string;
  lat: number;
  lng: number;
  heading: number | null;
  speedKmh: number | null;
  at: Date;
  etaAt: Date | null;
}

/** A courier's profile; written by the courier (availability) only. */
export interface CourierDoc {
  _id: string;
  name: string;
  availability: CourierAvailability;
  updatedAt: Date;
}

/** A courier's latest persisted fix; written only by position ingestion (kept apart from the profile). */
export interface CourierPositionDoc {
  _id: string;
  lat: number;
  lng: number;
  heading: number | null;
  speedKmh: number | null;
  accuracy: number | null;
  at: Date;
}

/**
 * One unit of a courier's capacity, `<courierId>:<n>` for n = 1…capacity, as a stream on the ledger: each
 * entry (`<courierId>:<n>:<version>`) says which delivery holds the slot after it, or null when it is
 * free. Taking a slot appends "held by X" onto a free head and freeing it appends "free" onto a head held
 * by X, so two accepts racing for the last slot collide on the unique `_id` (in one process or several),
 * and a late or repeated release never frees a slot another delivery has taken since.
 */
export interface CourierSlotEntry extends LedgerEntry {
  slot: string;
  courierId: string;
  deliveryId: string | null;
}

/** A slot held by a delivery, as the directory reports it. */
export interface CourierSlotDoc {
  _id: string;
  courierId: string;
  deliveryId: string;
  at: Date;
}

export const COURIER_SLOT_HEADS = 'courier_slot_heads';

export function courierSlots(connection: Connection, clock?: Clock) {
  return createLedger<CourierSlotEntry>({
    connection,
    collection: 'courier_slot_events',
    heads: COURIER_SLOT_HEADS,
    keyField: 'slot',
    clock,
  });
}

const plain = <T>(fields: Record<string, unknown>) =>
  new Schema<T>({ _id: String, ...fields }, { versionKey: false, minimize: false });

export function logisticsModels(connection: Connection) {
  return {
    Deliveries: modelOn<DeliveryDoc>(connection, 'Delivery', deliverySchema, 'deliveries'),
    OpenDeliveries: modelOn<OpenDeliveryDoc>(
      connection,
      'OpenDelivery',
      plain<OpenDeliveryDoc>({
        status: String,
        version: Number,
        courierId: { type: String, default: null },
        offerCourierId: { type: String, default: null },
        offerExpiresAt: { type: Date, default: null },
        dueAt: { type: Date, default: null },
        late: Boolean,
        createdAt: Date,
      }),
      'open_deliveries',
    ),
    Tracks: modelOn<TrackDoc>(
      connection,
      'DeliveryTrack',
      plain<TrackDoc>({
        lat: Number,
        lng: Number,
        heading: { type: Number, default: null },
        speedKmh: { type: Number, default: null },
        at: Date,
        etaAt: { type: Date, default: null },
      }),
      'delivery_tracks',
    ),
    Couriers: modelOn<CourierDoc>(
      connection,
      'Courier',
      plain<CourierDoc>({ name: String, availability: String, updatedAt: Date }),
      'couriers',
    ),
    Positions: modelOn<CourierPositionDoc>(
      connection,
      'CourierPosition',
      plain<CourierPositionDoc>({
        lat: Number,
        lng: Number,
        heading: { type: Number, default: null },
        speedKmh: { type: Number, default: null },
        accuracy: { type: Number, default: null },
        at: Date,
      }),
      'courier_positions',
    ),
  };
}

export type LogisticsModels = ReturnType<typeof logisticsModels>;
