import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { AutoPromotionKind, BundleItem, SpendTier } from './auto-types';
import type { CouponFunding } from './types';

export interface AutoPromotionDoc {
  _id: string;
  kind: AutoPromotionKind;
  title: string;
  funding: CouponFunding;
  sellerId: string | null;
  shopId: string | null;
  categoryId: string | null;
  sku: string | null;
  productId?: string | null;
  salePrice: number | null;
  percent: number | null;
  maxDiscount: number | null;
  buyQty?: number | null;
  freeQty?: number | null;
  skus?: string[];
  bundlePrice?: number | null;
  bundleItems?: BundleItem[];
  tiers: SpendTier[];
  startsAt: Date;
  endsAt: Date;
  active: boolean;
  createdAt: Date;
  endedAt: Date | null;
}

const autoPromotionSchema = new Schema<AutoPromotionDoc>(
  {
    _id: { type: String, required: true },
    kind: {
      type: String,
      required: true,
      enum: ['spend_and_save', 'percent_off', 'sale_price', 'buy_n_get_m', 'bundle'],
    },
    title: { type: String, required: true },
    funding: { type: String, required: true, enum: ['platform', 'seller'] },
    sellerId: { type: String, default: null },
    shopId: { type: String, default: null },
    categoryId: { type: String, default: null },
    sku: { type: String, default: null },
    productId: { type: String, default: null },
    salePrice: { type: Number, default: null },
    percent: { type: Number, default: null },
    maxDiscount: { type: Number, default: null },
    buyQty: { type: Number, default: null },
    freeQty: { type: Number, default: null },
    skus: { type: [String], default: [] },
    bundlePrice: { type: Number, default: null },
    bundleItems: [
      new Schema({ sku: String, productId: String, name: String, price: Number }, { _id: false }),
    ],
    tiers: [new Schema({ threshold: Number, off: Number }, { _id: false })],
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    active: { type: Boolean, default: true },
    createdAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
  },
  // Only `active`/`endedAt` change after creation, by the owner or an admin ending it: plain writes (no
  // counter or invariant rests on a promotion's document; what an order took is recorded on the order).
  { versionKey: false, autoIndex: false },
);

export function autoPromotionModel(connection: Connection) {
  return modelOn<AutoPromotionDoc>(connection, 'AutoPromotion', autoPromotionSchema, 'auto_promotions');
}
