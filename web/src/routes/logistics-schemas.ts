import {
  COURIER_AVAILABILITY,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  OPS_ALERT_KINDS,
} from '@market/core/browser';
import { z } from 'zod';
import { trimmedMatching } from '../http/text';
import { DateTime, orNull } from '../schemas';

/** Schemas of the logistics API (deliveries, couriers, support's alerts), each a named OpenAPI component. */

const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);
const Role = z.enum(['courier', 'seller', 'support', 'buyer', 'system']);
const EventKind = z.enum([
  'created',
  'offered',
  'declined',
  'offer_expired',
  'accepted',
  'picked_up',
  'in_transit',
  'failed_attempt',
  'delivered',
  'returned',
  'cancelled',
  'late',
  'reassigned',
]);

export const PlaceSchema = z
  .object({ name: z.string(), address: z.string(), lat: z.number(), lng: z.number() })
  .meta({ id: 'Place' });

export const CourierFixSchema = z
  .object({
    lat: z.number(),
    lng: z.number(),
    heading: z.number().nullable(),
    speedKmh: z.number().nullable(),
    accuracy: z.number().nullable(),
    at: DateTime,
  })
  .meta({ id: 'CourierFix' });

/** An order's delivery (shop → shopper) or the courier pickup of a return (shopper → shop). */
const DeliveryKindSchema = z.enum(DELIVERY_KINDS);

export const DeliverySummarySchema = z
  .object({
    id: z.string(),
    kind: DeliveryKindSchema,
    orderId: z.string(),
    orderNumber: z.string(),
    sellerId: z.string(),
    shopName: z.string(),
    method: z.enum(['courier', 'pickup']),
    trackingNumber: z.string(),
    status: DeliveryStatusSchema,
    version: z.number().int(),
    courierId: z.string().nullable(),
    courierName: z.string().nullable(),
    offerCourierId: z.string().nullable(),
    offerExpiresAt: DateTime.nullable(),
    pickup: PlaceSchema,
    dropoff: PlaceSchema,
    dueAt: DateTime.nullable(),
    late: z.boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: 'DeliverySummary' });

export const DeliverySummaryListSchema = z.object({ items: z.array(DeliverySummarySchema) });

export const DeliverySchema = z
  .object({
    id: z.string(),
    kind: DeliveryKindSchema,
    /** The after-sales request a return pickup serves. */
    returnRequestId: z.string().nullable(),
    orderId: z.string(),
    orderNumber: z.string(),
    buyerId: z.string(),
    sellerId: z.string(),
    shopName: z.string(),
    method: z.enum(['courier', 'pickup']),
    trackingNumber: z.string(),
    status: DeliveryStatusSchema,
    version: z.number().int(),
    courier: z.object({ id: z.string(), name: z.string() }).nullable(),
    offer: z.object({ courierId: z.string(), expiresAt: DateTime }).nullable(),
    pickup: PlaceSchema,
    dropoff: PlaceSchema,
    pickupPoint: z.object({ id: z.string(), name: z.string(), address: z.string() }).nullable(),
    dueAt: DateTime.nullable(),
    etaAt: DateTime.nullable(),
    late: z.boolean(),
    attempts: z.number().int(),
    position: orNull(CourierFixSchema),
    proof: z.object({ kind: z.enum(['code', 'photo']), photo: z.string().nullable() }).nullable(),
    timeline: z.array(
      z.object({
        version: z.number().int(),
        event: EventKind,
        status: DeliveryStatusSchema,
        courierId: z.string().nullable(),
        actorId: z.string().nullable(),
        actorRole: Role,
        note: z.string(),
        at: DateTime,
      }),
    ),
    createdAt: DateTime,
    updatedAt: DateTime,
    yourRole: Role,
    /** Only for the recipient (the shopper; the seller for a return) and support. */
    deliveryCode: z.string().nullable(),
    pickupCode: z.string().nullable(),
    /** What the caller may do next (buttons). */
    actions: z.array(EventKind),
  })
  .meta({ id: 'Delivery' });

/** An order's delivery, or null while the order has none yet (before the seller accepts it). */
export const OrderDeliverySchema = orNull(DeliverySchema);

export const CourierProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    availability: z.enum(COURIER_AVAILABILITY),
    capacity: z.number().int(),
    active: z.number().int(),
    position: orNull(CourierFixSchema),
  })
  .meta({ id: 'CourierProfile' });

export const CourierProfileListSchema = z.object({ items: z.array(CourierProfileSchema) });

export const OpsAlertSchema = z
  .object({
    id: z.string(),
    kind: z.enum(OPS_ALERT_KINDS),
    /** Delivery alerts: the delivery; null for payment alerts. */
    deliveryId: z.string().nullable(),
    orderId: z.string().nullable(),
    courierId: z.string().nullable(),
    /** Payment alerts: the payment whose event was refused; null for delivery alerts. */
    paymentId: z.string().nullable(),
    message: z.string(),
    at: DateTime,
  })
  .meta({ id: 'OpsAlert' });

/** Newest first. */
export const OpsAlertListSchema = z.object({ items: z.array(OpsAlertSchema) });

export const DeliveryFeedSchema = z
  .object({
    items: z.array(DeliverySummarySchema),
    counters: z.object({
      byStatus: z.record(z.string(), z.number().int()),
      late: z.number().int(),
      deliveredToday: z.number().int(),
    }),
  })
  .meta({ id: 'DeliveryFeed' });

export const PositionInputSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    accuracy: z.number().min(0).max(100_000).nullable().optional(),
    heading: z.number().min(0).max(360).nullable().optional(),
    speedKmh: z.number().min(0).max(400).nullable().optional(),
    at: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict()
  .meta({ id: 'CourierPositionInput' });

export const Reason = z.string().trim().max(500).default('');
export const Code = trimmedMatching(/^\d{6}$/, 'the 6-digit code the shopper has');
export { DeliveryStatusSchema };
