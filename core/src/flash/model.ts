import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { FlashSale } from './types';

/**
 * A flash sale's record. Written when a sale is created and when it closes, never on the admission
 * path: who won lives in the admission store (Redis or memory). Its units are out of normal stock as one
 * ledger movement `flash-hold:<id>` and the unsold ones come back as `flash-return:<id>`, each applied
 * exactly once by the inventory ledger (so a re-run close, on any node, cannot return twice).
 */
export interface FlashSaleDoc extends Omit<FlashSale, 'id'> {
  _id: string;
  /** Units returned to normal stock when it closed (null while open). */
  unsold: number | null;
}

const flashSaleSchema = new Schema<FlashSaleDoc>(
  {
    _id: { type: String, required: true },
    sku: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    salePrice: { type: Number, required: true },
    normalPrice: { type: Number, required: true },
    quantity: { type: Number, required: true },
    perPersonLimit: { type: Number, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ['open', 'closed'] },
    cancelled: { type: Boolean, default: false },
    unsold: { type: Number, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function flashSaleModel(connection: Connection) {
  return modelOn<FlashSaleDoc>(connection, 'FlashSale', flashSaleSchema, 'flash_sales');
}
