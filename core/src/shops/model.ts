import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';
import { SHOP_STATUSES, type ShopStatus } from './types';

export interface ShopDoc {
  _id: string;
  ownerId: string;
  name: string;
  nameZh: string;
  slug: string;
  city: string;
  status: ShopStatus;
  statusReason: string | null;
  statusChangedAt: Date | null;
  statusChangedBy: string | null;
  ownerBlocked: boolean;
  statusVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

const shopSchema = new Schema<ShopDoc>(
  {
    _id: { type: String, required: true },
    ownerId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    nameZh: { type: String, default: '' },
    slug: { type: String, required: true, unique: true },
    city: { type: String, default: '' },
    // Shops made before onboarding existed (and the demo's) have no status and trade: `active`.
    status: { type: String, enum: SHOP_STATUSES, default: 'active' },
    statusReason: { type: String, default: null },
    statusChangedAt: { type: Date, default: null },
    statusChangedBy: { type: String, default: null },
    ownerBlocked: { type: Boolean, default: false },
    statusVersion: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);

export function shopModel(connection: Connection) {
  return modelOn<ShopDoc>(connection, 'Shop', shopSchema, 'shops');
}
