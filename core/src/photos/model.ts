import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type {
  DuplicateMatch,
  PhotoFindings,
  PhotoMetrics,
  PhotoVerdict,
  ReviewDecision,
  VariantFormat,
  VariantSize,
  VerdictReason,
} from './types';

/*
 * A photo is spread over documents that each have one writer, all keyed by the photo id, because
 * FerretDB 1.24 writes whole documents back on update (docs/ARCHITECTURE.md, "The store on FerretDB
 * 1.24"): the upload facts (written once), the latest check (the check job), support's decision
 * (support), and a small review queue. Which photos a product has, and in what order, is a ledger
 * stream per product; the seller's quota is one per seller; every perceptual hash goes through one feed
 * that each process's in-memory index tails.
 */

/** What was uploaded; never changes. The original lives in the store under its SHA-256. */
export interface PhotoDoc {
  _id: string;
  productId: string;
  sellerId: string;
  shopId: string;
  fileName: string;
  format: string;
  bytes: number;
  sha256: string;
  /** As declared by the header, upright. */
  width: number;
  height: number;
  createdAt: Date;
}

const photoSchema = new Schema<PhotoDoc>(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    shopId: { type: String, required: true },
    fileName: { type: String, default: '' },
    format: { type: String, required: true },
    bytes: { type: Number, required: true },
    sha256: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export interface VariantDocEntry {
  size: VariantSize;
  format: VariantFormat;
  width: number;
  height: number;
  bytes: number;
}

/** The latest finished check of one photo (`_id` = photo id), replaced whole by each check. */
export interface PhotoCheckDoc {
  _id: string;
  productId: string;
  sellerId: string;
  status: PhotoVerdict;
  reasons: VerdictReason[];
  metrics: PhotoMetrics | null;
  findings: PhotoFindings | null;
  analysisWidth: number;
  analysisHeight: number;
  duplicates: DuplicateMatch[];
  phash: string | null;
  /** `<sha256>-<variants version>`: names the variant files, and is part of their URLs. */
  variantsKey: string | null;
  variants: VariantDocEntry[];
  /** Checked as the product's main image (held to the background and fill rules). */
  main: boolean;
  /** Checks finished so far, this one included. */
  checks: number;
  /** The job that wrote this check: a retried attempt of one job does not count as another check. */
  jobId: string;
  timings: Record<string, number>;
  checkedAt: Date;
}

const photoCheckSchema = new Schema<PhotoCheckDoc>(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    status: { type: String, required: true },
    reasons: { type: Schema.Types.Mixed, default: () => [] },
    metrics: { type: Schema.Types.Mixed, default: null },
    findings: { type: Schema.Types.Mixed, default: null },
    analysisWidth: { type: Number, default: 0 },
    analysisHeight: { type: Number, default: 0 },
    duplicates: { type: Schema.Types.Mixed, default: () => [] },
    phash: { type: String, default: null },
    variantsKey: { type: String, default: null },
    variants: { type: Schema.Types.Mixed, default: () => [] },
    main: { type: Boolean, default: false },
    checks: { type: Number, default: 1 },
    jobId: { type: String, default: '' },
    timings: { type: Schema.Types.Mixed, default: {} },
    checkedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/** Support's decision on one photo (`_id` = photo id); it outranks the machine's verdict. */
export interface PhotoReviewDoc {
  _id: string;
  decision: ReviewDecision;
  by: string;
  note: string;
  at: Date;
}

const photoReviewSchema = new Schema<PhotoReviewDoc>(
  {
    _id: { type: String, required: true },
    decision: { type: String, required: true },
    by: { type: String, required: true },
    note: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

/** Photos waiting for support (`_id` = photo id): small, so listing it whole is cheap on FerretDB. */
export interface ReviewQueueDoc {
  _id: string;
  productId: string;
  sellerId: string;
  queuedAt: Date;
}

const reviewQueueSchema = new Schema<ReviewQueueDoc>(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    queuedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function photoModels(connection: Connection) {
  return {
    Photos: modelOn<PhotoDoc>(connection, 'Photo', photoSchema, 'photos'),
    Checks: modelOn<PhotoCheckDoc>(connection, 'PhotoCheck', photoCheckSchema, 'photo_checks'),
    Reviews: modelOn<PhotoReviewDoc>(connection, 'PhotoReview', photoReviewSchema, 'photo_reviews'),
    ReviewQueue: modelOn<ReviewQueueDoc>(
      connection,
      'PhotoReviewQueue',
      reviewQueueSchema,
      'photo_review_queue',
    ),
  };
}

/**
 * A product's photos in the seller's order, and the chosen main one. Every change that alters what
 * shoppers see (a check finished, a review) also appends, so the version moves the listing forward.
 */
export interface PhotoSetEntry extends LedgerEntry {
  productId: string;
  photoIds: string[];
  mainPhotoId: string | null;
}

export const PHOTO_SET_HEADS = 'photo_set_heads';

export function photoSets(connection: Connection) {
  return createLedger<PhotoSetEntry>({
    connection,
    collection: 'photo_sets',
    heads: PHOTO_SET_HEADS,
    keyField: 'productId',
  });
}

/** How many photos a seller has stored, guarded against the quota by the ledger's unique inserts. */
export interface PhotoQuotaEntry extends LedgerEntry {
  sellerId: string;
  count: number;
}

export function photoQuotas(connection: Connection) {
  return createLedger<PhotoQuotaEntry>({
    connection,
    collection: 'photo_quota',
    heads: 'photo_quota_heads',
    keyField: 'sellerId',
  });
}

/** One stream (`feed`) of perceptual hashes as checks find them; `phash: null` removes a photo. */
export interface PhotoHashEntry extends LedgerEntry {
  feed: string;
  photoId: string;
  productId: string;
  sellerId: string;
  phash: string | null;
}

export const HASH_FEED = 'phash';

export function photoHashFeed(connection: Connection) {
  return createLedger<PhotoHashEntry>({
    connection,
    collection: 'photo_hashes',
    heads: 'photo_hash_heads',
    keyField: 'feed',
  });
}
