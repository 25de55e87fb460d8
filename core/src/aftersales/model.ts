import { Schema, type Connection } from 'mongoose';
import type { Clock } from '../clock';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type {
  AfterSalesEventName,
  AfterSalesReason,
  AfterSalesRole,
  AfterSalesStatus,
  AfterSalesType,
  ReturnPickup,
  ReturnTracking,
} from './types';

/** What a request was opened with: the request document, and the seed a crash-cut open is finished from. */
export interface RequestSeed {
  _id: string;
  orderId: string;
  orderNumber: string;
  lineIndex: number;
  sku: string;
  productId: string;
  itemName: string;
  image: string | null;
  buyerId: string;
  sellerId: string;
  shopName: string;
  type: AfterSalesType;
  reason: AfterSalesReason;
  description: string;
  amount: number;
  qty: number;
  evidenceIds: string[];
  createdAt: Date;
}

/**
 * A request's immutable part plus a copy of its stream's head (status, deadline) for the queues; the copy
 * may lag the stream a moment and never decides anything.
 */
export interface RequestDoc extends RequestSeed {
  status: AfterSalesStatus;
  statusVersion: number;
  deadlineAt: Date | null;
  /** The queue's sort key: the deadline, or (no deadline) far in the future so those come last. */
  queueAt: Date;
  updatedAt: Date;
}

const requestSchema = new Schema<RequestDoc>(
  {
    _id: String,
    orderId: { type: String, required: true, index: true },
    orderNumber: String,
    lineIndex: Number,
    sku: String,
    productId: String,
    itemName: String,
    image: { type: String, default: null },
    buyerId: { type: String, required: true, index: true },
    sellerId: { type: String, required: true, index: true },
    shopName: String,
    type: String,
    reason: String,
    description: String,
    amount: Number,
    qty: Number,
    evidenceIds: [String],
    createdAt: Date,
    status: String,
    statusVersion: Number,
    deadlineAt: { type: Date, default: null },
    queueAt: Date,
    updatedAt: Date,
  },
  { versionKey: false, minimize: false },
);

/**
 * A request's stream (`<requestId>:<version>`): each entry holds the request's whole state after it. Two
 * racing moves (two approvals, an approval and the deadline job) compute the same next version and the
 * unique `_id` lets one win; the loser re-reads and finds the move no longer allowed.
 */
export interface AfterSalesEventDoc extends LedgerEntry {
  requestId: string;
  event: AfterSalesEventName;
  status: AfterSalesStatus;
  actorId: string | null;
  actorRole: AfterSalesRole;
  note: string;
  deadlineAt: Date | null;
  tracking: ReturnTracking | null;
  resellable: boolean | null;
  rejection: string | null;
  /** The courier pickup booked now (absent on entries written before pickups existed). */
  pickup?: ReturnPickup | null;
  /** Pickups ever booked on the request: the next one's delivery is `rt_<requestId>_<pickups + 1>`. */
  pickups?: number;
}

/**
 * One stream per order line (`<orderId>~<lineIndex>`): which request is open on it and what after-sales
 * refunded on it so far. Opening claims the line by appending `openRequestId` — two concurrent opens
 * collide on the version and the loser finds the line taken — and a request that ends frees it.
 */
export interface AfterSalesLineDoc extends LedgerEntry {
  lineKey: string;
  openRequestId: string | null;
  /** Requests ever opened on the line (the next one is `<n + 1>`). */
  opened: number;
  /** Fen refunded on this line through after-sales. */
  refunded: number;
  /** The open request's seed while it is being written (a crash after the claim is finished from it). */
  seed: RequestSeed | null;
}

/**
 * Deadlines waiting for the job (`_id` = `<requestId>:<kind>`): the seller's answer, the buyer's return
 * shipment, and a refund or a booked courier pickup to (re)run. A small collection the job reads by `dueAt`, as `open_checkouts`,
 * instead of a delayed job per request or a scan of every request on FerretDB.
 */
export interface DueDoc {
  _id: string;
  requestId: string;
  kind: 'seller_response' | 'return_shipment' | 'refund' | 'pickup';
  /** The stream version the deadline was set at: a request that moved since is no longer due. */
  version: number;
  dueAt: Date;
}

const dueSchema = new Schema<DueDoc>(
  { _id: String, requestId: String, kind: String, version: Number, dueAt: Date },
  { versionKey: false },
);

/** An evidence photo: decoded, stripped and re-encoded; shown to the buyer, the seller and support only. */
export interface EvidenceDoc {
  _id: string;
  ownerId: string;
  /** Set when a request was opened with it (then its seller and support may see it too). */
  requestId: string | null;
  sellerId: string | null;
  /** Names the variant files (`ev-<sha256>`). */
  key: string;
  width: number;
  height: number;
  bytes: number;
  createdAt: Date;
}

const evidenceSchema = new Schema<EvidenceDoc>(
  {
    _id: String,
    ownerId: { type: String, required: true },
    requestId: { type: String, default: null },
    sellerId: { type: String, default: null },
    key: String,
    width: Number,
    height: Number,
    bytes: Number,
    createdAt: Date,
  },
  { versionKey: false, minimize: false },
);

export function afterSalesModels(connection: Connection, clock?: Clock) {
  return {
    Requests: modelOn<RequestDoc>(connection, 'AfterSalesRequest', requestSchema, 'aftersales_requests'),
    Due: modelOn<DueDoc>(connection, 'AfterSalesDue', dueSchema, 'aftersales_due'),
    Evidence: modelOn<EvidenceDoc>(connection, 'AfterSalesEvidence', evidenceSchema, 'aftersales_evidence'),
    events: createLedger<AfterSalesEventDoc>({
      connection,
      collection: 'aftersales_events',
      heads: 'aftersales_heads',
      keyField: 'requestId',
      clock,
    }),
    lines: createLedger<AfterSalesLineDoc>({
      connection,
      collection: 'aftersales_lines',
      heads: 'aftersales_line_heads',
      keyField: 'lineKey',
      clock,
    }),
  };
}

export type AfterSalesModels = ReturnType<typeof afterSalesModels>;
