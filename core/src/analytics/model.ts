import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { createLedger, type LedgerEntry } from '../ledger';
import type { CustomerState } from './customers';
import type { DayDelta } from './rollups';
import type { DayTotals, Row } from './types';

/**
 * One rollup stream per (generation, scope, day, kind): `g1|usr_x|2026-12-07|totals`. Each entry holds
 * the day's figures after one more source event (or page of interaction events), appended with that
 * event's id as the ledger ref, exactly once (`appendOnce`): applying an event twice counts it once, and
 * two processes applying different events to one day race on the entry's unique `_id`, never on a
 * conditional update (docs/ARCHITECTURE.md, "The store on FerretDB 1.24").
 */
export interface RollupEntry extends LedgerEntry {
  stream: string;
  totals?: DayTotals;
  rows?: Row[];
}

export function rollupLedger(connection: Connection, clock?: Clock) {
  return createLedger<RollupEntry>({
    connection,
    collection: 'analytics_rollups',
    heads: 'analytics_rollup_heads',
    keyField: 'stream',
    clock,
  });
}

/**
 * First-come claims that make distinct counts exact: `g1|<scope>|<day>|v|<actor>` (a visitor of the
 * day) and `g1|<scope>|b|<buyer>` (a buyer's first paid order in the scope). The event that wins the
 * insert counts the actor; replaying that event finds its own id in the claim and counts it again in
 * the same (exactly-once) rollup entry, any other event finds someone else's.
 */
export interface ClaimDoc {
  _id: string;
  owner: string;
  day: string;
  generation: number;
}

export function claimsCollection(connection: Connection) {
  return connection.collection<ClaimDoc>('analytics_claims');
}

/**
 * Which generation the dashboards read, and the one a rebuild is filling (live events go to both).
 * One document, written by the rebuild job only.
 */
export interface ControlDoc {
  _id: 'generation';
  active: number;
  building: number | null;
  jobId: string | null;
  progress: { phase: string; done: number; total: number } | null;
  updatedAt: Date;
}

export function controlCollection(connection: Connection) {
  return connection.collection<ControlDoc>('analytics_control');
}

/**
 * Per-customer figures (`customers.ts`), one document per generation, scope and customer
 * (`g1|<scope>|c|<customer>`), written only by the order batch runner (`order-batches.ts`): the
 * state after every order event of that customer applied so far. What a segment export scans and a
 * coupon's audience check reads.
 */
export interface CustomerDoc extends CustomerState {
  _id: string;
}

/** An order event waiting for the order batch runner; `_id` is its ref (live) or `g<n>|<ref>` (rebuild). */
export interface OrderInboxDoc {
  _id: string;
  orderId: string;
  version: number;
  /** The generation a rebuild enqueued it for; null: every generation live when it is applied. */
  generation: number | null;
}

/**
 * One batch of the order runner, numbered 1, 2, 3, …: inserting batch n is what makes a runner its
 * writer (the unique `_id`), and what it changes is written here first, so a runner that dies half-way is
 * replayed from it (every step is idempotent: ledger appends once per batch ref, customer documents
 * replaced whole). Done batches keep only their number, so a late runner cannot take the number again.
 */
export interface OrderBatchDoc {
  _id: number;
  owner: string;
  at: Date;
  done: boolean;
  inbox?: string[];
  /** `g<n>|<ref>`: the events this batch applies to generation n. */
  applied?: string[];
  /** What the batch adds to each day stream it touches (`rollups.ts`). */
  days?: DayDelta[];
  customers?: CustomerDoc[];
  cells?: Array<{ key: string; scope: string; day: string; sums: Row[]; cats: Row[] }>;
  cohorts?: Array<{ key: string; size: number; active: number[] }>;
  spans?: Array<{ key: string; day: string }>;
}

export function orderBatchCollections(connection: Connection) {
  return {
    customers: connection.collection<CustomerDoc>('analytics_customers'),
    inbox: connection.collection<OrderInboxDoc>('analytics_order_inbox'),
    applied: connection.collection<{ _id: string }>('analytics_order_applied'),
    batches: connection.collection<OrderBatchDoc>('analytics_order_batches'),
    /** `{_id: 'done', seq}`: the last batch known done (moved only forward, with `$max`). */
    progress: connection.collection<{ _id: string; seq: number }>('analytics_order_progress'),
  };
}

/**
 * What the segment and cohort reads sum, per generation and scope, each entry appended exactly once
 * per order batch (`b:<n>`):
 * - `g1|<scope>|<day>|segments`: the customers whose latest order was on `day`, in rows keyed by F|M
 *   score (`sums`) and by F|M|category (`cats`);
 * - `g1|<scope>|cohort|<YYYY-MM>`: the customers whose first order was in that month, and how many of
 *   them bought 0..11 months later;
 * - `g1|<scope>|segments-span`: the scope's earliest day with a `segments` stream (where reads start).
 */
export interface SegmentEntry extends LedgerEntry {
  stream: string;
  sums?: Row[];
  cats?: Row[];
  size?: number;
  active?: number[];
  first?: string;
}

export function segmentLedger(connection: Connection, clock?: Clock) {
  return createLedger<SegmentEntry>({
    connection,
    collection: 'analytics_segments',
    heads: 'analytics_segment_heads',
    keyField: 'stream',
    clock,
  });
}
