import type { Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { ConflictError, isDuplicateKeyError, NotFoundError } from '../errors';
import type { LedgerEntry } from '../ledger';
import type { OrderEventDoc, OrderService } from '../orders';
import { marketDay } from './days';
import { orderMoney, refundParts, refundPartsUpTo } from './money';
import {
  orderSettlements,
  sellerEntries,
  settlementModels,
  type OrderSettlementDoc,
  type SellerEntryDoc,
} from './model';
import type { SellerBalance, SettlementEntry, SettlementEntryKind } from './types';

const EMPTY: SellerBalance = { pending: 0, available: 0, inFlight: 0, paidOut: 0, balance: 0 };
export const streamOf = (sellerId: string) => `seller:${sellerId}`;

export function toEntry(d: SellerEntryDoc): SettlementEntry {
  return {
    id: d._id,
    sellerId: d.sellerId,
    version: d.version,
    kind: d.kind,
    amount: d.amount,
    availableDelta: d.availableDelta,
    orderId: d.orderId,
    orderNumber: d.orderNumber,
    payoutId: d.payoutId,
    day: d.day,
    note: d.note,
    at: d.at,
    pending: d.pending,
    available: d.available,
    inFlight: d.inFlight,
    paidOut: d.paidOut,
    balance: d.balance,
  };
}

/** A change to a seller's buckets; `balance` follows from pending + available + inFlight. */
interface Move {
  kind: SettlementEntryKind;
  pending?: number;
  available?: number;
  inFlight?: number;
  paidOut?: number;
  orderId?: string | null;
  orderNumber?: string | null;
  payoutId?: string | null;
  day: string;
  note: string;
}

/**
 * The settlement ledger: per seller, append-only, on the ledger primitive. Orders credit it when they
 * complete (goods + shipping − seller-funded discount − commission, less what was refunded before),
 * every refund after that debits it (pending or, once released, available), the release job moves an
 * order's credit from pending to available when its after-sales window closes, and payouts take from
 * available. Everything that follows from an order is derived again from the order's own stream
 * (`settleOrder`), exactly once per ref, so a redelivered event, a crash or the reconcile job never
 * counts anything twice — and every refund is seen, whoever made it (support today, after-sales next).
 */
export function createSettlementService(deps: {
  connection: Connection;
  orders: Pick<OrderService, 'get' | 'eventsOf'>;
  /** After-sales window (AFTERSALES_WINDOW_DAYS): how long after delivery an order's money stays pending. */
  windowMs: number;
  timeZone: string;
  clock?: Clock;
}) {
  const ledger = sellerEntries(deps.connection, deps.clock);
  const steps = orderSettlements(deps.connection, deps.clock);
  const { ReleaseDue } = settlementModels(deps.connection);
  const now = deps.clock ?? systemClock;
  const dayOf = (at: Date) => marketDay(at, deps.timeZone);

  /** Appends a move to the seller's stream once per `ref`; `guard` may refuse it given the buckets. */
  async function move(sellerId: string, ref: string, m: Move, guard?: (head: SellerBalance) => boolean) {
    return ledger.appendOnce(streamOf(sellerId), ref, (head) => {
      const b = head ?? EMPTY;
      if (guard && !guard(b)) return null;
      const pending = b.pending + (m.pending ?? 0);
      const available = b.available + (m.available ?? 0);
      const inFlight = b.inFlight + (m.inFlight ?? 0);
      const paidOut = b.paidOut + (m.paidOut ?? 0);
      const balance = pending + available + inFlight;
      return {
        stream: streamOf(sellerId),
        sellerId,
        kind: m.kind,
        amount: balance - b.balance,
        pendingDelta: m.pending ?? 0,
        availableDelta: m.available ?? 0,
        orderId: m.orderId ?? null,
        orderNumber: m.orderNumber ?? null,
        payoutId: m.payoutId ?? null,
        day: m.day,
        note: m.note,
        pending,
        available,
        inFlight,
        paidOut,
        balance,
      };
    });
  }

  /** Records `step` on the order's settlement stream once per ref; returns the recorded step. */
  async function orderStep(
    orderId: string,
    ref: string,
    decide: (head: OrderSettlementDoc | null) => Omit<OrderSettlementDoc, keyof LedgerEntry> | null,
  ): Promise<OrderSettlementDoc | null> {
    const result = await steps.appendOnce(orderId, ref, decide);
    return result.status === 'refused' ? null : result.entry;
  }

  /** Mirrors a recorded order step onto the seller's stream (same ref: exactly once). */
  async function mirror(step: OrderSettlementDoc, orderNumber: string): Promise<void> {
    // The seller's stream holds many orders: `credit:<order>`, `release:<order>`; a refund's ref
    // (`refund:<refund id>`) names its order already.
    const ref = step.step === 'refund' ? step.ref! : `${step.ref!}:${step.orderId}`;
    const base = { orderId: step.orderId, orderNumber, day: step.day };
    if (step.step === 'credit')
      await move(step.sellerId, ref, {
        ...base,
        kind: 'order_credit',
        pending: step.amount,
        note: `Order ${orderNumber} completed`,
      });
    else if (step.step === 'refund')
      await move(step.sellerId, ref, {
        ...base,
        kind: 'refund_debit',
        [step.bucket]: -step.amount,
        note: `Refund on order ${orderNumber}`,
      });
    else
      await move(step.sellerId, ref, {
        ...base,
        kind: 'release',
        pending: -step.amount,
        available: step.amount,
        note: `Order ${orderNumber}: after-sales window closed`,
      });
  }

  const stepBase = (orderId: string, sellerId: string, head: OrderSettlementDoc | null) => ({
    orderId,
    sellerId,
    credited: head?.credited ?? 0,
    pendingDebited: head?.pendingDebited ?? 0,
    released: head?.released ?? false,
  });

  /**
   * Brings one order's settlement up to date with its stream: the credit once it completed, a debit for
   * every refund recorded after that. Idempotent; called after each order event (fulfilment), by the
   * catch-up job, and by `debitSellerForRefund`.
   */
  async function settleOrder(orderId: string): Promise<void> {
    const events = await deps.orders.eventsOf(orderId);
    const completed = events.find((e) => e.event === 'status' && e.status === 'completed');
    if (!completed) return; // refunds before completion are netted in its credit
    const order = await deps.orders.get(orderId);
    const money = orderMoney(order);
    const before = refundPartsUpTo(money, completed.refunded);
    const credit = await orderStep(orderId, 'credit', (head) => ({
      ...stepBase(orderId, order.sellerId, head),
      step: 'credit',
      amount: money.sellerEarning - before.sellerDebit,
      bucket: 'pending',
      commission: money.commission - before.commissionReversed,
      platformFunded: money.platformFunded - before.platformFundedReturned,
      day: dayOf(completed.at),
      credited: money.sellerEarning - before.sellerDebit,
    }));
    if (!credit) return;
    await mirror(credit, order.number);
    const delivered = events.find((e) => e.event === 'status' && e.status === 'delivered');
    await scheduleRelease(
      orderId,
      order.sellerId,
      new Date((delivered ?? completed).at.getTime() + deps.windowMs),
    );
    for (const refund of events.filter((e) => e.event === 'refund' && e.version > completed.version))
      await debitRefund(order, money, refund);
  }

  async function debitRefund(
    order: Awaited<ReturnType<OrderService['get']>>,
    money: ReturnType<typeof orderMoney>,
    refund: OrderEventDoc,
  ): Promise<void> {
    const amount = refund.amount ?? 0;
    const parts = refundParts(money, refund.refunded - amount, amount);
    const step = await orderStep(order.id, `refund:${refund.ref ?? `v${refund.version}`}`, (head) => {
      const base = stepBase(order.id, order.sellerId, head);
      const bucket = base.released ? 'available' : 'pending';
      return {
        ...base,
        step: 'refund',
        amount: parts.sellerDebit,
        bucket,
        commission: -parts.commissionReversed,
        platformFunded: -parts.platformFundedReturned,
        day: dayOf(refund.at),
        pendingDebited: base.pendingDebited + (bucket === 'pending' ? parts.sellerDebit : 0),
      };
    });
    if (step) await mirror(step, order.number);
  }

  async function scheduleRelease(orderId: string, sellerId: string, dueAt: Date): Promise<void> {
    if (await steps.applied(orderId, 'release')) return;
    await ReleaseDue.create({ _id: orderId, sellerId, dueAt }).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
  }

  /**
   * Moves one order's remaining pending credit to available (exactly once). True only for the call that
   * recorded the release: another run that finds it recorded (the job on the other process, or a retry
   * after a crash before the clean-up) finishes the mirror and the clean-up without counting it again.
   */
  async function release(orderId: string): Promise<boolean> {
    const order = await deps.orders.get(orderId);
    const result = await steps.appendOnce(orderId, 'release', (head) => {
      if (!head) return null; // never credited: nothing to release
      const base = stepBase(orderId, order.sellerId, head);
      return {
        ...base,
        step: 'release',
        amount: base.credited - base.pendingDebited,
        bucket: 'available',
        commission: 0,
        platformFunded: 0,
        day: dayOf(now()),
        released: true,
      };
    });
    if (result.status === 'refused') return false;
    await mirror(result.entry, order.number);
    await ReleaseDue.deleteOne({ _id: orderId });
    return result.status === 'appended';
  }

  async function balanceOf(sellerId: string): Promise<SellerBalance> {
    const head = await ledger.latest(streamOf(sellerId));
    if (!head) return { ...EMPTY };
    const { pending, available, inFlight, paidOut, balance } = head;
    return { pending, available, inFlight, paidOut, balance };
  }

  return {
    ledger,
    steps,
    settleOrder,
    balanceOf,

    /**
     * For after-sales (and anyone who refunds a buyer): debits the seller for the refund `ref` of
     * `orderId` — exactly once per ref, however often it is called, and never in addition to the debit
     * settlement makes by itself for the same refund (both go through the same ref). The refund must
     * already be recorded on the order (`orders.recordRefund(orderId, amount, actor, ref)` or the
     * `refunded` transition), whose amount it checks. Returns the seller's entry, or null when the
     * refund came before the order completed (it is then netted in the order's credit).
     */
    async debitSellerForRefund(input: {
      orderId: string;
      amount: number;
      ref: string;
    }): Promise<SettlementEntry | null> {
      const events = await deps.orders.eventsOf(input.orderId);
      const refund = events.find((e) => e.event === 'refund' && e.ref === input.ref);
      if (!refund) throw new NotFoundError('Refund');
      if (refund.amount !== input.amount)
        throw new ConflictError(`The refund ${input.ref} is of ${refund.amount} fen, not ${input.amount}`);
      await settleOrder(input.orderId);
      const order = await deps.orders.get(input.orderId);
      const entry = await ledger.applied(streamOf(order.sellerId), `refund:${input.ref}`);
      return entry ? toEntry(entry) : null;
    },

    /** Releases every order whose after-sales window has closed by now; returns how many. */
    async releaseDue(limit = 2000): Promise<{ released: number }> {
      const due = await ReleaseDue.find({ dueAt: { $lte: now() } })
        .limit(limit)
        .lean<{ _id: string }[]>();
      let released = 0;
      for (const { _id } of due) if (await release(_id)) released++;
      return { released };
    },

    /** When an order's credit becomes available (null: released already, or never credited). */
    async releaseDueAt(orderId: string): Promise<Date | null> {
      const doc = await ReleaseDue.findById(orderId).lean<{ dueAt: Date }>();
      return doc?.dueAt ?? null;
    },

    /** Takes `amount` from available into a payout in flight; refused when available is short. */
    async debitForPayout(sellerId: string, payoutId: string, amount: number) {
      const result = await move(
        sellerId,
        `payout:${payoutId}`,
        {
          kind: 'payout_debit',
          available: -amount,
          inFlight: amount,
          payoutId,
          day: dayOf(now()),
          note: `Payout ${payoutId}`,
        },
        (b) => b.available >= amount,
      );
      return result.status === 'refused' ? null : toEntry(result.entry);
    },
    /** The provider confirmed the payout: the money left the platform. */
    async confirmPayout(sellerId: string, payoutId: string, amount: number) {
      const result = await move(sellerId, `payout_paid:${payoutId}`, {
        kind: 'payout_paid',
        inFlight: -amount,
        paidOut: amount,
        payoutId,
        day: dayOf(now()),
        note: `Payout ${payoutId} paid`,
      });
      return result.status === 'refused' ? null : toEntry(result.entry);
    },
    /** The payout failed: its money returns to available. */
    async reversePayout(sellerId: string, payoutId: string, amount: number) {
      const result = await move(sellerId, `payout_failed:${payoutId}`, {
        kind: 'payout_reversal',
        inFlight: -amount,
        available: amount,
        payoutId,
        day: dayOf(now()),
        note: `Payout ${payoutId} failed: funds returned`,
      });
      return result.status === 'refused' ? null : toEntry(result.entry);
    },
    /** Whether the payout's debit was recorded (a resumed batch checks before sending). */
    async payoutDebited(sellerId: string, payoutId: string) {
      return (await ledger.applied(streamOf(sellerId), `payout:${payoutId}`)) !== null;
    },

    /** A seller's entries, newest first, `before` a version (cursor paging by `_id` lookups). */
    async entries(sellerId: string, opts: { beforeVersion?: number; limit: number }) {
      const head = await ledger.latest(streamOf(sellerId));
      if (!head) return { items: [] as SettlementEntry[], nextBefore: null as number | null };
      const top = Math.min(head.version, (opts.beforeVersion ?? head.version + 1) - 1);
      const versions = Array.from({ length: Math.max(0, Math.min(opts.limit, top)) }, (_, i) => top - i);
      // One `_id` lookup per entry: FerretDB pushes `_id` equality down, while `$in` scans the collection.
      const docs = await Promise.all(
        versions.map((v) => ledger.collection.findOne({ _id: `${streamOf(sellerId)}:${v}` } as never)),
      );
      const items = (docs.filter(Boolean) as SellerEntryDoc[])
        .sort((a, b) => b.version - a.version)
        .map(toEntry);
      const last = items.at(-1);
      return { items, nextBefore: last && last.version > 1 ? last.version : null };
    },

    /** Entries of a seller between two instants, oldest first (statements). */
    async entriesBetween(sellerId: string, from: Date, to: Date): Promise<SettlementEntry[]> {
      const docs = await ledger.collection
        .find({ stream: streamOf(sellerId), at: { $gte: from, $lt: to } } as never)
        .toArray();
      return (docs as SellerEntryDoc[]).sort((a, b) => a.version - b.version).map(toEntry);
    },

    /** A seller's buckets just before `at` (statements' opening and closing). */
    async balanceAt(sellerId: string, at: Date): Promise<SellerBalance> {
      const [last] = (await ledger.collection
        .find({ stream: streamOf(sellerId), at: { $lt: at } } as never)
        .sort({ version: -1 })
        .limit(1)
        .toArray()) as SellerEntryDoc[];
      if (!last) return { ...EMPTY };
      const { pending, available, inFlight, paidOut, balance } = last;
      return { pending, available, inFlight, paidOut, balance };
    },

    /** Sellers with at least `minimum` available (the payout run), from the head hints. */
    async sellersWithAvailable(minimum: number): Promise<{ sellerId: string; available: number }[]> {
      const heads = await deps.connection
        .collection<{ _id: string; available: number; sellerId: string }>('settlement_heads')
        .find({ available: { $gte: minimum } })
        .toArray();
      return heads.map((h) => ({ sellerId: h.sellerId, available: h.available }));
    },

    /** Every entry of a day (reconciliation), by kind. */
    async entriesOfDay(day: string, kinds: SettlementEntryKind[]) {
      return (await ledger.collection
        .find({ day, kind: { $in: kinds } } as never)
        .toArray()) as SellerEntryDoc[];
    },
  };
}

export type SettlementService = ReturnType<typeof createSettlementService>;
