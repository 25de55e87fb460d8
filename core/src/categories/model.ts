import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';

export interface CategoryDoc {
  _id: string;
  slug: string;
  name: string;
  nameZh: string;
  parentId: string | null;
  ancestors: string[];
  depth: number;
  position: number;
}

const categorySchema = new Schema<CategoryDoc>(
  {
    _id: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    nameZh: { type: String, default: '' },
    parentId: { type: String, default: null, index: true },
    ancestors: { type: [String], default: [], index: true },
    depth: { type: Number, required: true },
    position: { type: Number, default: 0 },
  },
  { versionKey: false },
);

export function categoryModel(connection: Connection) {
  return modelOn<CategoryDoc>(connection, 'Category', categorySchema, 'categories');
}
