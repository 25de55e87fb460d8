import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';

export interface ShopDoc {
  _id: string;
  ownerId: string;
  name: string;
  nameZh: string;
  slug: string;
  city: string;
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
  },
  { timestamps: true, versionKey: false },
);

export function shopModel(connection: Connection) {
  return modelOn<ShopDoc>(connection, 'Shop', shopSchema, 'shops');
}
