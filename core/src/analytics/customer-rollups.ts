import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import {
  addCustomerRows,
  addToCustomer,
  cellMoves,
  cohortMoves,
  type CustomerContribution,
  type CustomerState,
} from './customers';
import { customerLedger, segmentLedger, type CustomerEntry } from './model';
import { COHORT_MONTHS } from './rfm';

export const customerKey = (generation: number, scope: string, customer: string) =>
  `g${generation}|${scope}|c|${customer}`;
export const segmentDayKey = (generation: number, scope: string, day: string) =>
  `g${generation}|${scope}|${day}|segments`;
export const cohortKey = (generation: number, scope: string, month: string) =>
  `g${generation}|${scope}|cohort|${month}`;
export const segmentSpanKey = (generation: number, scope: string) => `g${generation}|${scope}|segments-span`;

export function customerStateOf(entry: CustomerEntry): CustomerState {
  const { _id: _i, version: _v, at: _a, ref: _r, stream: _s, ...state } = entry;
  return state;
}

/** Spans known in this process (a scope's earliest day only moves back, and rarely). */
const SPAN_CACHE_LIMIT = 50_000;
/** Rounds of "is the hint at the head?" after a write (each round needs a rival writer to move it back). */
const SETTLE_ROUNDS = 20;

/**
 * The write side of customer segments. An order event first moves its buyer's stream (per scope), then
 * moves the customer's share of the segment cells from their previous state's day to the new one's, and
 * of the cohort counts likewise — each append exactly once per event (`appendOnce` with the event id),
 * so a redelivered event, a reconcile or a rebuild racing the live feed counts once. Cell moves are
 * additive (−before, +after), so two events of one customer applied in either order by two processes
 * leave the same sums. A process that dies between the customer append and the cell moves leaves the
 * cells short until the event is applied again (the next redelivery, or a rebuild), as every rollup does.
 */
export function createCustomerRollup(deps: { connection: Connection; clock?: Clock }) {
  const customers = customerLedger(deps.connection, deps.clock);
  const segments = segmentLedger(deps.connection, deps.clock);
  const heads = deps.connection.collection<CustomerEntry>('analytics_customer_heads');
  const knownFirst = new Map<string, string>();

  /**
   * Leaves the head hint at the stream's head. The ledger moves hints with plain writes, so a writer of
   * an older version that lands late can set the hint back; the export reads hints, so each writer checks
   * after its own write and moves the hint on until it finds it at the head. The last writer to touch the
   * hint checks after every append it could have missed.
   */
  async function settleHead(key: string): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const hint = await heads.findOne({ _id: key } as never);
      const next = await customers.collection.findOne({ _id: `${key}:${(hint?.version ?? 0) + 1}` } as never);
      if (!next) return;
      await customers.latest(key);
    }
  }

  /** Makes sure reads start at or before `day` (before any cell of `day` is written). */
  async function extendSpan(generation: number, scope: string, day: string): Promise<void> {
    const key = segmentSpanKey(generation, scope);
    const known = knownFirst.get(key);
    if (known && known <= day) return;
    const result = await segments.append(key, (head) =>
      head?.first && head.first <= day ? 'unchanged' : { stream: key, first: day },
    );
    if (knownFirst.size >= SPAN_CACHE_LIMIT) knownFirst.clear();
    if (result.status !== 'refused' && result.entry.first) knownFirst.set(key, result.entry.first);
  }

  /**
   * Applies one event's contribution to one customer in one scope. Returns the days whose `segments`
   * stream it changed (a cached settled day must be forgotten).
   */
  async function apply(generation: number, ref: string, c: CustomerContribution): Promise<string[]> {
    const key = customerKey(generation, c.scope, c.customer);
    const gs = `g${generation}|${c.scope}`;
    const result = await customers.appendOnce(key, ref, (head) => ({
      stream: key,
      ...addToCustomer(head && customerStateOf(head), c, gs),
    }));
    if (result.status === 'refused') throw new Error(`customer rollup ${key} refused ${ref}`);
    const entry = result.entry;
    const previous =
      entry.version > 1
        ? ((await customers.collection.findOne({
            _id: `${key}:${entry.version - 1}`,
          } as never)) as CustomerEntry | null)
        : null;
    await settleHead(key);

    const before = previous && customerStateOf(previous);
    const after = customerStateOf(entry);
    const moves = cellMoves(before, after);
    for (const [day, rows] of moves) {
      await extendSpan(generation, c.scope, day);
      const dayKey = segmentDayKey(generation, c.scope, day);
      await segments.appendOnce(dayKey, ref, (head) => ({
        stream: dayKey,
        sums: addCustomerRows(head?.sums ?? [], rows.sums),
        cats: addCustomerRows(head?.cats ?? [], rows.cats),
      }));
    }
    for (const [month, move] of cohortMoves(before, after)) {
      const monthKey = cohortKey(generation, c.scope, month);
      await segments.appendOnce(monthKey, ref, (head) => ({
        stream: monthKey,
        size: (head?.size ?? 0) + move.size,
        active: Array.from(
          { length: COHORT_MONTHS },
          (_, i) => (head?.active?.[i] ?? 0) + (move.active[i] ?? 0),
        ),
      }));
    }
    return [...moves.keys()];
  }

  return { apply, customers, segments, heads };
}

export type CustomerRollup = ReturnType<typeof createCustomerRollup>;
