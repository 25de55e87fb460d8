import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type { Rating } from './types';
import { type Clock } from '../clock';

/**
 * A review, written once by its author: `_id` = `<buyerId>:<productId>`, so the unique `_id` index is
 * what allows one review per buyer and product, on MongoDB and FerretDB alike.
 *
 * Nothing but the moderation copy (`hidden` … `moderationVersion`) ever changes after the insert; the
 * seller's reply lives in its own collection, so a reply and a hide can never overwrite each other
 * (FerretDB 1.24 writes whole documents back on update).
 */
export interface ReviewDoc {
  _id: string;
  productId: string;
  sellerId: string;
  buyerId: string;
  buyerName: string;
  orderId: string;
  sku: string;
  variantTitle: string;
  productName: string;
  productNameZh: string;
  rating: Rating;
  title: string;
  body: string;
  /** Copied from the review's moderation stream (below) for list filters; may lag it a moment. */
  hidden: boolean;
  hiddenReason: string | null;
  hiddenAt: Date | null;
  hiddenBy: string | null;
  moderationVersion: number;
  createdAt: Date;
}

const reviewSchema = new Schema<ReviewDoc>(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    buyerId: { type: String, required: true },
    buyerName: { type: String, default: '' },
    orderId: { type: String, required: true },
    sku: { type: String, default: '' },
    variantTitle: { type: String, default: '' },
    productName: { type: String, default: '' },
    productNameZh: { type: String, default: '' },
    rating: { type: Number, required: true, min: 1, max: 5 },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    hidden: { type: Boolean, default: false },
    hiddenReason: { type: String, default: null },
    hiddenAt: { type: Date, default: null },
    hiddenBy: { type: String, default: null },
    moderationVersion: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
// MongoDB serves a product's reviews and support's recent list from these; FerretDB 1.24 scans either way.
reviewSchema.index({ productId: 1, createdAt: -1 });
reviewSchema.index({ createdAt: -1 });

export function reviewModel(connection: Connection) {
  return modelOn<ReviewDoc>(connection, 'Review', reviewSchema, 'reviews');
}

/** The seller's reply to a review (`_id` = the review's id). Only the product's seller writes it. */
export interface ReplyDoc {
  _id: string;
  productId: string;
  sellerId: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export function replyCollection(connection: Connection) {
  return connection.collection<ReplyDoc>('review_replies');
}

/**
 * A review's moderation stream: each entry hides or unhides it. Two support agents acting at once
 * compute the same next version and the unique `_id` lets one win, so the stream always alternates and
 * each version names exactly one change to the rating aggregate (`hide:<reviewId>:<version>`).
 */
export interface ModerationEntryDoc extends LedgerEntry {
  reviewId: string;
  hidden: boolean;
  reason: string | null;
  actorId: string;
}

export function moderationLedger(connection: Connection, clock?: Clock) {
  return createLedger<ModerationEntryDoc>({
    connection,
    collection: 'review_moderation',
    heads: 'review_moderation_heads',
    keyField: 'reviewId',
    clock,
  });
}

/**
 * A product's rating aggregate: `<productId>:<version>`, each entry holding the totals after one review
 * was counted in (`add`, `unhide`) or out (`hide`). Flat histogram fields, since FerretDB has no nested
 * arrays. Appended exactly once per ref, so concurrent reviews never lose a count.
 */
export interface RatingEntryDoc extends LedgerEntry {
  productId: string;
  reviewId: string;
  rating: Rating;
  /** +1 when the review was counted in, −1 when counted out. */
  delta: 1 | -1;
  count: number;
  sum: number;
  c1: number;
  c2: number;
  c3: number;
  c4: number;
  c5: number;
}

export function ratingLedger(connection: Connection, clock?: Clock) {
  return createLedger<RatingEntryDoc>({
    connection,
    collection: 'rating_movements',
    heads: 'rating_heads',
    keyField: 'productId',
    clock,
  });
}
