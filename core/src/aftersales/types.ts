import { AppError } from '../errors';

export const AFTERSALES_STATUSES = [
  'requested',
  'awaiting_return',
  'return_shipped',
  'refunding',
  'refunded',
  'rejected',
  'escalated',
  'closed',
  'withdrawn',
] as const;
export type AfterSalesStatus = (typeof AFTERSALES_STATUSES)[number];

/** Refund only (keep the goods), or send them back and be refunded once the seller has them. */
export const AFTERSALES_TYPES = ['refund', 'return'] as const;
export type AfterSalesType = (typeof AFTERSALES_TYPES)[number];

/** 七天无理由 (no reason), damaged, wrong item, not as described, quality problem. */
export const AFTERSALES_REASONS = [
  'no_reason',
  'damaged',
  'wrong_item',
  'not_as_described',
  'quality',
] as const;
export type AfterSalesReason = (typeof AFTERSALES_REASONS)[number];

/** Who moves a request, relative to it. */
export type AfterSalesRole = 'buyer' | 'seller' | 'support' | 'system';

/** What happened in one step of a request (its timeline entry and the `aftersales.<event>` domain event). */
export const AFTERSALES_EVENTS = [
  'opened',
  'approved',
  'rejected',
  'return_shipped',
  /** The buyer booked a courier to collect the return (the status stays `awaiting_return`). */
  'pickup_booked',
  /** The booked pickup was called off before the courier had the parcel (support, or no courier). */
  'pickup_cancelled',
  'received',
  'escalated',
  'decided',
  'refunded',
  'closed',
  'withdrawn',
] as const;
export type AfterSalesEventName = (typeof AFTERSALES_EVENTS)[number];

export interface ReturnTracking {
  carrier: string;
  number: string;
}

/** A courier pickup of a return: a logistics delivery of kind `return` (shopper → shop). */
export interface ReturnPickup {
  deliveryId: string;
  bookedAt: Date;
}

export interface AfterSalesTimelineEntry {
  version: number;
  status: AfterSalesStatus;
  event: AfterSalesEventName;
  actorId: string | null;
  actorRole: AfterSalesRole;
  note: string;
  at: Date;
}

/** A request as its buyer, the order's seller and support see it. */
export interface AfterSalesRequest {
  id: string;
  orderId: string;
  orderNumber: string;
  lineIndex: number;
  sku: string;
  productId: string;
  itemName: string;
  image: string | null;
  buyerId: string;
  sellerId: string;
  shopName: string;
  type: AfterSalesType;
  reason: AfterSalesReason;
  description: string;
  /** Fen asked for (and refunded once it is refunded). */
  amount: number;
  /** Units sent back (a return); 0 for a refund only. */
  qty: number;
  evidence: { id: string; thumbUrl: string; largeUrl: string }[];
  status: AfterSalesStatus;
  version: number;
  /** When the next party must act (the seller's answer, the buyer's shipment), or null. */
  deadlineAt: Date | null;
  tracking: ReturnTracking | null;
  /** The courier pickup booked for a return (its delivery is the live tracking), or null. */
  pickup: ReturnPickup | null;
  /** Set when the seller confirmed receipt of a return: whether the units go back on sale. */
  resellable: boolean | null;
  rejection: string | null;
  timeline: AfterSalesTimelineEntry[];
  createdAt: Date;
}

/** What a buyer may ask for on a line: the fen still refundable and the window. */
export interface LineAllowance {
  lineIndex: number;
  sku: string;
  /** The line's share of what was paid, less what earlier requests refunded on it. */
  maxAmount: number;
  qty: number;
  windowClosesAt: Date | null;
  openRequestId: string | null;
}

/** The payload of every `aftersales.*` domain event. */
export interface AfterSalesChangedEvent {
  requestId: string;
  orderId: string;
  buyerId: string;
  sellerId: string;
  status: AfterSalesStatus;
  event: AfterSalesEventName;
  amount: number;
  version: number;
  at: string;
}

/** A request that cannot be opened or moved as asked; `code` says why. */
export class AfterSalesConflictError extends AppError {
  readonly status = 409;
  constructor(
    readonly code:
      | 'aftersales_window_closed'
      | 'aftersales_line_open'
      | 'aftersales_not_delivered'
      | 'aftersales_state'
      | 'aftersales_pickup_booked',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}
