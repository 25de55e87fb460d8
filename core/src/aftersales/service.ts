import type { Connection } from 'mongoose';
import type { AuditLog } from '../audit';
import type { Actor } from '../catalog';
import { type Clock, systemClock } from '../clock';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { OrderService } from '../orders';
import { createAfterSalesErasure } from './erasure';
import type { EvidencePhotos } from './evidence';
import { afterSalesModels, type DueDoc, type RequestDoc } from './model';
import { createOpening } from './opening';
import { createReturnPickups } from './pickup';
import { createRequestStream, statusWords } from './requests';
import {
  AfterSalesConflictError,
  type AfterSalesReason,
  type AfterSalesRequest,
  type AfterSalesStatus,
  type AfterSalesType,
  type ReturnTracking,
} from './types';

const HOUR_MS = 3_600_000;

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
  const models = afterSalesModels(deps.connection, deps.clock);
  const { Requests, Due, events } = models;
  const now = deps.clock ?? systemClock;
  const stream = createRequestStream({ ...deps, models, clock: now });
  const { load, loadFor, view, settle, move, act, queue, refundTask } = stream;
  const opening = createOpening({ ...deps, models, stream, clock: now });

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
    lineShares: opening.lineShares,
    /** An order's lines as after-sales sees them (for the order page's "Request a return/refund"). */
    forOrder: opening.forOrder,
    /** The buyer opens a request on a delivered line within the window. */
    open: opening.open,

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
