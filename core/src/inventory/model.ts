import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';
import type { StockMovementReason } from './types';

/**
 * The stock ledger: one immutable entry per movement, `_id` = `<sku>:<version>`.
 *
 * FerretDB 1.24 applies `$inc` and conditional updates by read-modify-write, so a guarded decrement can
 * oversell under concurrency (ARCHITECTURE.md). An insert into the unique `_id` index is atomic on both
 * engines: two writers computing the same next version collide, the loser re-reads and retries.
 */
export interface StockMovementDoc {
  _id: string;
  sku: string;
  productId: string;
  sellerId: string;
  version: number;
  delta: number;
  available: number;
  reason: StockMovementReason;
  actorId: string | null;
  at: Date;
}

const movementSchema = new Schema<StockMovementDoc>(
  {
    _id: { type: String, required: true },
    sku: { type: String, required: true },
    productId: { type: String, required: true, index: true },
    sellerId: { type: String, required: true },
    version: { type: Number, required: true },
    delta: { type: Number, required: true },
    available: { type: Number, required: true, min: 0 },
    reason: { type: String, required: true },
    actorId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
movementSchema.index({ sku: 1, version: -1 });

export function stockMovementModel(connection: Connection) {
  return modelOn<StockMovementDoc>(connection, 'StockMovement', movementSchema, 'stock_movements');
}

/**
 * A hint, keyed by SKU, to the latest ledger entry. FerretDB's SQLite backend only pushes `_id` equality
 * down to SQLite (everything else scans the collection), so reading the head of a SKU's ledger by
 * `{sku}` sorted by version would scan the whole ledger. The hint is written after each append; it may
 * lag behind a concurrent writer, so readers walk forward from it by `_id` until the next version is
 * missing. It is never the source of truth.
 */
export interface StockHeadDoc {
  _id: string;
  version: number;
  available: number;
  productId: string;
  sellerId: string;
}

const headSchema = new Schema<StockHeadDoc>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    available: { type: Number, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
  },
  { versionKey: false },
);

export function stockHeadModel(connection: Connection) {
  return modelOn<StockHeadDoc>(connection, 'StockHead', headSchema, 'stock_heads');
}
