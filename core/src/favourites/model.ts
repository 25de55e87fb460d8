import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import type { Clock } from '../clock';
import { createLedger, type LedgerEntry } from '../ledger';
import type { FavouriteKind } from './types';

/**
 * One favourite, `_id` = `<userId>:<kind>:<targetId>`: adding twice (two clicks, two tabs) collides on the
 * unique `_id`, so adding and removing are idempotent. `addId` names this one addition, so the count
 * stream can tell a re-add after a removal from a repeated click.
 */
export interface FavouriteDoc {
  _id: string;
  userId: string;
  kind: FavouriteKind;
  targetId: string;
  addId: string;
  createdAt: Date;
}

/**
 * How many shoppers favourited a target, as a ledger stream per `<kind>:<targetId>` (kept off every
 * document people edit: a product's, a shop's, a favourite's). Each addition and removal is appended
 * once by its ref (`+<favouriteId>@<addId>` / `-…`), however often it is retried. Its head is also the
 * marker the price and stock watchers read first: no favouriters, no fan-out.
 */
export interface FavouriteCountEntry extends LedgerEntry {
  target: string;
  count: number;
  delta: number;
}

/**
 * One alert per (occurrence, favouriter), `_id` deterministic (see `FavouriteAlert`): the unique insert
 * is what makes a fan-out that runs again (a retried job, a repeated event) notify nobody twice.
 */
export interface FavouriteAlertDoc {
  _id: string;
  userId: string;
  type: 'price_dropped' | 'back_in_stock';
  productId: string;
  sku: string;
  oldPrice: number | null;
  newPrice: number | null;
  available: number | null;
  at: Date;
}

const favouriteSchema = new Schema<FavouriteDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    targetId: { type: String, required: true },
    addId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// A shopper's list, newest first; a target's favouriters in `_id` order (the fan-out's cursor). On
// FerretDB 1.24 these filters scan (README, "FerretDB"); MongoDB serves them from the indexes.
favouriteSchema.index({ userId: 1, kind: 1, createdAt: -1, _id: -1 });
favouriteSchema.index({ kind: 1, targetId: 1, _id: 1 });

const alertSchema = new Schema<FavouriteAlertDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    type: { type: String, required: true },
    productId: { type: String, required: true },
    sku: { type: String, required: true },
    oldPrice: { type: Number, default: null },
    newPrice: { type: Number, default: null },
    available: { type: Number, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
alertSchema.index({ userId: 1, at: -1 });

export function favouriteModels(connection: Connection) {
  return {
    Favourites: modelOn<FavouriteDoc>(connection, 'Favourite', favouriteSchema, 'favourites'),
    FavouriteAlerts: modelOn<FavouriteAlertDoc>(
      connection,
      'FavouriteAlert',
      alertSchema,
      'favourite_alerts',
    ),
  };
}

export function favouriteCountLedger(connection: Connection, clock?: Clock) {
  return createLedger<FavouriteCountEntry>({
    connection,
    collection: 'favourite_counts',
    heads: 'favourite_count_heads',
    keyField: 'target',
    clock,
  });
}

export const favouriteId = (userId: string, kind: FavouriteKind, targetId: string) =>
  `${userId}:${kind}:${targetId}`;
export const countKey = (kind: FavouriteKind, targetId: string) => `${kind}:${targetId}`;
