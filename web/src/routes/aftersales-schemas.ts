import {
  AFTERSALES_EVENTS,
  AFTERSALES_REASONS,
  AFTERSALES_STATUSES,
  AFTERSALES_TYPES,
  MAX_FEN,
} from '@market/core/browser';
import { z } from 'zod';
import { requiredText, trimmedMatching } from '../http/text';
import { DateTime } from '../schemas';

/** Schemas of the after-sales API (returns and refunds), each a named OpenAPI component. */

const Fen = z.number().int();
const Role = z.enum(['buyer', 'seller', 'support', 'system']);
export const AfterSalesStatusSchema = z.enum(AFTERSALES_STATUSES);

/** What the caller may do next, by name (the buttons): the UI shows these and nothing else. */
export const AFTERSALES_ACTIONS = [
  'approve',
  'reject',
  'ship',
  /** A return's other way back: a courier collects the parcel at the buyer's address. */
  'book_pickup',
  'confirm_receipt',
  'escalate',
  'withdraw',
  'decide',
] as const;

export const AfterSalesRequestSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    lineIndex: z.number().int(),
    sku: z.string(),
    productId: z.string(),
    itemName: z.string(),
    image: z.string().nullable(),
    buyerId: z.string(),
    sellerId: z.string(),
    shopName: z.string(),
    type: z.enum(AFTERSALES_TYPES),
    reason: z.enum(AFTERSALES_REASONS),
    description: z.string(),
    amount: Fen,
    qty: z.number().int(),
    evidence: z.array(z.object({ id: z.string(), thumbUrl: z.string(), largeUrl: z.string() })),
    status: AfterSalesStatusSchema,
    version: z.number().int(),
    deadlineAt: DateTime.nullable(),
    tracking: z.object({ carrier: z.string(), number: z.string() }).nullable(),
    /** The courier pickup booked for the return: its delivery (`/api/deliveries/:id`) is the live tracking. */
    pickup: z.object({ deliveryId: z.string(), bookedAt: DateTime }).nullable(),
    resellable: z.boolean().nullable(),
    rejection: z.string().nullable(),
    timeline: z.array(
      z.object({
        version: z.number().int(),
        status: AfterSalesStatusSchema,
        event: z.enum(AFTERSALES_EVENTS),
        actorId: z.string().nullable(),
        actorRole: Role,
        note: z.string(),
        at: DateTime,
      }),
    ),
    createdAt: DateTime,
    /** The caller's role on the request and what they may do now. */
    yourRole: Role,
    actions: z.array(z.enum(AFTERSALES_ACTIONS)),
  })
  .meta({ id: 'AfterSalesRequest' });

export const AfterSalesPageSchema = z
  .object({ items: z.array(AfterSalesRequestSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AfterSalesPage' });

export const OrderAfterSalesSchema = z
  .object({
    lines: z.array(
      z.object({
        lineIndex: z.number().int(),
        sku: z.string(),
        maxAmount: Fen,
        qty: z.number().int(),
        windowClosesAt: DateTime.nullable(),
        openRequestId: z.string().nullable(),
      }),
    ),
    requests: z.array(
      z.object({
        id: z.string(),
        lineIndex: z.number().int(),
        type: z.enum(AFTERSALES_TYPES),
        status: AfterSalesStatusSchema,
        amount: Fen,
        createdAt: DateTime,
      }),
    ),
  })
  .meta({ id: 'OrderAfterSales' });

export const EvidenceSchema = z
  .object({ id: z.string(), thumbUrl: z.string(), largeUrl: z.string() })
  .meta({ id: 'AfterSalesEvidence' });

const Text = (max: number) => z.string().trim().max(max);

export const OpenAfterSalesSchema = z
  .object({
    lineIndex: z.number().int().min(0).max(199),
    type: z.enum(AFTERSALES_TYPES),
    reason: z.enum(AFTERSALES_REASONS),
    description: Text(1000).default(''),
    /** Fen asked for: at most the line's share of what was paid, less earlier refunds on it. */
    amount: z.number().int().min(1).max(MAX_FEN),
    /** Units sent back (a return); all of the line's by default. */
    qty: z.number().int().min(1).max(999).optional(),
    evidenceIds: z
      .array(z.string().regex(/^[\w-]{1,64}$/))
      .max(6)
      .default([]),
  })
  .strict()
  .meta({ id: 'OpenAfterSalesInput' });

export const RejectSchema = z
  .object({ reason: requiredText(500, 'say why the request is rejected', 2) })
  .strict()
  .meta({ id: 'AfterSalesRejectInput' });
export const ShipReturnSchema = z
  .object({
    carrier: requiredText(40, 'at least 2 characters', 2),
    trackingNumber: trimmedMatching(/^[A-Za-z0-9-]{6,40}$/, '6 to 40 letters, digits or dashes'),
  })
  .strict()
  .meta({ id: 'AfterSalesShipInput' });
export const ReceiveSchema = z
  .object({ resellable: z.boolean() })
  .strict()
  .meta({ id: 'AfterSalesReceiveInput' });
export const EscalateSchema = z
  .object({ note: Text(500).default('') })
  .strict()
  .meta({ id: 'AfterSalesEscalateInput' });
export const DecideSchema = z
  .object({ outcome: z.enum(['approve', 'close']), note: Text(500).min(2, 'say why') })
  .strict()
  .meta({ id: 'AfterSalesDecideInput' });
