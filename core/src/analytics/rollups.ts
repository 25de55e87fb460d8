import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { isDuplicateKeyError } from '../errors';
import { claimsCollection, rollupLedger, type ClaimDoc, type RollupEntry } from './model';
import { mapPooled } from '../map-pooled';
import { emptyTotals, ROW_KINDS, type Contribution, type DayTotals, type Row, type RowKind } from './types';

export const streamKey = (generation: number, scope: string, day: string, kind: 'totals' | RowKind) =>
  `g${generation}|${scope}|${day}|${kind}`;

/** What one contribution adds to its day's totals, with the distinct counts its claims won. */
export function totalsOf(c: Contribution, counted: Partial<DayTotals>): DayTotals {
  const out = emptyTotals();
  const fields = out as unknown as Record<string, number>;
  for (const part of [c.totals, counted])
    for (const [field, n] of Object.entries(part)) fields[field] = (fields[field] ?? 0) + (n as number);
  if (c.hour) {
    out.hourOrders[c.hour.hour]! += c.hour.orders;
    out.hourPaid[c.hour.hour]! += c.hour.paid;
  }
  return out;
}

/** `head` plus `delta`, field by field; a field added since the head was written starts at 0 there. */
export function addTotals(head: DayTotals | undefined, delta: DayTotals): DayTotals {
  const next = head ? structuredClone(head) : emptyTotals();
  const fields = next as unknown as Record<string, number>;
  for (const [field, n] of Object.entries(delta))
    if (typeof n === 'number') fields[field] = (fields[field] ?? 0) + n;
  delta.hourOrders.forEach((n, h) => (next.hourOrders[h] = (next.hourOrders[h] ?? 0) + n));
  delta.hourPaid.forEach((n, h) => (next.hourPaid[h] = (next.hourPaid[h] ?? 0) + n));
  return next;
}

export function addRows(head: Row[] | undefined, rows: Row[]): Row[] {
  const byKey = new Map((head ?? []).map((r) => [r.k, { ...r, n: [...r.n] }]));
  for (const row of rows) {
    const have = byKey.get(row.k);
    if (!have) byKey.set(row.k, { ...row, n: [...row.n] });
    else row.n.forEach((v, i) => (have.n[i] = (have.n[i] ?? 0) + v));
  }
  return [...byKey.values()];
}

/** One day stream's change: its totals, or its rows of one breakdown. */
export interface DayDelta {
  key: string;
  scope: string;
  day: string;
  totals?: DayTotals;
  rows?: Row[];
}

/** Contributions summed per day stream, so a batch of events costs one append per stream it touches. */
export class DayDeltas {
  private readonly byKey = new Map<string, DayDelta>();

  add(generation: number, c: Contribution, counted: Partial<DayTotals>): void {
    const totalsKey = streamKey(generation, c.scope, c.day, 'totals');
    const have = this.byKey.get(totalsKey);
    const totals = totalsOf(c, counted);
    this.byKey.set(totalsKey, {
      key: totalsKey,
      scope: c.scope,
      day: c.day,
      totals: have?.totals ? addTotals(have.totals, totals) : totals,
    });
    for (const kind of ROW_KINDS) {
      const rows = c.rows[kind];
      if (!rows?.length) continue;
      const key = streamKey(generation, c.scope, c.day, kind);
      const before = this.byKey.get(key);
      this.byKey.set(key, { key, scope: c.scope, day: c.day, rows: addRows(before?.rows, rows) });
    }
  }

  list(): DayDelta[] {
    return [...this.byKey.values()];
  }
}

/**
 * The write side: adds contributions to the day streams of a generation, each exactly once per `ref`
 * (the source event's id), so redelivered events, a reconcile and a rebuild racing the live feed never
 * count anything twice.
 */
export function createRollupWriter(deps: { connection: Connection; clock?: Clock }) {
  const ledger = rollupLedger(deps.connection, deps.clock);
  const claims = claimsCollection(deps.connection);

  /** Whether `owner` holds the claim `id` (winning it now, or having won it before). */
  async function claim(id: string, owner: string, day: string, generation: number): Promise<boolean> {
    try {
      await claims.insertOne({ _id: id, owner, day, generation });
      return true;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return (await claims.findOne({ _id: id }))?.owner === owner;
    }
  }

  /** The distinct counts an event earns: the visitors and buyer whose claims it holds. */
  async function distinctCounts(
    generation: number,
    ref: string,
    c: Contribution,
  ): Promise<Partial<DayTotals>> {
    const counted: Partial<DayTotals> = {};
    if (c.visitors?.length) {
      const won = await Promise.all(
        c.visitors.map((a) => claim(`g${generation}|${c.scope}|${c.day}|v|${a}`, ref, c.day, generation)),
      );
      counted.visitors = won.filter(Boolean).length;
    }
    if (c.buyer) Object.assign(counted, (await buyerCounts([{ generation, ref, c }]))[0]);
    return counted;
  }

  /**
   * Who holds each claim: the first candidate of an id (in the given order) is inserted, all in one round
   * trip; an id held already is looked up (its holder may be a later candidate, from an earlier attempt).
   */
  async function holders(candidates: ClaimDoc[]): Promise<Map<string, string>> {
    const first = new Map<string, ClaimDoc>();
    for (const c of candidates) if (!first.has(c._id)) first.set(c._id, c);
    const docs = [...first.values()];
    const held = new Map(docs.map((d) => [d._id, d.owner]));
    if (!docs.length) return held;
    const taken = await claims
      .insertMany(docs, { ordered: false })
      .then(() => [])
      .catch((err: unknown) => {
        const failed = (err as { writeErrors?: Array<{ index: number; code?: number }> }).writeErrors;
        if (!Array.isArray(failed) || failed.some((e) => e.code !== 11000)) throw err;
        return failed.map((e) => docs[e.index]!._id);
      });
    await mapPooled(taken, async (id) => {
      const doc = await claims.findOne({ _id: id });
      if (doc) held.set(id, doc.owner);
      else held.delete(id);
    });
    return held;
  }

  /**
   * The distinct-buyer counts of many order contributions at once (a batch), `parts` in the order their
   * events happened: the first paid event of a buyer's day counts them, new if it is of their first order.
   * A few round trips for a whole batch.
   */
  async function buyerCounts(
    parts: Array<{ generation: number; ref: string; c: Contribution }>,
  ): Promise<Array<Partial<DayTotals>>> {
    const dayId = ({ generation, c }: (typeof parts)[number]) =>
      `g${generation}|${c.scope}|${c.day}|b|${c.buyer!.id}`;
    const firstId = ({ generation, c }: (typeof parts)[number]) =>
      `g${generation}|${c.scope}|first|${c.buyer!.id}`;
    const buying = parts.filter((p) => p.c.buyer);
    const dayHolders = await holders(
      buying.map((p) => ({ _id: dayId(p), owner: p.ref, day: p.c.day, generation: p.generation })),
    );
    const firstOfDay = buying.filter((p) => dayHolders.get(dayId(p)) === p.ref);
    const firstHolders = await holders(
      firstOfDay.map((p) => ({
        _id: firstId(p),
        owner: p.c.buyer!.orderId,
        day: p.c.day,
        generation: p.generation,
      })),
    );
    const won = new Set(firstOfDay);
    return parts.map((p) => {
      if (!won.has(p)) return {};
      const firstEver = firstHolders.get(firstId(p)) === p.c.buyer!.orderId;
      return firstEver ? { buyers: 1, newBuyers: 1 } : { buyers: 1, returningBuyers: 1 };
    });
  }

  /** Adds one day stream's change (summed over one event, or over a batch of them) once per `ref`. */
  async function appendDelta(ref: string, delta: DayDelta): Promise<void> {
    await ledger.appendOnce(delta.key, ref, (head) =>
      delta.totals
        ? { stream: delta.key, totals: addTotals(head?.totals, delta.totals) }
        : { stream: delta.key, rows: addRows(head?.rows, delta.rows ?? []) },
    );
  }

  async function apply(generation: number, ref: string, c: Contribution): Promise<void> {
    const deltas = new DayDeltas();
    deltas.add(generation, c, await distinctCounts(generation, ref, c));
    for (const delta of deltas.list()) await appendDelta(ref, delta);
  }

  return {
    apply,
    appendDelta,
    distinctCounts,
    buyerCounts,
    /** The day's state of one stream (null when nothing happened that day). */
    read: (key: string): Promise<RollupEntry | null> => ledger.latest(key),
    ledger,
    claims,
  };
}

export type RollupWriter = ReturnType<typeof createRollupWriter>;
