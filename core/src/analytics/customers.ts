import type { Order, TimelineEntry } from '../orders';
import type { ProductFacts } from './contributions';
import {
  COHORT_MONTHS,
  frequencyScore,
  monetaryScore,
  monthOf,
  monthsBetween,
  PRICE_BANDS,
  priceBandIndex,
} from './rfm';
import { localSlot } from './time';
import { PLATFORM, type Row } from './types';

/**
 * One customer's figures in one scope (a shop, or the platform), after every order event applied so
 * far: the state of a per-customer ledger stream (`model.ts`). Order-independent: each field is a sum, a
 * min/max or a set, so events applied late or out of order give the same state.
 */
export interface CustomerState {
  /** `g<generation>|<scope>`: what the export scans by. */
  gs: string;
  customer: string;
  /** Paid orders (F). */
  orders: number;
  /** Σ order totals paid − Σ refunds, fen (M). */
  net: number;
  /** Units of the paid orders' lines. */
  units: number;
  /** Local days of the first and the latest paid order (R counts from `last`). */
  first: string;
  last: string;
  /** `YYYY-MM` months with a paid order, sorted (the cohort grid). */
  months: string[];
  /** F and M scores (rfm.ts bands); R depends on the day it is read. */
  f: number;
  m: number;
  /** Per category: `[units, sales]` of the paid lines. */
  cats: Row[];
  /** Units per price band (rfm.ts PRICE_BANDS). */
  bands: number[];
}

/** What one order event adds to one customer in one scope. */
export interface CustomerContribution {
  scope: string;
  customer: string;
  orders: number;
  net: number;
  units: number;
  /** The paid order's local day (null for a refund, which moves money only). */
  day: string | null;
  cats: Row[];
  bands: number[];
}

/**
 * What an entry of an order's stream adds to its buyer, in the order's shop and on the platform: a
 * payment adds an order, its total, units, categories and price bands; a refund takes its amount off
 * the net (refunds of an order never paid count nothing, as in `contributions.ts`).
 */
export function customerContributions(
  order: Order,
  entry: TimelineEntry,
  timeline: TimelineEntry[],
  timeZone: string,
  facts: Map<string, ProductFacts | null>,
): CustomerContribution[] {
  const scopes = [order.sellerId, PLATFORM];
  if (entry.event === 'refund') {
    const wasPaid = timeline.some(
      (e) => e.version < entry.version && e.event === 'status' && e.status === 'paid',
    );
    if (!wasPaid || !entry.amount) return [];
    return scopes.map((scope) => ({
      scope,
      customer: order.buyerId,
      orders: 0,
      net: -entry.amount!,
      units: 0,
      day: null,
      cats: [],
      bands: PRICE_BANDS.map(() => 0),
    }));
  }
  if (entry.event !== 'status' || entry.status !== 'paid') return [];
  const { day } = localSlot(new Date(entry.at), timeZone);
  const cats = new Map<string, Row>();
  const bands = PRICE_BANDS.map(() => 0);
  for (const line of order.lines) {
    const fact = facts.get(line.productId);
    const k = fact?.categoryId ?? '(unknown)';
    const row = cats.get(k) ?? { k, label: fact?.categoryName ?? '(unknown)', n: [0, 0] };
    row.n[0]! += line.qty;
    row.n[1]! += line.lineTotal;
    cats.set(k, row);
    bands[priceBandIndex(line.unitPrice)]! += line.qty;
  }
  return scopes.map((scope) => ({
    scope,
    customer: order.buyerId,
    orders: 1,
    net: order.totals.total,
    units: order.lines.reduce((sum, l) => sum + l.qty, 0),
    day,
    cats: structuredClone([...cats.values()]),
    bands: [...bands],
  }));
}

function addRows(into: Row[], rows: Row[], sign = 1): Row[] {
  const byKey = new Map(into.map((r) => [r.k, { ...r, n: [...r.n] }]));
  for (const row of rows) {
    const have = byKey.get(row.k);
    if (!have) byKey.set(row.k, { ...row, n: row.n.map((v) => v * sign) });
    else row.n.forEach((v, i) => (have.n[i] = (have.n[i] ?? 0) + v * sign));
  }
  // A row every customer has left is dropped (each leaves with exactly what it brought).
  return [...byKey.values()].filter((r) => r.n.some((v) => v !== 0));
}

/** The state after `c`; `gs` names the generation and scope. */
export function addToCustomer(
  head: CustomerState | null,
  c: CustomerContribution,
  gs: string,
): CustomerState {
  // A refund applied before its payment (events out of order) starts a state with money and no days;
  // the payment, when applied, brings them.
  const months = new Set(head?.months ?? []);
  if (c.day) months.add(monthOf(c.day));
  const minDay = [head?.first, c.day].filter((d): d is string => !!d).sort()[0] ?? '';
  const maxDay =
    [head?.last, c.day]
      .filter((d): d is string => !!d)
      .sort()
      .at(-1) ?? '';
  const orders = (head?.orders ?? 0) + c.orders;
  const net = (head?.net ?? 0) + c.net;
  return {
    gs,
    customer: c.customer,
    orders,
    net,
    units: (head?.units ?? 0) + c.units,
    first: minDay,
    last: maxDay,
    months: [...months].sort(),
    f: frequencyScore(orders),
    m: monetaryScore(net),
    cats: addRows(head?.cats ?? [], c.cats),
    bands: PRICE_BANDS.map((_, i) => (head?.bands[i] ?? 0) + (c.bands[i] ?? 0)),
  };
}

/**
 * A customer's share of their scope's segment cells: kept in the stream of the day of their latest
 * order, keyed by their F and M scores (R is worked out from that day when read). `n` of the sums row:
 * customers, orders, net, units, then units per price band.
 */
export function cellRows(s: CustomerState): { sums: Row[]; cats: Row[] } {
  const fm = `${s.f}|${s.m}`;
  return {
    sums: [{ k: fm, label: '', n: [1, s.orders, s.net, s.units, ...s.bands] }],
    cats: s.cats.map((c) => ({ k: `${fm}|${c.k}`, label: c.label, n: [...c.n] })),
  };
}

/** A customer's share of their cohort (the month of their first order): the size, and months after. */
export function cohortCounts(s: CustomerState): { month: string; active: number[] } {
  const month = monthOf(s.first);
  const active = new Array<number>(COHORT_MONTHS).fill(0);
  for (const m of s.months) {
    const k = monthsBetween(month, m);
    if (k >= 0 && k < COHORT_MONTHS) active[k]! += 1;
  }
  return { month, active };
}

/** Rows moved from one state of a customer to the next, per day stream: −before in its day, +after in its. */
export function cellMoves(
  before: CustomerState | null,
  after: CustomerState,
): Map<string, { sums: Row[]; cats: Row[] }> {
  const moves = new Map<string, { sums: Row[]; cats: Row[] }>();
  const add = (s: CustomerState, sign: number) => {
    if (!s.last) return;
    const rows = cellRows(s);
    const have = moves.get(s.last) ?? { sums: [], cats: [] };
    moves.set(s.last, {
      sums: addRows(have.sums, rows.sums, sign),
      cats: addRows(have.cats, rows.cats, sign),
    });
  };
  if (before) add(before, -1);
  add(after, 1);
  for (const [day, m] of moves) if (!m.sums.length && !m.cats.length) moves.delete(day);
  return moves;
}

/** Cohort counts moved from one state to the next, per cohort month (usually one month gains a customer). */
export function cohortMoves(
  before: CustomerState | null,
  after: CustomerState,
): Map<string, { size: number; active: number[] }> {
  const moves = new Map<string, { size: number; active: number[] }>();
  const add = (s: CustomerState, sign: number) => {
    if (!s.first) return;
    const { month, active } = cohortCounts(s);
    const have = moves.get(month) ?? { size: 0, active: new Array<number>(COHORT_MONTHS).fill(0) };
    have.size += sign;
    active.forEach((v, i) => (have.active[i]! += v * sign));
    moves.set(month, have);
  };
  if (before) add(before, -1);
  add(after, 1);
  for (const [month, m] of moves) if (!m.size && m.active.every((v) => v === 0)) moves.delete(month);
  return moves;
}

export { addRows as addCustomerRows };
