import type { Connection } from 'mongoose';
import type { AuditLog } from '../audit';
import type { Actor } from '../catalog';
import { type Clock, systemClock } from '../clock';
import { ForbiddenError, isDuplicateKeyError, NotFoundError, ValidationError } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import { splitProportionally } from '../money';
import type { Order, OrderService } from '../orders';
import { createAfterSalesErasure } from './erasure';
import type { EvidencePhotos } from './evidence';
import { createReturnPickups } from './pickup';
import {
  afterSalesModels,
  type AfterSalesEventDoc,
  type AfterSalesLineDoc,
  type DueDoc,
  type RequestDoc,
  type RequestSeed,
} from './model';
import { AFTERSALES_FINAL, afterSalesRoles } from './state';
import {
  AfterSalesConflictError,
  type AfterSalesEventName,
  type AfterSalesReason,
  type AfterSalesRequest,
  type AfterSalesRole,
  type AfterSalesStatus,
  type AfterSalesType,
  type LineAllowance,
  type ReturnTracking,
} from './types';

const HOUR_MS = 3_600_000;
/** Sorts requests without a deadline after every deadline in the seller's queue. */
const NO_DEADLINE = new Date('9999-12-31T00:00:00Z');
const TIMELINE_LIMIT = 100;
/** How old an unfinished open must be before another request finishes it (a crash, not a race). */
const OPENING_GRACE_MS = 30_000;

/** What a request in `refunding` needs for its refund flow (`core/src/flows/aftersales.ts`). */
export interface RefundTask {
  requestId: string;
  orderId: string;
  orderNumber: string;
  buyerId: string;
  sellerId: string;
  sku: string;
  productId: string;
  type: AfterSalesType;
  qty: number;
  amount: number;
  resellable: boolean;
}

/**
 * What follows a request reaching `refunding` in other domains (the money, the stock, the seller's
 * settlement, the order's status), passed in when the services are built. Must be idempotent: the
 * deadline job runs it again until the request is refunded.
 */
export interface AfterSalesEffects {
  refund(task: RefundTask): Promise<void>;
  /** Creates the courier pickup's delivery (once per `deliveryId`; run again by the deadline job). */
  bookPickup(task: PickupTask): Promise<void>;
  /** Calls off a booked pickup the courier has not collected (the request was withdrawn). */
  cancelPickup(task: PickupTask): Promise<void>;
}

/** A courier pickup of a return, as logistics needs it (`core/src/flows/return-pickup.ts`). */
export interface PickupTask {
  requestId: string;
  orderId: string;
  deliveryId: string;
  itemName: string;
}

export interface OpenInput {
  lineIndex: number;
  type: AfterSalesType;
  reason: AfterSalesReason;
  description: string;
  amount: number;
  qty?: number;
  evidenceIds: string[];
}

export interface QueuePage {
  items: AfterSalesRequest[];
  nextCursor: string | null;
}

/** An actor's role on a request (or an order): support, its seller, its buyer; null for anyone else. */
function roleOf(doc: { buyerId: string; sellerId: string }, actor: Actor): AfterSalesRole | null {
  if (actor.roles.includes('support') || actor.roles.includes('admin')) return 'support';
  if (doc.sellerId === actor.id) return 'seller';
  if (doc.buyerId === actor.id) return 'buyer';
  return null;
}

/** The event a move records, named for what happened rather than the status it lands in. */
function eventFor(from: AfterSalesStatus, to: AfterSalesStatus): AfterSalesEventName {
  if (from === 'escalated' && to !== 'withdrawn') return 'decided';
  if (from === 'return_shipped') return 'received';
  switch (to) {
    case 'awaiting_return':
    case 'refunding':
      return 'approved';
    case 'requested':
      return 'opened';
    default:
      return to;
  }
}

const statusWords = (s: AfterSalesStatus) => s.replace('_', ' ');

export function lineKeyOf(orderId: string, lineIndex: number) {
  return `${orderId}~${lineIndex}`;
}

/**
 * After-sales (售后): returns and refunds on delivered order lines. A request has a stream on the ledger
 * (every step exactly-once, concurrent moves decided by the unique insert); each order line has a stream
 * too, which makes "one open request per line" and "never more than was paid for the line" hold under
 * concurrency. Money, stock and the order's status follow a request's refund through `effects`.
 */
export function createAfterSalesService(deps: {
  connection: Connection;
  bus: EventBus;
  log: Logger;
  orders: Pick<OrderService, 'getFor' | 'get'>;
  evidence: EvidencePhotos;
  audit: Pick<AuditLog, 'record'>;
  effects: AfterSalesEffects;
  config: { windowMs: number; sellerResponseMs: number; returnShipmentMs: number };
  clock?: Clock;
}) {
  const { Requests, Due, events, lines } = afterSalesModels(deps.connection, deps.clock);
  const now = deps.clock ?? systemClock;

  /** Each line's share of what was paid (discounts, points and shipping spread by line totals). */
  function lineShares(order: Order): number[] {
    const shares = splitProportionally(
      order.totals.total,
      Object.fromEntries(order.lines.map((l, i) => [String(i).padStart(4, '0'), l.lineTotal])),
    );
    return order.lines.map((_, i) => shares[String(i).padStart(4, '0')] ?? 0);
  }

  function deliveredAt(order: Order): Date | null {
    const entry = order.timeline.findLast((e) => e.event === 'status' && e.status === 'delivered');
    return entry ? new Date(entry.at) : null;
  }

  function maxFor(order: Order, lineIndex: number, line: AfterSalesLineDoc | null): number {
    const share = lineShares(order)[lineIndex] ?? 0;
    return Math.max(0, Math.min(share - (line?.refunded ?? 0), order.totals.total - order.refunded));
  }

  async function load(requestId: string): Promise<RequestDoc> {
    const doc = await Requests.findById(requestId).lean<RequestDoc>();
    if (!doc) throw new NotFoundError('After-sales request');
    return doc;
  }

  async function loadFor(actor: Actor, requestId: string) {
    const doc = await Requests.findById(requestId).lean<RequestDoc>();
    const role = doc && roleOf(doc, actor);
    if (!doc || !role) throw new NotFoundError('After-sales request');
    return { doc, role };
  }

  function deadlineFor(to: AfterSalesStatus, at: Date): Date | null {
    if (to === 'awaiting_return') return new Date(at.getTime() + deps.config.returnShipmentMs);
    return null;
  }

  async function view(doc: RequestDoc, head?: AfterSalesEventDoc | null): Promise<AfterSalesRequest> {
    const latest = head === undefined ? await events.latest(doc._id) : head;
    const history = latest ? await events.history(doc._id, Math.min(TIMELINE_LIMIT, latest.version)) : [];
    const { _id, evidenceIds, statusVersion, queueAt: _queueAt, updatedAt: _updatedAt, ...fields } = doc;
    return {
      ...fields,
      id: _id,
      // FerretDB leaves an empty array out of a `$setOnInsert` upsert.
      evidence: (evidenceIds ?? []).map((id) => deps.evidence.urls(id)),
      status: latest?.status ?? doc.status,
      version: latest?.version ?? statusVersion,
      deadlineAt: latest ? latest.deadlineAt : doc.deadlineAt,
      tracking: latest?.tracking ?? null,
      pickup: latest?.pickup ?? null,
      resellable: latest?.resellable ?? null,
      rejection: latest?.rejection ?? null,
      timeline: history.reverse().map((e) => ({
        version: e.version,
        status: e.status,
        event: e.event,
        actorId: e.actorId,
        actorRole: e.actorRole,
        note: e.note,
        at: e.at,
      })),
    };
  }

  /** Deadlines of the new status: the job's entry for it, the old ones gone. */
  async function setDue(doc: RequestDoc, entry: AfterSalesEventDoc): Promise<void> {
    const kind: DueDoc['kind'] | null =
      entry.event === 'pickup_booked'
        ? 'pickup'
        : entry.status === 'requested'
          ? 'seller_response'
          : entry.status === 'awaiting_return'
            ? 'return_shipment'
            : entry.status === 'refunding'
              ? 'refund'
              : null;
    const dueAt = entry.status === 'refunding' || kind === 'pickup' ? entry.at : entry.deadlineAt;
    if (kind && dueAt) {
      const due: DueDoc = {
        _id: `${doc._id}:${kind}`,
        requestId: doc._id,
        kind,
        version: entry.version,
        dueAt,
      };
      // Two writers of one request's deadline (a step and its rerun) may both insert: the loser replaces.
      await Due.replaceOne({ _id: due._id }, due, { upsert: true }).catch(async (err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err;
        await Due.replaceOne({ _id: due._id }, due);
      });
    }
    const stale = (['seller_response', 'return_shipment', 'refund', 'pickup'] as const)
      .filter((k) => k !== kind || !dueAt)
      .map((k) => `${doc._id}:${k}`);
    await Due.deleteMany({ _id: { $in: stale } });
  }

  /**
   * What follows a recorded step: the line freed when the request ends, the deadlines, the copy on the
   * document, the domain event. Idempotent, so a step a crash cut short is finished by running it again.
   */
  async function settle(doc: RequestDoc, entry: AfterSalesEventDoc): Promise<void> {
    if (AFTERSALES_FINAL.has(entry.status))
      await lines.appendOnce(lineKeyOf(doc.orderId, doc.lineIndex), `close:${doc._id}`, (head) => ({
        lineKey: lineKeyOf(doc.orderId, doc.lineIndex),
        openRequestId: head?.openRequestId === doc._id ? null : (head?.openRequestId ?? null),
        opened: head?.opened ?? 0,
        refunded: (head?.refunded ?? 0) + (entry.status === 'refunded' ? doc.amount : 0),
        seed: null,
      }));
    await setDue(doc, entry);
    const current = await Requests.findById(doc._id, { statusVersion: 1 }).lean<
      Pick<RequestDoc, 'statusVersion'>
    >();
    if (current && current.statusVersion < entry.version)
      await Requests.updateOne(
        { _id: doc._id },
        {
          $set: {
            status: entry.status,
            statusVersion: entry.version,
            deadlineAt: entry.deadlineAt,
            queueAt: entry.deadlineAt ?? (entry.status === 'escalated' ? entry.at : NO_DEADLINE),
            updatedAt: entry.at,
          },
        },
      );
    await deps.bus.publish(`aftersales.${entry.event}`, {
      requestId: doc._id,
      orderId: doc.orderId,
      buyerId: doc.buyerId,
      sellerId: doc.sellerId,
      status: entry.status,
      event: entry.event,
      amount: doc.amount,
      version: entry.version,
      at: entry.at.toISOString(),
    });
  }

  function refundTask(doc: RequestDoc, head: AfterSalesEventDoc): RefundTask {
    return {
      requestId: doc._id,
      orderId: doc.orderId,
      orderNumber: doc.orderNumber,
      buyerId: doc.buyerId,
      sellerId: doc.sellerId,
      sku: doc.sku,
      productId: doc.productId,
      type: doc.type,
      qty: doc.qty,
      amount: doc.amount,
      resellable: head.resellable === true,
    };
  }

  /** Runs the refund of a request in `refunding`; a failure is left to the deadline job, which retries. */
  async function refundNow(doc: RequestDoc, head: AfterSalesEventDoc): Promise<void> {
    try {
      await deps.effects.refund(refundTask(doc, head));
    } catch (err) {
      deps.log.error({ err, requestId: doc._id }, 'after-sales refund failed; the deadline job retries it');
    }
  }

  /**
   * Moves a request to `to` if the machine allows it and `role` may make the move: 409 for a state
   * problem, 403 for a role problem. Concurrent moves are serialized by the request's stream.
   */
  async function move(
    doc: RequestDoc,
    to: AfterSalesStatus,
    actor: { id: string | null; role: AfterSalesRole },
    note: string,
    extra: Partial<Pick<AfterSalesEventDoc, 'tracking' | 'resellable' | 'rejection'>> = {},
    opts: {
      ref?: string;
      expectVersion?: number;
      /** A further refusal from the head (a 409 with its code and message), or `stale` to skip quietly. */
      guard?: (head: AfterSalesEventDoc) => AfterSalesConflictError | 'stale' | null;
    } = {},
  ): Promise<AfterSalesEventDoc | null> {
    let problem: 'state' | 'role' | 'stale' | AfterSalesConflictError | null = null;
    let from: AfterSalesStatus = 'requested';
    const decide = (head: AfterSalesEventDoc | null) => {
      from = head?.status ?? 'requested';
      if (!head || (opts.expectVersion !== undefined && head.version !== opts.expectVersion)) {
        problem = 'stale';
        return null;
      }
      const roles = afterSalesRoles(from, to);
      if (!roles.length) {
        problem = 'state';
        return null;
      }
      if (!roles.includes(actor.role)) {
        problem = 'role';
        return null;
      }
      problem = opts.guard?.(head) ?? null;
      if (problem) return null;
      const at = now();
      return {
        requestId: doc._id,
        event: eventFor(from, to),
        status: to,
        actorId: actor.id,
        actorRole: actor.role,
        note: note.slice(0, 500),
        deadlineAt: deadlineFor(to, at),
        tracking: extra.tracking ?? head.tracking,
        resellable: extra.resellable ?? head.resellable,
        rejection: extra.rejection ?? head.rejection,
        pickup: head.pickup ?? null,
        pickups: head.pickups ?? 0,
      };
    };
    const result = opts.ref
      ? await events.appendOnce(doc._id, opts.ref, decide)
      : await events.append(doc._id, decide);
    if (result.status === 'already') return null;
    if (result.status !== 'appended') {
      if (problem === 'stale') return null;
      const refusal = problem as unknown;
      if (refusal instanceof AfterSalesConflictError) throw refusal;
      if (problem === 'role')
        throw new ForbiddenError(
          `Only the ${afterSalesRoles(from, to).join(' or ')} can make a ${statusWords(from)} request ${statusWords(to)}`,
        );
      throw new AfterSalesConflictError(
        'aftersales_state',
        `A request that is ${statusWords(from)} cannot become ${statusWords(to)}`,
        { status: from },
      );
    }
    await settle(doc, result.entry);
    if (result.entry.status === 'refunding') await refundNow(doc, result.entry);
    return result.entry;
  }

  /** Writes the request's first event, document and deadline from its seed (again after a crash). */
  async function materialize(seed: RequestSeed): Promise<RequestDoc> {
    const deadlineAt = new Date(seed.createdAt.getTime() + deps.config.sellerResponseMs);
    const opened = await events.appendOnce(seed._id, 'opened', (head) =>
      head
        ? 'unchanged'
        : {
            requestId: seed._id,
            event: 'opened',
            status: 'requested',
            actorId: seed.buyerId,
            actorRole: 'buyer',
            note: seed.description.slice(0, 500),
            deadlineAt,
            tracking: null,
            resellable: null,
            rejection: null,
            pickup: null,
            pickups: 0,
          },
    );
    const doc: RequestDoc = {
      ...seed,
      status: 'requested',
      statusVersion: 0,
      deadlineAt,
      queueAt: deadlineAt,
      updatedAt: seed.createdAt,
    };
    await Requests.updateOne({ _id: seed._id }, { $setOnInsert: doc }, { upsert: true }).catch(
      (err: unknown) => {
        if ((err as { code?: number }).code !== 11000) throw err;
      },
    );
    await deps.evidence.attach(seed.evidenceIds, seed.buyerId, seed._id, seed.sellerId);
    if (opened.status === 'appended' || opened.status === 'already' || opened.status === 'unchanged') {
      const first = opened.entry.version === 1 ? opened.entry : await events.latest(seed._id);
      if (first && first.version === 1) await settle(doc, first);
    }
    return doc;
  }

  /** The seed of a line whose open was cut short by a crash, finished now. */
  async function finishOpening(line: AfterSalesLineDoc | null): Promise<void> {
    // Only a seed its opener has had time to finish: a fresh one is most likely being written right now.
    if (
      line?.seed &&
      line.openRequestId === line.seed._id &&
      now().getTime() - line.at.getTime() > OPENING_GRACE_MS &&
      !(await Requests.exists({ _id: line.seed._id }))
    )
      await materialize(line.seed);
  }

  async function allowances(order: Order): Promise<LineAllowance[]> {
    const heads = await Promise.all(order.lines.map((_, i) => lines.latest(lineKeyOf(order.id, i))));
    const delivered = deliveredAt(order);
    return order.lines.map((line, i) => ({
      lineIndex: i,
      sku: line.sku,
      maxAmount: maxFor(order, i, heads[i] ?? null),
      qty: line.qty,
      windowClosesAt: delivered ? new Date(delivered.getTime() + deps.config.windowMs) : null,
      openRequestId: heads[i]?.openRequestId ?? null,
    }));
  }

  function pageOf(docs: RequestDoc[], limit: number, views: AfterSalesRequest[]): QueuePage {
    const last = docs.at(-1);
    return {
      items: views,
      nextCursor: docs.length === limit && last ? `${last.queueAt.toISOString()}~${last._id}` : null,
    };
  }

  async function queue(filter: Record<string, unknown>, limit: number, cursor?: string) {
    const [at = '', id = ''] = cursor?.split('~') ?? [];
    const after = new Date(at);
    if (cursor && Number.isNaN(after.getTime()))
      throw new ValidationError([{ field: 'query.cursor', message: 'the nextCursor of the previous page' }]);
    const docs = await Requests.find({
      ...filter,
      ...(cursor && { $or: [{ queueAt: { $gt: after } }, { queueAt: after, _id: { $gt: id } }] }),
    })
      .sort({ queueAt: 1, _id: 1 })
      .limit(limit)
      .lean<RequestDoc[]>();
    return pageOf(docs, limit, await Promise.all(docs.map((d) => view(d))));
  }

  async function act(
    actor: Actor,
    requestId: string,
    to: (doc: RequestDoc, head: AfterSalesEventDoc) => AfterSalesStatus,
    note: string,
    extra: Partial<Pick<AfterSalesEventDoc, 'tracking' | 'resellable' | 'rejection'>> = {},
    guard?: (head: AfterSalesEventDoc) => AfterSalesConflictError | null,
  ): Promise<{
    request: AfterSalesRequest;
    role: AfterSalesRole;
    from: AfterSalesStatus;
    entry: AfterSalesEventDoc | null;
  }> {
    const { doc, role } = await loadFor(actor, requestId);
    const head = await events.latest(requestId);
    if (!head) throw new NotFoundError('After-sales request');
    const entry = await move(doc, to(doc, head), { id: actor.id, role }, note, extra, { guard });
    return { request: await view(doc), role, from: head.status, entry };
  }

  const pickups = createReturnPickups({
    events,
    Due,
    orders: deps.orders,
    effects: deps.effects,
    log: deps.log,
    config: deps.config,
    loadFor,
    load,
    view,
    settle,
    move,
    clock: now,
  });

  const approvedStatus = (doc: RequestDoc): AfterSalesStatus =>
    doc.type === 'return' ? 'awaiting_return' : 'refunding';

  return {
    lineShares,

    /** An order's lines as after-sales sees them (for the order page's "Request a return/refund"). */
    async forOrder(actor: Actor, orderId: string) {
      const { order } = await deps.orders.getFor(actor, orderId);
      const docs = await Requests.find({ orderId }).sort({ createdAt: 1 }).lean<RequestDoc[]>();
      return {
        lines: await allowances(order),
        requests: docs.map((d) => ({
          id: d._id,
          lineIndex: d.lineIndex,
          type: d.type,
          status: d.status,
          amount: d.amount,
          createdAt: d.createdAt,
        })),
      };
    },

    /** The buyer opens a request on a delivered line within the window. */
    async open(actor: Actor, orderId: string, input: OpenInput): Promise<AfterSalesRequest> {
      const { order, role } = await deps.orders.getFor(actor, orderId);
      if (role !== 'buyer')
        throw new ForbiddenError('Only the buyer of an order can ask for a return or refund');
      const line = order.lines[input.lineIndex];
      if (!line)
        throw new ValidationError([{ field: 'body.lineIndex', message: 'no such line in this order' }]);
      const delivered = deliveredAt(order);
      if (!delivered || !['delivered', 'completed'].includes(order.status))
        throw new AfterSalesConflictError(
          'aftersales_not_delivered',
          order.status === 'refunded'
            ? 'This order has been refunded in full'
            : 'A return or refund can be requested once the order is delivered',
          { status: order.status },
        );
      const closesAt = new Date(delivered.getTime() + deps.config.windowMs);
      if (now().getTime() > closesAt.getTime())
        throw new AfterSalesConflictError(
          'aftersales_window_closed',
          `The after-sales window for this order closed on ${closesAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          { closedAt: closesAt.toISOString() },
        );
      const qty = input.type === 'return' ? (input.qty ?? line.qty) : 0;
      if (input.type === 'return' && (qty < 1 || qty > line.qty))
        throw new ValidationError([{ field: 'body.qty', message: `from 1 to ${line.qty} units` }]);
      await deps.evidence.checkOwned(input.evidenceIds, actor.id);

      const key = lineKeyOf(orderId, input.lineIndex);
      await finishOpening(await lines.latest(key));
      let refusal: { openId: string } | { max: number } = { max: 0 };
      const createdAt = now();
      const claim = await lines.append(key, (head) => {
        if (head?.openRequestId) {
          refusal = { openId: head.openRequestId };
          return null;
        }
        const max = maxFor(order, input.lineIndex, head);
        if (input.amount > max) {
          refusal = { max };
          return null;
        }
        const opened = (head?.opened ?? 0) + 1;
        const seed: RequestSeed = {
          _id: `asr_${orderId}_${input.lineIndex}_${opened}`,
          orderId,
          orderNumber: order.number,
          lineIndex: input.lineIndex,
          sku: line.sku,
          productId: line.productId,
          itemName: line.name,
          image: line.image,
          buyerId: order.buyerId,
          sellerId: order.sellerId,
          shopName: order.shopName,
          type: input.type,
          reason: input.reason,
          description: input.description,
          amount: input.amount,
          qty,
          evidenceIds: input.evidenceIds,
          createdAt,
        };
        return { lineKey: key, openRequestId: seed._id, opened, refunded: head?.refunded ?? 0, seed };
      });
      if (claim.status !== 'appended' || !claim.entry.seed) {
        const r = refusal as { openId: string } | { max: number };
        if ('openId' in r)
          throw new AfterSalesConflictError(
            'aftersales_line_open',
            'This item already has an open after-sales request',
            { requestId: r.openId },
          );
        throw new ValidationError(
          [{ field: 'body.amount', message: `at most ${r.max} fen can be refunded for this item` }],
          'The amount is more than was paid for this item',
        );
      }
      const doc = await materialize(claim.entry.seed);
      return view(doc);
    },

    async get(actor: Actor, requestId: string) {
      const { doc, role } = await loadFor(actor, requestId);
      return { request: await view(doc), role };
    },

    /** Account erasure: the buyer's words and photos leave their requests (`./erasure.ts`). */
    anonymiseBuyer: createAfterSalesErasure(deps).anonymiseBuyer,

    async listForBuyer(buyerId: string, limit = 50): Promise<AfterSalesRequest[]> {
      const docs = await Requests.find({ buyerId })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .lean<RequestDoc[]>();
      return Promise.all(docs.map((d) => view(d)));
    },

    /** A seller's requests, soonest deadline first (those without one last). */
    sellerQueue(sellerId: string, opts: { status?: AfterSalesStatus; limit: number; cursor?: string }) {
      return queue({ sellerId, ...(opts.status && { status: opts.status }) }, opts.limit, opts.cursor);
    },

    /** Support's escalations, oldest first. */
    escalations(opts: { limit: number; cursor?: string }) {
      return queue({ status: 'escalated' }, opts.limit, opts.cursor);
    },

    approve: (actor: Actor, id: string) => act(actor, id, (doc) => approvedStatus(doc), ''),
    reject: (actor: Actor, id: string, reason: string) =>
      act(actor, id, () => 'rejected', reason, { rejection: reason }),
    shipReturn: (actor: Actor, id: string, tracking: ReturnTracking) =>
      act(
        actor,
        id,
        () => 'return_shipped',
        `${tracking.carrier} ${tracking.number}`,
        { tracking },
        (h) =>
          h.pickup
            ? new AfterSalesConflictError(
                'aftersales_pickup_booked',
                'A courier pickup is booked for this return: the courier collects the parcel',
                { deliveryId: h.pickup.deliveryId },
              )
            : null,
      ),
    /** The buyer books a courier to collect the return instead of sending it (once per request). */
    bookPickup: pickups.book,
    /** The booked courier picked the parcel up: the request is shipped, tracked by the delivery. */
    returnPickedUp: pickups.pickedUp,
    /** The booked pickup was cancelled before collection: the buyer may ship it or book again. */
    returnPickupCancelled: pickups.cancelled,
    confirmReceipt: (actor: Actor, id: string, resellable: boolean) =>
      act(actor, id, () => 'refunding', resellable ? 'Received; back on sale' : 'Received; not resellable', {
        resellable,
      }),
    escalate: (actor: Actor, id: string, note: string) => act(actor, id, () => 'escalated', note),
    async withdraw(actor: Actor, id: string) {
      const result = await act(actor, id, () => 'withdrawn', '');
      if (result.entry?.pickup) await pickups.callOff(result.entry);
      return result;
    },

    /** Support decides an escalation: approve (as asked) or close it; recorded in the audit log. */
    async decide(actor: Actor, id: string, outcome: 'approve' | 'close', note: string) {
      const head = await events.latest(id);
      if (head && head.status !== 'escalated')
        throw new AfterSalesConflictError(
          'aftersales_state',
          `Support decides escalated requests; this one is ${statusWords(head.status)}`,
          { status: head.status },
        );
      const result = await act(
        actor,
        id,
        (doc) => (outcome === 'approve' ? approvedStatus(doc) : 'closed'),
        note,
      );
      await deps.audit.record({
        actor: { id: actor.id, roles: actor.roles },
        action: outcome === 'approve' ? 'aftersale.approved' : 'aftersale.closed',
        target: { type: 'aftersale', id },
        before: { status: result.from },
        after: { status: result.request.status, amount: result.request.amount },
        reason: note || null,
      });
      return result;
    },

    /** The refund flow's last after-sales step: the request is refunded (exactly once). */
    async completeRefund(requestId: string): Promise<void> {
      const doc = await load(requestId);
      await move(doc, 'refunded', { id: null, role: 'system' }, '', {}, { ref: 'refunded' });
    },

    /**
     * The deadline job: silent sellers approve, unshipped returns close, unfinished refunds run again.
     * Each due entry names the version it was set at; a request that moved since is skipped.
     */
    async runDue(limit = 200): Promise<{ approved: number; closed: number; refunds: number }> {
      const due = await Due.find({ dueAt: { $lte: now() } })
        .sort({ dueAt: 1 })
        .limit(limit)
        .lean<DueDoc[]>();
      const done = { approved: 0, closed: 0, refunds: 0 };
      for (const d of due) {
        const doc = await Requests.findById(d.requestId).lean<RequestDoc>();
        const head = await events.latest(d.requestId);
        if (!doc || !head || head.version !== d.version) {
          await Due.deleteOne({ _id: d._id, version: d.version });
          continue;
        }
        const system = { id: null, role: 'system' as const };
        if (d.kind === 'seller_response') {
          const hours = Math.round(deps.config.sellerResponseMs / HOUR_MS);
          const moved = await move(
            doc,
            approvedStatus(doc),
            system,
            `Approved automatically: the seller did not answer within ${hours} h`,
            {},
            { expectVersion: d.version },
          );
          if (moved) done.approved++;
        } else if (d.kind === 'return_shipment') {
          const moved = await move(
            doc,
            'closed',
            system,
            'Closed: the return was not shipped in time',
            {},
            { expectVersion: d.version },
          );
          if (moved) done.closed++;
        } else if (d.kind === 'pickup') {
          await pickups.runDue(doc, head, d);
        } else {
          await deps.effects.refund(refundTask(doc, head));
          done.refunds++;
        }
      }
      return done;
    },
  };
}

export type AfterSalesService = ReturnType<typeof createAfterSalesService>;
