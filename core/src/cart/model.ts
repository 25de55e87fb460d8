import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';

export interface CartLineDoc {
  sku: string;
  productId: string;
  qty: number;
  /** The unit price the shopper last saw; a different current price is reported, never applied silently. */
  seenPrice: number;
  addedAt: Date;
}

/** One cart per owner: `_id` = `u:<userId>` (account) or `g:<token>` (guest). One writer: its owner. */
export interface CartDoc {
  _id: string;
  lines: CartLineDoc[];
  updatedAt: Date;
}

const lineSchema = new Schema<CartLineDoc>(
  {
    sku: { type: String, required: true },
    productId: { type: String, required: true },
    qty: { type: Number, required: true, min: 1 },
    seenPrice: { type: Number, required: true },
    addedAt: { type: Date, required: true },
  },
  { _id: false },
);

const cartSchema = new Schema<CartDoc>(
  {
    _id: { type: String, required: true },
    lines: { type: [lineSchema], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function cartModel(connection: Connection) {
  return modelOn<CartDoc>(connection, 'Cart', cartSchema, 'carts');
}
