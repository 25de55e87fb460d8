import type { Actor } from '../catalog';
import type { Clock } from '../clock';
import { ForbiddenError, isDuplicateKeyError, NotFoundError, ValidationError } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { EvidencePhotos } from './evidence';
import type { AfterSalesEventDoc, AfterSalesModels, DueDoc, RequestDoc } from './model';
import type { AfterSalesEffects, QueuePage, RefundTask } from './service';
import { AFTERSALES_FINAL, afterSalesRoles } from './state';
import {
  AfterSalesConflictError,
  type AfterSalesEventName,
  type AfterSalesRequest,
  type AfterSalesRole,
  type AfterSalesStatus,
} from './types';

/** Sorts requests without a deadline after every deadline in the seller's queue. */
const NO_DEADLINE = new Date('9999-12-31T00:00:00Z');
const TIMELINE_LIMIT = 100;

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

export const statusWords = (s: AfterSalesStatus) => s.replace('_', ' ');

export function lineKeyOf(orderId: string, lineIndex: number) {
  return `${orderId}~${lineIndex}`;
}

/**
 * A request's stream and what follows each step: loading a request for an actor, its view with the
 * timeline, a move (allowed by the state machine and the actor's role, serialized by the stream), and
 * the step's consequences (the line freed, the deadlines, the copy on the document, the domain event).
 */
export function createRequestStream(deps: {
  models: AfterSalesModels;
  bus: EventBus;
  log: Logger;
  evidence: EvidencePhotos;
  effects: AfterSalesEffects;
  config: { returnShipmentMs: number };
  clock: Clock;
}) {
  const { Requests, Due, events, lines } = deps.models;
  const now = deps.clock;

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

  return { load, loadFor, view, settle, move, act, queue, refundTask };
}

export type RequestStream = ReturnType<typeof createRequestStream>;
