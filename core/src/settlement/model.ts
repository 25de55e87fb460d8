import { Schema, type Connection } from 'mongoose';
import { type Clock } from '../clock';
import { modelOn } from '../db/model';
import { createLedger, type LedgerEntry } from '../ledger';
import type { SettlementEntryKind } from './types';

/**
 * A seller's settlement stream (`seller:<id>`), on the ledger primitive: every entry carries the
 * buckets after it, so balance, pending and available are the head, and any moment's figures are the
 * entry of that moment. Guards in `decide` (a payout never takes more than `available`) hold across
 * processes; every entry that follows from an event is `appendOnce` with a deterministic ref.
 */
export interface SellerEntryDoc extends LedgerEntry {
  stream: string;
  sellerId: string;
  kind: SettlementEntryKind;
  amount: number;
  /** How much each bucket changed (for statements and reconciliation without reading the prior entry). */
  pendingDelta: number;
  availableDelta: number;
  orderId: string | null;
  orderNumber: string | null;
  payoutId: string | null;
  day: string;
  note: string;
  pending: number;
  available: number;
  inFlight: number;
  paidOut: number;
  balance: number;
}

export function sellerEntries(connection: Connection, clock?: Clock) {
  return createLedger<SellerEntryDoc>({
    connection,
    collection: 'settlement_entries',
    heads: 'settlement_heads',
    keyField: 'stream',
    clock,
  });
}

/**
 * One order's settlement steps (`<orderId>`): its credit, each refund after it and its release. The
 * order's stream decides what each step moves — whether a refund hits pending or available (released
 * yet?), how much the release moves (credit less the refunds before it) — so a refund racing the
 * release, from any process, is counted exactly once and in the right bucket; the seller's stream then
 * records the decided amounts under the same refs.
 */
export interface OrderSettlementDoc extends LedgerEntry {
  orderId: string;
  sellerId: string;
  step: 'credit' | 'refund' | 'release';
  /** The seller amount of this step (positive). */
  amount: number;
  /** Which bucket a refund debits. */
  bucket: 'pending' | 'available';
  /** The commission this step recognised (+) or reversed (−), and the platform-funded amount likewise. */
  commission: number;
  platformFunded: number;
  day: string;
  /** After the step: credited, debited from pending, whether released. */
  credited: number;
  pendingDebited: number;
  released: boolean;
}

export function orderSettlements(connection: Connection, clock?: Clock) {
  return createLedger<OrderSettlementDoc>({
    connection,
    collection: 'settlement_order_steps',
    heads: 'settlement_order_heads',
    keyField: 'orderId',
    clock,
  });
}

/**
 * Credited orders whose release is due at `dueAt` (the end of their after-sales window). The release job
 * reads this small collection, not the orders; releasing removes the entry (like `open_checkouts`).
 */
export interface ReleaseDueDoc {
  _id: string;
  sellerId: string;
  dueAt: Date;
}

export interface ReconciliationDoc {
  _id: string;
  status: 'balanced' | 'failed';
  orders: number;
  refunds: number;
  captured: number;
  refunded: number;
  sellerCredits: number;
  sellerDebits: number;
  commission: number;
  platformFunded: number;
  /** (captured − refunded) − (seller credits − debits + commission − platform-funded): 0 when balanced. */
  difference: number;
  /** JSON list of the orders whose seller entries differ from what they should be (at most 50). */
  mismatches: string;
  checkedAt: Date;
}

export function settlementModels(connection: Connection) {
  const due = new Schema<ReleaseDueDoc>(
    { _id: String, sellerId: String, dueAt: Date },
    { versionKey: false },
  );
  const reconciliation = new Schema<ReconciliationDoc>(
    {
      _id: String,
      status: String,
      orders: Number,
      refunds: Number,
      captured: Number,
      refunded: Number,
      sellerCredits: Number,
      sellerDebits: Number,
      commission: Number,
      platformFunded: Number,
      difference: Number,
      mismatches: String,
      checkedAt: Date,
    },
    { versionKey: false },
  );
  return {
    ReleaseDue: modelOn<ReleaseDueDoc>(connection, 'SettlementReleaseDue', due, 'settlement_release_due'),
    Reconciliations: modelOn<ReconciliationDoc>(
      connection,
      'SettlementReconciliation',
      reconciliation,
      'settlement_reconciliations',
    ),
  };
}
