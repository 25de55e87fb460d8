import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';

export interface VariantDoc {
  sku: string;
  title: string;
  price: number;
  attributes: Record<string, string>;
  images: string[];
}

export interface ProductDoc {
  _id: string;
  shopId: string;
  sellerId: string;
  categoryId: string;
  categoryAncestors: string[];
  handle: string;
  /**
   * The product's public URL key (`/p/<urlHandle>`), unique across the marketplace through its claim in
   * `product_url_handles`; missing on products written before it existed until the start-up backfill.
   */
  urlHandle?: string;
  name: string;
  nameZh: string;
  description: string;
  descriptionZh: string;
  brand: string;
  tags: string[];
  variants: VariantDoc[];
  images: string[];
  popularity: number;
  status: 'active' | 'deleted';
  takedown: { reason: string; by: string; at: Date } | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const variantSchema = new Schema<VariantDoc>(
  {
    sku: { type: String, required: true },
    title: { type: String, default: '' },
    price: { type: Number, required: true, min: 0, validate: Number.isInteger },
    // Keys are validated at the API (letters, digits, `_`), so no `.` or `$` ever reaches storage.
    attributes: { type: Schema.Types.Mixed, default: {} },
    images: { type: [String], default: [] },
  },
  { _id: false },
);

const productSchema = new Schema<ProductDoc>(
  {
    _id: { type: String, required: true },
    shopId: { type: String, required: true },
    sellerId: { type: String, required: true, index: true },
    categoryId: { type: String, required: true, index: true },
    categoryAncestors: { type: [String], default: [] },
    handle: { type: String, required: true },
    urlHandle: { type: String },
    name: { type: String, required: true },
    nameZh: { type: String, default: '' },
    description: { type: String, default: '' },
    descriptionZh: { type: String, default: '' },
    brand: { type: String, default: '' },
    tags: { type: [String], default: [] },
    variants: { type: [variantSchema], default: [] },
    images: { type: [String], default: [] },
    popularity: { type: Number, default: 0 },
    status: { type: String, enum: ['active', 'deleted'], default: 'active' },
    takedown: {
      type: new Schema({ reason: String, by: String, at: Date }, { _id: false }),
      default: null,
    },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
productSchema.index({ shopId: 1, updatedAt: -1, _id: -1 });

export function productModel(connection: Connection) {
  return modelOn<ProductDoc>(connection, 'Product', productSchema, 'products');
}

/**
 * SKU claims: `_id` is the SKU. Inserting here first makes SKUs unique across the whole marketplace
 * on both engines (a unique index over an array of subdocuments would not be).
 */
export interface SkuClaimDoc {
  _id: string;
  productId: string;
  shopId: string;
}

const skuClaimSchema = new Schema<SkuClaimDoc>(
  { _id: { type: String, required: true }, productId: { type: String, required: true }, shopId: String },
  { versionKey: false },
);

/**
 * Handle claims: `_id` is `<shopId>:<handle>`. A handle names one product per shop (CSV rows with the same
 * handle are variants of one product); claiming by `_id` settles concurrent imports on both engines and
 * makes "find by handle" an `_id` lookup, the only filter FerretDB's SQLite backend does not scan for.
 */
export interface HandleClaimDoc {
  _id: string;
  productId: string;
}

const handleClaimSchema = new Schema<HandleClaimDoc>(
  { _id: { type: String, required: true }, productId: { type: String, required: true } },
  { versionKey: false },
);

export function handleClaimModel(connection: Connection) {
  return modelOn<HandleClaimDoc>(connection, 'HandleClaim', handleClaimSchema, 'product_handles');
}

export function skuClaimModel(connection: Connection) {
  return modelOn<SkuClaimDoc>(connection, 'SkuClaim', skuClaimSchema, 'sku_claims');
}

/**
 * Public URL handle claims: `_id` is the URL handle. Claiming by `_id` makes the handle unique across the
 * marketplace under concurrent creation on both engines, and resolving `/p/<urlHandle>` an `_id` lookup.
 * A claim outlives its product's deletion, so the old URL answers 410 Gone and is never handed to another.
 */
export interface UrlHandleClaimDoc {
  _id: string;
  productId: string;
}

const urlHandleClaimSchema = new Schema<UrlHandleClaimDoc>(
  { _id: { type: String, required: true }, productId: { type: String, required: true } },
  { versionKey: false },
);

export function urlHandleClaimModel(connection: Connection) {
  return modelOn<UrlHandleClaimDoc>(
    connection,
    'UrlHandleClaim',
    urlHandleClaimSchema,
    'product_url_handles',
  );
}

/** One-off catalog maintenance that has run to the end (`_id` names it), so start-ups skip it. */
export interface CatalogMaintenanceDoc {
  _id: string;
  completedAt: Date;
}

const catalogMaintenanceSchema = new Schema<CatalogMaintenanceDoc>(
  { _id: { type: String, required: true }, completedAt: { type: Date, required: true } },
  { versionKey: false },
);

export function catalogMaintenanceModel(connection: Connection) {
  return modelOn<CatalogMaintenanceDoc>(
    connection,
    'CatalogMaintenance',
    catalogMaintenanceSchema,
    'catalog_maintenance',
  );
}
