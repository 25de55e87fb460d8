import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type {
  Delivery,
  OrderActorRole,
  OrderCommissionLine,
  OrderLine,
  OrderPromotion,
  OrderStatus,
  OrderTotals,
} from './types';
import { type Clock } from '../clock';

/**
 * The immutable part of an order (lines, delivery, totals) plus a denormalized copy of its status for
 * lists. The status itself lives in the order's event stream (below), which decides every transition.
 */
export interface OrderDoc {
  _id: string;
  number: string;
  checkoutId: string;
  buyerId: string;
  sellerId: string;
  shopId: string;
  shopName: string;
  lines: OrderLine[];
  delivery: Delivery;
  totals: OrderTotals;
  coupon: { couponId: string; code: string; funding: 'platform' | 'seller' } | null;
  /** Automatic promotions applied; absent on orders older than them. */
  promotions?: OrderPromotion[];
  /** Resolved at checkout (`core/src/commission`); absent on orders older than commission. */
  commission?: OrderCommissionLine[];
  paymentId: string;
  /** Denormalized from the stream for lists; may lag a moment behind it, never ahead. */
  status: OrderStatus;
  statusVersion: number;
  /** Refunded so far (fen), copied from the stream with the status; absent on orders before it existed. */
  refunded?: number;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const orderSchema = new Schema<OrderDoc>(
  {
    _id: String,
    number: { type: String, required: true },
    checkoutId: { type: String, required: true },
    buyerId: { type: String, required: true, index: true },
    sellerId: { type: String, required: true, index: true },
    shopId: String,
    shopName: String,
    lines: [
      new Schema(
        {
          sku: String,
          productId: String,
          name: String,
          nameZh: String,
          variantTitle: String,
          image: { type: String, default: null },
          unitPrice: Number,
          qty: Number,
          lineTotal: Number,
          flashSaleId: { type: String, default: undefined },
          groupId: { type: String, default: undefined },
          salePrice: { type: Number, default: undefined },
          promotionDiscount: { type: Number, default: undefined },
        },
        { _id: false },
      ),
    ],
    delivery: { type: Schema.Types.Mixed, required: true },
    totals: { type: Schema.Types.Mixed, required: true },
    coupon: { type: Schema.Types.Mixed, default: null },
    promotions: { type: Schema.Types.Mixed, default: undefined },
    commission: { type: Schema.Types.Mixed, default: undefined },
    paymentId: { type: String, required: true },
    status: { type: String, required: true },
    statusVersion: { type: Number, required: true },
    refunded: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export function orderModel(connection: Connection) {
  return modelOn<OrderDoc>(connection, 'Order', orderSchema, 'orders');
}

/**
 * An order's event stream: `<orderId>:<version>`, each entry holding the status and refunded amount
 * after it. Two racing transitions (a webhook marking it paid, the expiry job cancelling it) compute the
 * same next version; the unique `_id` lets exactly one win, and the loser re-checks the machine.
 */
export interface OrderEventDoc extends LedgerEntry {
  orderId: string;
  event: 'created' | 'status' | 'refund';
  status: OrderStatus;
  /** Refunded so far, fen. */
  refunded: number;
  amount: number | null;
  actorId: string | null;
  actorRole: OrderActorRole;
  note: string;
  tracking: { carrier: string; number: string } | null;
}

export function orderEvents(connection: Connection, clock?: Clock) {
  return createLedger<OrderEventDoc>({
    connection,
    collection: 'order_events',
    heads: 'order_heads',
    keyField: 'orderId',
    clock,
  });
}
