import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Filter, OptionalUnlessRequiredId } from 'mongodb';
import type { Connection } from 'mongoose';
import { systemClock, type Clock } from '../clock';
import { isDuplicateKeyError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import type { Order } from '../orders';
import { orderContributions, type ProductFacts } from './contributions';
import {
  addCustomerRows,
  addToCustomer,
  cellMoves,
  cohortMoves,
  customerContributions,
  type CustomerState,
} from './customers';
import { mapPooled } from '../map-pooled';
import { orderBatchCollections, segmentLedger, type OrderBatchDoc, type CustomerDoc } from './model';
import { COHORT_MONTHS } from './rfm';
import { DayDeltas, type RollupWriter } from './rollups';
import type { Row } from './types';

export const customerKey = (generation: number, scope: string, customer: string) =>
  `g${generation}|${scope}|c|${customer}`;
export const segmentDayKey = (generation: number, scope: string, day: string) =>
  `g${generation}|${scope}|${day}|segments`;
export const cohortKey = (generation: number, scope: string, month: string) =>
  `g${generation}|${scope}|cohort|${month}`;
export const segmentSpanKey = (generation: number, scope: string) => `g${generation}|${scope}|segments-span`;

export function customerStateOf(doc: CustomerDoc): CustomerState {
  const { _id: _i, ...state } = doc;
  return state;
}

/**
 * Order events per batch. A batch's journal holds up to two customers' states per event and the change of
 * every day stream it touches (a few per shop when the events fall on one day, as live and in a rebuild).
 */
const BATCH_EVENTS = 500;
/** How soon a runner that found another one mid-batch looks again (the other may have missed new notes). */
const WAKE_RETRY_MS = 500;
/** A batch not done this long after it was taken (or its writer last said it was at work) is replayed by the next runner (its writer died). */
const STALLED_AFTER_MS = 2 * 60_000;
/** How often a runner at work on a batch says so. */
const HEARTBEAT_MS = 20_000;
/** Done batches kept as fences (their number can never be taken again) before the oldest are pruned. */
const KEEP_DONE_BATCHES = 1_000;
/** How often a rebuild that finds another runner mid-batch looks again. */
const BUSY_RETRY_MS = 250;

type Step = 'progress' | 'empty' | 'busy' | 'stopped';

/** Whether an unordered insert failed only on documents that were there already. */
function allDuplicates(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: Array<{ code?: number }> } | null)?.writeErrors;
  if (!Array.isArray(writeErrors)) return isDuplicateKeyError(err);
  return writeErrors.length > 0 && writeErrors.every((e) => e.code === 11000);
}

/** Deletes the documents of `ids` in one round trip (a `deleteMany` by `$in` would scan on FerretDB). */
async function deleteAllById<T extends { _id: string }>(
  collection: Collection<T>,
  ids: string[],
): Promise<void> {
  if (!ids.length) return;
  await collection.bulkWrite(
    ids.map((_id) => ({ deleteOne: { filter: { _id } as Filter<T> } })),
    { ordered: false },
  );
}

/** Inserts each of `docs` unless its `_id` is there already, in one round trip. */
async function insertAllOnce<T extends { _id: string }>(collection: Collection<T>, docs: T[]): Promise<void> {
  if (!docs.length) return;
  await collection
    .insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: false })
    .catch((err: unknown) => {
      if (!allDuplicates(err)) throw err;
    });
}

/** Inserts `doc` unless its `_id` is there already (one writer or many: the unique `_id` decides). */
async function insertOnce<T extends { _id: string }>(collection: Collection<T>, doc: T): Promise<void> {
  try {
    await collection.insertOne(doc as OptionalUnlessRequiredId<T>);
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

/**
 * The write side of every order figure, in batches off the order path: the day rollups the dashboards
 * read (`rollups.ts`) and the customer figures behind segments and cohorts.
 *
 * An order event only drops notes in the inbox (`enqueue`: one insert, keyed by each event's ref). A
 * runner (`drain`, woken after events, and by the frequent housekeeping job) takes up to 200 notes and
 * reads their orders. For the day rollups it sums what each event adds per day stream (the distinct-buyer
 * claims are won per event, as before, so a replay counts the same buyers). For the customers it folds
 * each payment and refund into its buyer's figures in the shop and on the platform (`customers.ts`) and
 * works out how the segment cells (per day of a customer's latest order) and cohort counts move: −before,
 * +after per customer, summed over the batch. It writes all of that into batch document n first —
 * inserting it is what makes this runner batch n's only writer — then applies it: one ledger append per
 * day stream and per cell with ref `b:<n>` (appended once however often it is replayed), the customers'
 * documents replaced whole, the events marked applied per generation (`g<n>|<ref>`: an event enqueued
 * again is skipped), the notes deleted. A runner that dies half-way leaves batch n not done; the next one
 * replays it.
 *
 * Compared with appending every event to each of its streams (a dozen store writes per event, on the
 * order path), a busy minute costs one append per stream touched — live, today's few streams per shop —
 * and nothing on the checkout or payment path waits for it. A rebuild feeds history through the same
 * runner in creation order, so its batches collapse the same way.
 */
export function createOrderBatches(deps: {
  connection: Connection;
  writer: Pick<RollupWriter, 'appendDelta' | 'buyerCounts'>;
  orders: { get(id: string): Promise<Order> };
  factsFor(productIds: Iterable<string>): Promise<Map<string, ProductFacts | null>>;
  liveGenerations(): Promise<number[]>;
  timeZone: string;
  /** Told which days' figures changed (the day cache of every process forgets them, live views move). */
  onDaysChanged(changes: Array<{ scope: string; day: string }>): Promise<void>;
  log: Logger;
  clock?: Clock;
}) {
  const now = deps.clock ?? systemClock;
  const { customers, inbox, applied, batches, progress } = orderBatchCollections(deps.connection);
  const segments = segmentLedger(deps.connection, deps.clock);
  const owner = `${process.pid}:${randomBytes(4).toString('hex')}`;
  const knownFirst = new Map<string, string>();

  /** An order that no longer exists contributes nothing; a store that fails fails the batch (retried). */
  async function orderOrNull(id: string): Promise<Order | null> {
    try {
      return await deps.orders.get(id);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  async function enqueue(
    events: Array<{ orderId: string; version: number }>,
    generation: number | null = null,
  ): Promise<void> {
    if (!events.length) return;
    const notes = events.map((e) => {
      const ref = `o:${e.orderId}:${e.version}`;
      return { _id: generation === null ? ref : `g${generation}|${ref}`, ...e, generation };
    });
    // A note already waiting (the same event again) is left as it is.
    await insertAllOnce(inbox, notes);
  }

  /** Batch `seq`'s journal from the notes in the inbox; null when there is nothing to apply. */
  async function compose(seq: number): Promise<OrderBatchDoc | { nothingFor: string[] } | null> {
    const notes = await inbox.find({}).limit(BATCH_EVENTS).toArray();
    if (!notes.length) return null;
    const live = await deps.liveGenerations();
    // What to apply: each note to its generations, unless applied before (looked up together).
    const wanted = notes.flatMap((note) =>
      (typeof note.generation === 'number' ? [note.generation] : live).map((generation) => ({
        note,
        generation,
        mark: `g${generation}|o:${note.orderId}:${note.version}`,
      })),
    );
    const marks = [...new Set(wanted.map((w) => w.mark))];
    const done = new Set(
      (await mapPooled(marks, async (mark) => ((await applied.findOne({ _id: mark })) ? mark : null))).filter(
        (m): m is string => m !== null,
      ),
    );
    const appliedNow = new Set<string>();
    const todo = wanted.filter((w) => {
      if (done.has(w.mark) || appliedNow.has(w.mark)) return false;
      appliedNow.add(w.mark);
      return true;
    });
    const orderIds = [...new Set(todo.map((w) => w.note.orderId))];
    const loaded = await mapPooled(orderIds, orderOrNull);
    const orders = new Map(orderIds.map((id, i) => [id, loaded[i]!]));
    const facts = await deps.factsFor(loaded.flatMap((o) => o?.lines.map((l) => l.productId) ?? []));

    const events = todo.flatMap(({ note, generation }) => {
      const order = orders.get(note.orderId);
      const entry = order?.timeline.find((e) => e.version === note.version);
      if (!order || !entry) return [];
      const timeline = [...order.timeline].sort((a, b) => a.version - b.version);
      return [{ order, entry, timeline, generation, ref: `o:${order.id}:${entry.version}` }];
    });

    // The day rollups: each event's contributions with the distinct buyers its claims won (a claim's
    // owner is the event, so whichever batch applies it, and however often, counts the same buyers). A
    // buyer's claims go in the order their orders happened, so their first order is the one counted new.
    const days = new DayDeltas();
    const dayParts = events
      .sort((x, y) => x.entry.at.getTime() - y.entry.at.getTime() || x.ref.localeCompare(y.ref))
      .flatMap(({ order, entry, timeline, generation, ref }) =>
        orderContributions(order, entry, timeline, deps.timeZone, facts).map((c) => ({ c, generation, ref })),
      );
    const counted = await deps.writer.buyerCounts(dayParts);
    dayParts.forEach((part, i) => days.add(part.generation, part.c, counted[i]!));

    const contributions = events.flatMap(({ order, entry, timeline, generation }) =>
      customerContributions(order, entry, timeline, deps.timeZone, facts).map((c) => ({
        c,
        generation,
        key: customerKey(generation, c.scope, c.customer),
      })),
    );
    const keys = [...new Set(contributions.map((x) => x.key))];
    const docs = await mapPooled(keys, (key) => customers.findOne({ _id: key }));
    const states = new Map(
      keys.map((key, i) => {
        const before = docs[i] ? customerStateOf(docs[i]) : null;
        return [key, { before, after: before }];
      }),
    );
    for (const { c, generation, key } of contributions) {
      const state = states.get(key)!;
      state.after = addToCustomer(state.after, c, `g${generation}|${c.scope}`);
    }
    if (!appliedNow.size) return { nothingFor: notes.map((n) => n._id) };

    const cells = new Map<string, { key: string; scope: string; day: string; sums: Row[]; cats: Row[] }>();
    const cohorts = new Map<string, { key: string; size: number; active: number[] }>();
    const spans = new Map<string, string>();
    const changed: CustomerDoc[] = [];
    for (const [key, { before, after }] of states) {
      if (!after) continue;
      changed.push({ _id: key, ...after });
      const [g, ...rest] = after.gs.split('|');
      const generation = Number(g!.slice(1));
      const scope = rest.join('|');
      for (const [day, rows] of cellMoves(before, after)) {
        const cellKey = segmentDayKey(generation, scope, day);
        const cell = cells.get(cellKey) ?? { key: cellKey, scope, day, sums: [], cats: [] };
        cell.sums = addCustomerRows(cell.sums, rows.sums);
        cell.cats = addCustomerRows(cell.cats, rows.cats);
        cells.set(cellKey, cell);
        const spanKey = segmentSpanKey(generation, scope);
        if (!spans.has(spanKey) || spans.get(spanKey)! > day) spans.set(spanKey, day);
      }
      for (const [month, move] of cohortMoves(before, after)) {
        const monthKey = cohortKey(generation, scope, month);
        const cohort = cohorts.get(monthKey) ?? {
          key: monthKey,
          size: 0,
          active: new Array<number>(COHORT_MONTHS).fill(0),
        };
        cohort.size += move.size;
        move.active.forEach((v, i) => (cohort.active[i]! += v));
        cohorts.set(monthKey, cohort);
      }
    }
    return {
      _id: seq,
      owner,
      at: now(),
      done: false,
      inbox: notes.map((n) => n._id),
      applied: [...appliedNow],
      days: days.list(),
      customers: changed,
      cells: [...cells.values()].filter((c) => c.sums.length || c.cats.length),
      cohorts: [...cohorts.values()].filter((c) => c.size || c.active.some((v) => v !== 0)),
      spans: [...spans].map(([key, day]) => ({ key, day })),
    };
  }

  /** Moves the done mark forward to `seq` (never back: a late runner's mark is the older one). */
  async function markDone(seq: number): Promise<void> {
    await insertOnce(progress, { _id: 'done', seq: 0 });
    await progress.updateOne({ _id: 'done' }, { $max: { seq } });
  }

  /**
   * Makes batch `b` true in the store; every step may run again with the same result. While it works
   * the batch's time moves on, so a long batch on a busy store is not taken for a dead runner's.
   */
  async function apply(b: OrderBatchDoc): Promise<void> {
    const beat = setInterval(() => {
      batches.updateOne({ _id: b._id }, { $set: { at: now() } }).catch(() => undefined);
    }, HEARTBEAT_MS);
    beat.unref();
    try {
      await applyBatch(b);
    } finally {
      clearInterval(beat);
    }
  }

  async function applyBatch(b: OrderBatchDoc): Promise<void> {
    const ref = `b:${b._id}`;
    await mapPooled(b.days ?? [], (delta) => deps.writer.appendDelta(ref, delta));
    // Reads start at a scope's span, so it moves back before any cell of an earlier day is written.
    for (const { key, day } of b.spans ?? []) {
      if ((knownFirst.get(key) ?? '\uffff') <= day) continue;
      const result = await segments.append(key, (head) =>
        head?.first && head.first <= day ? 'unchanged' : { stream: key, first: day },
      );
      if (result.status !== 'refused' && result.entry.first) knownFirst.set(key, result.entry.first);
    }
    // Each cell and customer is its own stream or document: their writes overlap, in any order.
    await mapPooled(b.cells ?? [], (cell) =>
      segments.appendOnce(cell.key, ref, (head) => ({
        stream: cell.key,
        sums: addCustomerRows(head?.sums ?? [], cell.sums),
        cats: addCustomerRows(head?.cats ?? [], cell.cats),
      })),
    );
    await mapPooled(b.cohorts ?? [], (move) =>
      segments.appendOnce(move.key, ref, (head) => ({
        stream: move.key,
        size: (head?.size ?? 0) + move.size,
        active: Array.from(
          { length: COHORT_MONTHS },
          (_, i) => (head?.active?.[i] ?? 0) + (move.active[i] ?? 0),
        ),
      })),
    );
    await mapPooled(b.customers ?? [], (doc) =>
      customers.replaceOne({ _id: doc._id }, doc, { upsert: true }),
    );
    await insertAllOnce(
      applied,
      (b.applied ?? []).map((_id) => ({ _id })),
    );
    await deleteAllById(inbox, b.inbox ?? []);
    await batches.updateOne(
      { _id: b._id },
      {
        $set: { done: true },
        $unset: { inbox: '', applied: '', days: '', customers: '', cells: '', cohorts: '', spans: '' },
      },
    );
    await markDone(b._id);
    const changes = [...(b.days ?? []), ...(b.cells ?? [])].map(({ scope, day }) => ({ scope, day }));
    if (changes.length) await deps.onDaysChanged(changes);
    if (b._id % KEEP_DONE_BATCHES === 0)
      await batches.deleteMany({ done: true, _id: { $lt: b._id - KEEP_DONE_BATCHES } });
  }

  async function step(): Promise<Step> {
    const seq = ((await progress.findOne({ _id: 'done' }))?.seq ?? 0) + 1;
    const pending = await batches.findOne({ _id: seq });
    if (pending) {
      if (pending.done) {
        await markDone(seq);
        return 'progress';
      }
      const stalled = now().getTime() - pending.at.getTime() >= STALLED_AFTER_MS;
      if (pending.owner !== owner && !stalled) return 'busy';
      deps.log.warn({ batch: seq, owner: pending.owner }, 'analytics: replaying an order batch');
      await apply(pending);
      return 'progress';
    }
    const batch = await compose(seq);
    if (batch === null) return 'empty';
    if ('nothingFor' in batch) {
      // Every note was applied before (an event delivered again): the notes go, nothing else moves.
      await deleteAllById(inbox, batch.nothingFor);
      return 'progress';
    }
    try {
      await batches.insertOne(batch);
    } catch (err) {
      if (isDuplicateKeyError(err)) return 'progress'; // Another runner took number seq: look again.
      throw err;
    }
    await apply(batch);
    return 'progress';
  }

  let running: Promise<Step> | null = null;
  let again = false;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  /**
   * Applies batches until the inbox is empty ('empty'), another runner is mid-batch ('busy') or this
   * one is stopping ('stopped', after the batch in hand).
   */
  function drain(): Promise<Step> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        for (;;) {
          again = false;
          if (stopped) return 'stopped';
          const result = await step();
          // Notes that came in while this runner found the inbox empty are its to take too.
          if (result === 'progress' || (result === 'empty' && again)) continue;
          return result;
        }
      } finally {
        running = null;
      }
    })();
    return running;
  }

  /**
   * Drains in the background (after events). Another runner mid-batch may have looked at the inbox
   * before these notes came in, so a busy runner looks again shortly; a failure is logged, and the next
   * wake or the housekeeping job retries.
   */
  function wake(): void {
    drain().then(
      (result) => {
        if (result !== 'busy' || stopped || retry) return;
        retry = setTimeout(() => {
          retry = null;
          wake();
        }, WAKE_RETRY_MS);
        retry.unref();
      },
      (err: unknown) => deps.log.error({ err }, 'analytics: order batch failed'),
    );
  }

  return {
    enqueue,
    drain,
    /** Drains, waiting out another runner's batch: a rebuild must see every event applied before it switches. */
    async drainFully(signal?: AbortSignal): Promise<void> {
      for (;;) {
        const result = await drain();
        if (result === 'empty') return;
        if (result === 'stopped') throw new Error('analytics: the order batch runner is stopping');
        signal?.throwIfAborted();
        await sleep(BUSY_RETRY_MS);
      }
    },
    /** Stops taking batches and resolves once the one in hand (if any) ends: shutdown waits for it. */
    async settle(): Promise<void> {
      stopped = true;
      if (retry) clearTimeout(retry);
      await running?.catch(() => undefined);
    },
    wake,
    customers,
    segments,
    /** Drops a generation's customers, cells and applied marks (a job's work: these filters scan). */
    async dropGeneration(generation: number): Promise<void> {
      const prefix = new RegExp(`^g${generation}\\|`);
      await customers.deleteMany({ _id: prefix } as never);
      await applied.deleteMany({ _id: prefix } as never);
      await segments.collection.deleteMany({ stream: prefix } as never);
      for (const name of ['analytics_segment_heads', 'analytics_segments_refs'])
        await deps.connection.collection(name).deleteMany({ _id: prefix } as never);
    },
  };
}

export type OrderBatches = ReturnType<typeof createOrderBatches>;
