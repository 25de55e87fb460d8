import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import type { Actor } from '../catalog';
import {
  ConflictError,
  ForbiddenError,
  isTransientStoreError,
  NotFoundError,
  ValidationError,
} from '../errors';
import type { EventBus } from '../events';
import { orderEvents, orderModel, type OrderDoc, type OrderEventDoc } from './model';
import { allowedRoles } from './state';
import {
  refundStateOf,
  type Order,
  type OrderActorRole,
  type OrderStatus,
  type OrderSummary,
  type TimelineEntry,
} from './types';
import { type Clock, systemClock } from '../clock';

const TIMELINE_LIMIT = 200;
/** Tries of a write that FerretDB's SQLite refused as busy ("database is locked") while writers pile up. */
const BUSY_TRIES = 8;

async function whenStoreFree<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isTransientStoreError(err) || attempt >= BUSY_TRIES) throw err;
      await sleep(Math.random() * 50 * attempt);
    }
  }
}

export interface OrderActor {
  id: string | null;
  role: OrderActorRole;
}

/**
 * What follows an order event in other domains (stock, money, points: `core/src/flows/fulfilment.ts`),
 * passed in when the services are built. Runs after the event is recorded and before it is published;
 * must be idempotent, since `reconcile` runs it again for events a crash cut short.
 */
export interface OrderEffects {
  afterEvent(order: Order, event: OrderEventDoc, from: OrderStatus): Promise<void>;
}

export interface ListOptions {
  status?: OrderStatus;
  limit?: number;
  /** Continue after this order (newest first: created earlier, or at the same time with a smaller id). */
  after?: { createdAt: Date; id: string };
}

function listFilter(opts: ListOptions) {
  const after = opts.after;
  return {
    ...(opts.status && { status: opts.status }),
    ...(after && {
      $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }],
    }),
  };
}

export type TransitionResult =
  | { ok: true; order: Order; event: OrderEventDoc; from: OrderStatus }
  | { ok: false; order: Order; reason: string };

/** An actor's role relative to one order (a seller is a buyer of other shops' orders). */
export function roleOn(order: Pick<Order, 'buyerId' | 'sellerId'>, actor: Actor): OrderActorRole | null {
  if (actor.roles.includes('support') || actor.roles.includes('admin')) return 'support';
  if (order.sellerId === actor.id) return 'seller';
  if (order.buyerId === actor.id) return 'buyer';
  return null;
}

/**
 * Orders: one per seller per checkout. The order document holds what was bought; its status, refunds
 * and timeline are an event stream on the generic ledger, so concurrent transitions are decided by a
 * unique-key insert and always follow the state machine in state.ts.
 */
export function createOrderService(deps: {
  connection: Connection;
  bus: EventBus;
  effects: OrderEffects;
  clock?: Clock;
}) {
  const Orders = orderModel(deps.connection);
  const events = orderEvents(deps.connection, deps.clock);
  const now = deps.clock ?? systemClock;

  /**
   * Runs the side effects of a new event (stock, money, points), then copies it onto the document and
   * publishes it. The document's `statusVersion` therefore marks how far effects have run: after a crash,
   * `reconcile` finds orders whose stream is ahead of it and runs the rest (effects are idempotent).
   */
  async function settle(doc: OrderDoc, entry: OrderEventDoc, from: OrderStatus): Promise<void> {
    await deps.effects.afterEvent(await assemble(doc, entry), entry, from);
    await announce(doc, entry);
  }

  function toTimeline(e: OrderEventDoc): TimelineEntry {
    return {
      version: e.version,
      status: e.status,
      event: e.event,
      actorId: e.actorId,
      actorRole: e.actorRole,
      note: e.note,
      amount: e.amount,
      at: e.at,
    };
  }

  async function assemble(doc: OrderDoc, head?: OrderEventDoc | null): Promise<Order> {
    const latest = head === undefined ? await events.latest(doc._id) : head;
    const history = latest ? await events.history(doc._id, Math.min(TIMELINE_LIMIT, latest.version)) : [];
    const shipped = history.find((e) => e.tracking);
    return {
      id: doc._id,
      number: doc.number,
      checkoutId: doc.checkoutId,
      buyerId: doc.buyerId,
      sellerId: doc.sellerId,
      shopId: doc.shopId,
      shopName: doc.shopName,
      lines: doc.lines,
      delivery: doc.delivery,
      totals: doc.totals,
      // Written as null, but FerretDB 1.24 leaves null fields out of a `$setOnInsert` upsert.
      coupon: doc.coupon ?? null,
      promotions: doc.promotions ?? [],
      commission: doc.commission ?? [],
      paymentId: doc.paymentId,
      status: latest?.status ?? doc.status,
      version: latest?.version ?? 0,
      refunded: latest?.refunded ?? 0,
      refundState: refundStateOf(latest?.refunded ?? 0, doc.totals.total),
      tracking: shipped?.tracking ?? null,
      timeline: history.reverse().map(toTimeline),
      expiresAt: doc.expiresAt,
      createdAt: doc.createdAt,
    };
  }

  async function load(orderId: string): Promise<OrderDoc> {
    const doc = await Orders.findById(orderId).lean<OrderDoc>();
    if (!doc) throw new NotFoundError('Order');
    return doc;
  }

  /** Copies the stream's head onto the document (for lists) and tells everyone who follows the order. */
  async function announce(doc: OrderDoc, entry: OrderEventDoc): Promise<void> {
    // Filter by `_id` alone: FerretDB scans the collection for any other filter. The version check is a
    // read first; a racing writer may still set an older copy, which costs `reconcile` a harmless re-run.
    const current = await Orders.findById(doc._id, { statusVersion: 1 }).lean<
      Pick<OrderDoc, 'statusVersion'>
    >();
    // Under heavy writing SQLite may refuse it as busy: wait for a turn rather than fail a checkout whose
    // event is already recorded (reconcile would repair the copy, but the shopper would see a 500).
    if (!current || current.statusVersion < entry.version)
      await whenStoreFree(() =>
        Orders.updateOne(
          { _id: doc._id },
          {
            $set: {
              status: entry.status,
              statusVersion: entry.version,
              refunded: entry.refunded,
              updatedAt: now(),
            },
          },
        ),
      );
    await deps.bus.publish('order.status_changed', {
      orderId: doc._id,
      checkoutId: doc.checkoutId,
      buyerId: doc.buyerId,
      sellerId: doc.sellerId,
      status: entry.status,
      event: entry.event,
      version: entry.version,
      at: entry.at.toISOString(),
    });
  }

  function summary(doc: OrderDoc): OrderSummary {
    return {
      id: doc._id,
      number: doc.number,
      checkoutId: doc.checkoutId,
      buyerId: doc.buyerId,
      sellerId: doc.sellerId,
      shopName: doc.shopName,
      status: doc.status,
      total: doc.totals.total,
      refunded: doc.refunded ?? 0,
      refundState: refundStateOf(doc.refunded ?? 0, doc.totals.total),
      itemCount: doc.lines.reduce((n, l) => n + l.qty, 0),
      firstItem: doc.lines[0]?.name ?? '',
      image: doc.lines[0]?.image ?? null,
      createdAt: doc.createdAt,
    };
  }

  async function list(filter: Record<string, unknown>, limit: number): Promise<OrderSummary[]> {
    const docs = await Orders.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<OrderDoc[]>();
    return docs.map(summary);
  }

  return {
    /** Inserts the orders of a checkout with their `created` event; safe to repeat (a resumed checkout). */
    async createOrders(docs: Omit<OrderDoc, 'status' | 'statusVersion' | 'createdAt' | 'updatedAt'>[]) {
      const at = now();
      for (const doc of docs) {
        const full: OrderDoc = {
          ...doc,
          status: 'pending_payment',
          statusVersion: 1,
          createdAt: at,
          updatedAt: at,
        };
        // The stream's first event before the document: a document never exists without it (a crash in
        // between leaves an event of an order nobody can see, and the resumed checkout writes the document).
        await events.appendOnce(doc._id, 'created', (head) =>
          head
            ? 'unchanged'
            : {
                orderId: doc._id,
                event: 'created',
                status: 'pending_payment',
                refunded: 0,
                amount: doc.totals.total,
                actorId: doc.buyerId,
                actorRole: 'buyer',
                note: '',
                tracking: null,
              },
        );
        await Orders.updateOne({ _id: doc._id }, { $setOnInsert: full }, { upsert: true }).catch(
          (err: unknown) => {
            if ((err as { code?: number }).code !== 11000) throw err;
          },
        );
      }
    },

    async get(orderId: string): Promise<Order> {
      return assemble(await load(orderId));
    },

    async getMany(orderIds: string[]): Promise<Order[]> {
      return Promise.all(orderIds.map(async (id) => assemble(await load(id))));
    },

    /** The order if `actor` may see it (buyer, its seller, support); otherwise "not found". */
    async getFor(actor: Actor, orderId: string): Promise<{ order: Order; role: OrderActorRole }> {
      const doc = await Orders.findById(orderId).lean<OrderDoc>();
      const role = doc && roleOn(doc, actor);
      if (!doc || !role) throw new NotFoundError('Order');
      return { order: await assemble(doc), role };
    },

    /** `actor`'s role on the order (one document read, no timeline); "not found" if they have none. */
    async roleFor(actor: Actor, orderId: string): Promise<OrderActorRole> {
      const doc = await Orders.findById(orderId, { buyerId: 1, sellerId: 1 }).lean<OrderDoc>();
      const role = doc && roleOn(doc, actor);
      if (!role) throw new NotFoundError('Order');
      return role;
    },

    /**
     * Moves an order to `to` if the machine allows it from its current status and `actor.role` may make
     * that move. Concurrent transitions are serialized by the stream; the loser sees the new status.
     */
    async transition(
      orderId: string,
      to: OrderStatus,
      actor: OrderActor,
      note = '',
      extra: { tracking?: { carrier: string; number: string } } = {},
    ): Promise<TransitionResult> {
      const doc = await load(orderId);
      let refusal = '';
      let from: OrderStatus = 'pending_payment';
      const result = await events.append(orderId, (head) => {
        from = head?.status ?? 'pending_payment';
        if (from === to) {
          refusal = `The order is already ${to.replace('_', ' ')}`;
          return null;
        }
        const roles = allowedRoles(from, to);
        if (!roles.length) {
          refusal = `An order that is ${from.replace('_', ' ')} cannot become ${to.replace('_', ' ')}`;
          return null;
        }
        if (!roles.includes(actor.role)) {
          refusal = `Only ${roles.join(' or ')} can mark this order ${to.replace('_', ' ')}`;
          return null;
        }
        return {
          orderId,
          event: 'status',
          status: to,
          refunded: head?.refunded ?? 0,
          amount: null,
          actorId: actor.id,
          actorRole: actor.role,
          note: note.slice(0, 500),
          tracking: extra.tracking ?? null,
        };
      });
      if (result.status !== 'appended') {
        return { ok: false, order: await assemble(doc), reason: refusal || 'The order did not change' };
      }
      await settle(doc, result.entry, from);
      return { ok: true, order: await assemble(doc, result.entry), event: result.entry, from };
    },

    /** Like `transition`, but throws the refusal (403 for a role problem, 409 for a state problem). */
    async transitionOrThrow(
      orderId: string,
      to: OrderStatus,
      actor: OrderActor,
      note = '',
      extra: { tracking?: { carrier: string; number: string } } = {},
    ) {
      const result = await this.transition(orderId, to, actor, note, extra);
      if (!result.ok) {
        const roles = allowedRoles(result.order.status, to);
        if (roles.length && !roles.includes(actor.role)) throw new ForbiddenError(result.reason);
        throw new ConflictError(result.reason, { status: result.order.status });
      }
      return result;
    },

    /**
     * Records a refund of `amount` fen, exactly once per `ref`; never more than was paid in total. The status
     * does not change (a full refund of an active order is the `refunded` transition).
     */
    async recordRefund(orderId: string, amount: number, actor: OrderActor, ref: string, note = '') {
      const doc = await load(orderId);
      if (!Number.isInteger(amount) || amount <= 0)
        throw new ValidationError([{ field: 'body.amount', message: 'a positive whole number of fen' }]);
      let left = 0;
      const result = await events.appendOnce(orderId, ref, (head) => {
        const refunded = head?.refunded ?? 0;
        left = doc.totals.total - refunded;
        if (amount > left) return null;
        return {
          orderId,
          event: 'refund',
          status: head?.status ?? 'pending_payment',
          refunded: refunded + amount,
          amount,
          actorId: actor.id,
          actorRole: actor.role,
          note: note.slice(0, 500),
          tracking: null,
        };
      });
      if (result.status === 'refused')
        throw new ValidationError(
          [{ field: 'body.amount', message: `at most ${left} fen can still be refunded` }],
          'The refund is larger than what is left to refund',
        );
      if (result.status === 'appended') await settle(doc, result.entry, result.entry.status);
      return { order: await assemble(doc), entry: result.entry, applied: result.status === 'appended' };
    },

    /** A buyer's orders, newest first; `after` continues after the last order of the previous page. */
    /** Every order a person bought, in full (the account export): their own data and the sellers' names. */
    async exportForBuyer(buyerId: string): Promise<Order[]> {
      const docs = await Orders.find({ buyerId }).lean<OrderDoc[]>();
      return Promise.all(docs.map((d) => assemble(d)));
    },

    /**
     * Erasure: orders stay (accounting keeps them) with the delivery address's name, phone and street
     * removed; city and province stay for tax and statistics. The document's other writer (the status
     * copy) only sets status fields, and this is repeated until a read shows no name left.
     */
    async anonymiseBuyer(buyerId: string): Promise<number> {
      const docs = await Orders.find({ buyerId }, { _id: 1, delivery: 1 }).lean<
        Pick<OrderDoc, '_id' | 'delivery'>[]
      >();
      for (const doc of docs) {
        if (!doc.delivery.address) continue;
        for (let attempt = 0; attempt < 3; attempt++) {
          await Orders.updateOne(
            { _id: doc._id },
            {
              $set: {
                'delivery.address.name': 'Closed account',
                'delivery.address.phone': '',
                'delivery.address.line1': '',
                'delivery.address.line2': '',
              },
            },
          );
          const after = await Orders.findById(doc._id, { delivery: 1 }).lean<Pick<OrderDoc, 'delivery'>>();
          if (after?.delivery.address?.name === 'Closed account') break;
        }
      }
      return docs.length;
    },

    listForBuyer(buyerId: string, opts: ListOptions = {}) {
      return list({ buyerId, ...listFilter(opts) }, opts.limit ?? 50);
    },
    listForSeller(sellerId: string, opts: ListOptions = {}) {
      return list({ sellerId, ...listFilter(opts) }, opts.limit ?? 50);
    },
    /** Support lookup: by order id or number, buyer or seller id, or the latest orders by status. */
    async search(q: { text?: string; status?: OrderStatus; limit?: number }): Promise<OrderSummary[]> {
      const limit = q.limit ?? 50;
      const text = q.text?.trim();
      if (text) {
        const byId = await Orders.findById(text).lean<OrderDoc>();
        if (byId) return [summary(byId)];
        return list(
          {
            $or: [
              { number: text.toUpperCase() },
              { buyerId: text },
              { sellerId: text },
              { checkoutId: text },
            ],
          },
          limit,
        );
      }
      return list(q.status ? { status: q.status } : {}, limit);
    },
    /** Orders not in a final state (the ones `reconcile` may have to finish after a crash). */
    async openOrderIds(limit = 5000): Promise<string[]> {
      const docs = await Orders.find({ status: { $nin: ['cancelled', 'refunded', 'completed'] } }, { _id: 1 })
        .limit(limit)
        .lean<Pick<OrderDoc, '_id'>[]>();
      return docs.map((d) => d._id);
    },
    /**
     * Orders in the order they were created, a page at a time after `after` (for rebuilding read models
     * such as the analytics rollups from history), and how many there are.
     */
    async pageByCreation(after: { createdAt: Date; id: string } | null, limit: number) {
      const filter = after
        ? {
            $or: [
              { createdAt: { $gt: after.createdAt } },
              { createdAt: after.createdAt, _id: { $gt: after.id } },
            ],
          }
        : {};
      const docs = await Orders.find(filter, { _id: 1, createdAt: 1 })
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit)
        .lean<Pick<OrderDoc, '_id' | 'createdAt'>[]>();
      return docs.map((d) => ({ id: d._id, createdAt: d.createdAt }));
    },
    countAll: () => Orders.estimatedDocumentCount(),
    /** Orders delivered before `before` and still waiting for the buyer to confirm receipt. */
    async deliveredBefore(before: Date, limit = 1000): Promise<string[]> {
      const docs = await Orders.find({ status: 'delivered', updatedAt: { $lt: before } }, { _id: 1 })
        .limit(limit)
        .lean<Pick<OrderDoc, '_id'>[]>();
      return docs.map((d) => d._id);
    },
    /** Every event of an order's stream, oldest first (settlement derives an order's money steps from it). */
    async eventsOf(orderId: string): Promise<OrderEventDoc[]> {
      const head = await events.latest(orderId);
      return head ? (await events.history(orderId, head.version)).reverse() : [];
    },

    /**
     * Completions and refunds recorded in `[from, to)`, from every order's stream (the reconciliation's
     * independent list of what settled that day). A scan of the events collection: a daily job's read.
     */
    async completionsAndRefundsBetween(from: Date, to: Date): Promise<OrderEventDoc[]> {
      return events.collection
        .find({
          at: { $gte: from, $lt: to },
          $or: [{ event: 'refund' }, { event: 'status', status: 'completed' }],
        } as never)
        .toArray() as Promise<OrderEventDoc[]>;
    },

    /** The money fields of many orders in one read (no timelines): totals, coupon, commission, seller. */
    async moneyOf(orderIds: string[]) {
      if (!orderIds.length) return [];
      const docs = await Orders.find(
        { _id: { $in: orderIds } },
        { sellerId: 1, totals: 1, coupon: 1, promotions: 1, commission: 1, paymentId: 1, number: 1 },
      ).lean<OrderDoc[]>();
      return docs.map((d) => ({
        id: d._id,
        number: d.number,
        sellerId: d.sellerId,
        paymentId: d.paymentId,
        totals: d.totals,
        coupon: d.coupon ?? null,
        promotions: d.promotions ?? [],
        commission: d.commission ?? [],
      }));
    },

    /** Orders completed or refunded whose document changed since `since` (settlement's catch-up). */
    async settledSince(since: Date, limit = 5000): Promise<string[]> {
      const docs = await Orders.find(
        { status: { $in: ['completed', 'refunded'] }, updatedAt: { $gte: since } },
        { _id: 1 },
      )
        .limit(limit)
        .lean<Pick<OrderDoc, '_id'>[]>();
      return docs.map((d) => d._id);
    },

    /** Runs the effects of events recorded before a crash cut their processing short. */
    async reconcile(orderId: string): Promise<number> {
      const doc = await load(orderId);
      const head = await events.latest(orderId);
      if (!head || head.version <= doc.statusVersion) return 0;
      const pending = (await events.history(orderId, head.version - doc.statusVersion + 1)).reverse();
      let done = 0;
      for (let i = 1; i < pending.length; i++) {
        await settle(doc, pending[i]!, pending[i - 1]!.status);
        done++;
      }
      return done;
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;
