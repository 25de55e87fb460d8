import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { isDuplicateKeyError } from '../errors';
import { claimsCollection, rollupLedger, type RollupEntry } from './model';
import { emptyTotals, ROW_KINDS, type Contribution, type DayTotals, type Row, type RowKind } from './types';

export const streamKey = (generation: number, scope: string, day: string, kind: 'totals' | RowKind) =>
  `g${generation}|${scope}|${day}|${kind}`;

function addTotals(head: DayTotals | undefined, c: Contribution, counted: Partial<DayTotals>): DayTotals {
  const next = head ? structuredClone(head) : emptyTotals();
  // A field added since the head was written starts at 0 there (a rebuild fills in its history).
  const fields = next as unknown as Record<string, number>;
  for (const [field, n] of Object.entries({ ...c.totals })) fields[field] = (fields[field] ?? 0) + n;
  for (const [field, n] of Object.entries(counted)) fields[field] = (fields[field] ?? 0) + (n as number);
  if (c.hour) {
    next.hourOrders[c.hour.hour]! += c.hour.orders;
    next.hourPaid[c.hour.hour]! += c.hour.paid;
  }
  return next;
}

function addRows(head: Row[] | undefined, rows: Row[]): Row[] {
  const byKey = new Map((head ?? []).map((r) => [r.k, { ...r, n: [...r.n] }]));
  for (const row of rows) {
    const have = byKey.get(row.k);
    if (!have) byKey.set(row.k, { ...row, n: [...row.n] });
    else row.n.forEach((v, i) => (have.n[i] = (have.n[i] ?? 0) + v));
  }
  return [...byKey.values()];
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
    if (c.buyer) {
      const firstOfDay = await claim(
        `g${generation}|${c.scope}|${c.day}|b|${c.buyer.id}`,
        ref,
        c.day,
        generation,
      );
      if (firstOfDay) {
        const firstEver = await claim(
          `g${generation}|${c.scope}|first|${c.buyer.id}`,
          c.buyer.orderId,
          c.day,
          generation,
        );
        counted.buyers = 1;
        if (firstEver) counted.newBuyers = 1;
        else counted.returningBuyers = 1;
      }
    }
    return counted;
  }

  async function apply(generation: number, ref: string, c: Contribution): Promise<void> {
    const counted = await distinctCounts(generation, ref, c);
    await ledger.appendOnce(streamKey(generation, c.scope, c.day, 'totals'), ref, (head) => ({
      stream: streamKey(generation, c.scope, c.day, 'totals'),
      totals: addTotals(head?.totals, c, counted),
    }));
    for (const kind of ROW_KINDS) {
      const rows = c.rows[kind];
      if (!rows?.length) continue;
      const key = streamKey(generation, c.scope, c.day, kind);
      await ledger.appendOnce(key, ref, (head) => ({ stream: key, rows: addRows(head?.rows, rows) }));
    }
  }

  return {
    apply,
    /** The day's state of one stream (null when nothing happened that day). */
    read: (key: string): Promise<RollupEntry | null> => ledger.latest(key),
    ledger,
    claims,
  };
}

export type RollupWriter = ReturnType<typeof createRollupWriter>;
