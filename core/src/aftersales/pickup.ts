import type { Actor } from '../catalog';
import type { Clock } from '../clock';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Ledger } from '../ledger';
import type { Logger } from '../logger';
import type { OrderService } from '../orders';
import type { AfterSalesEventDoc, AfterSalesModels, DueDoc, RequestDoc } from './model';
import type { AfterSalesEffects, PickupTask } from './service';
import {
  AfterSalesConflictError,
  type AfterSalesRequest,
  type AfterSalesRole,
  type AfterSalesStatus,
  type ReturnTracking,
} from './types';

type Move = (
  doc: RequestDoc,
  to: AfterSalesStatus,
  actor: { id: string | null; role: AfterSalesRole },
  note: string,
  extra: Partial<Pick<AfterSalesEventDoc, 'tracking'>>,
  opts: { ref?: string; guard?: (head: AfterSalesEventDoc) => AfterSalesConflictError | 'stale' | null },
) => Promise<AfterSalesEventDoc | null>;

/** The delivery of a request's n-th pickup: fixed by the booking, so a rerun finds the same delivery. */
export const pickupDeliveryId = (requestId: string, n: number) => `rt_${requestId}_${n}`;

/**
 * Courier pickups of returns, the after-sales half (the logistics half is `ensureReturnDelivery`, joined
 * by `core/src/flows/return-pickup.ts`). Booking is an entry on the request's stream that keeps the status
 * `awaiting_return` and names the pickup's delivery; two bookings racing (two tabs, two app processes)
 * compute the same next version and the unique insert lets one win — the other finds the pickup booked
 * and gets a 409. The delivery is created after the entry; the entry also leaves a due note, so a crash
 * in between is finished by the deadline job (creating the delivery is idempotent by its id).
 */
export function createReturnPickups(deps: {
  events: Ledger<AfterSalesEventDoc>;
  Due: AfterSalesModels['Due'];
  orders: Pick<OrderService, 'get'>;
  effects: AfterSalesEffects;
  log: Logger;
  config: { returnShipmentMs: number };
  loadFor: (actor: Actor, id: string) => Promise<{ doc: RequestDoc; role: AfterSalesRole }>;
  load: (id: string) => Promise<RequestDoc>;
  view: (doc: RequestDoc) => Promise<AfterSalesRequest>;
  settle: (doc: RequestDoc, entry: AfterSalesEventDoc) => Promise<void>;
  move: Move;
  clock: Clock;
}) {
  const { events } = deps;

  const taskOf = (doc: RequestDoc, deliveryId: string): PickupTask => ({
    requestId: doc._id,
    orderId: doc.orderId,
    deliveryId,
    itemName: doc.itemName,
  });

  /** Creates the pickup's delivery now; a failure is left to the deadline job, which runs it again. */
  async function createDelivery(doc: RequestDoc, entry: AfterSalesEventDoc): Promise<void> {
    if (!entry.pickup) return;
    try {
      await deps.effects.bookPickup(taskOf(doc, entry.pickup.deliveryId));
      await deps.Due.deleteOne({ _id: `${doc._id}:pickup`, version: entry.version });
    } catch (err) {
      deps.log.error(
        { err, requestId: doc._id },
        'return pickup not created yet; the deadline job retries it',
      );
    }
  }

  /** A state problem of booking, or null when the head may take a pickup. */
  function refusal(doc: RequestDoc, head: AfterSalesEventDoc | null): AfterSalesConflictError | null {
    if (doc.type !== 'return')
      return new AfterSalesConflictError('aftersales_state', 'A refund only has nothing to send back', {
        type: doc.type,
      });
    if (head?.pickup)
      return new AfterSalesConflictError(
        'aftersales_pickup_booked',
        'A courier pickup is already booked for this return',
        { deliveryId: head.pickup.deliveryId },
      );
    if (head?.status !== 'awaiting_return')
      return new AfterSalesConflictError(
        'aftersales_state',
        head?.status === 'requested'
          ? 'A courier pickup can be booked once the seller approves the return'
          : `A request that is ${(head?.status ?? 'unknown').replace('_', ' ')} cannot book a courier pickup`,
        { status: head?.status ?? null },
      );
    return null;
  }

  return {
    async book(actor: Actor, requestId: string) {
      const { doc, role } = await deps.loadFor(actor, requestId);
      if (role !== 'buyer')
        throw new ForbiddenError('Only the buyer of this request can book a courier pickup');
      const early = refusal(doc, await events.latest(requestId));
      if (early) throw early;
      const order = await deps.orders.get(doc.orderId);
      if (!order.delivery.address)
        throw new AfterSalesConflictError(
          'aftersales_state',
          'This order was collected at a pickup point, so there is no address for a courier to call at; ' +
            'send the return yourself and enter the tracking number',
          { field: 'delivery.address' },
        );
      let problem: AfterSalesConflictError | null = null;
      const result = await events.append(requestId, (head) => {
        problem = refusal(doc, head);
        if (problem || !head) return null;
        const n = (head.pickups ?? 0) + 1;
        const at = deps.clock();
        return {
          requestId,
          event: 'pickup_booked',
          status: head.status,
          actorId: actor.id,
          actorRole: 'buyer',
          note: `Courier pickup booked at ${order.delivery.address?.line1 ?? 'the order address'}`.slice(
            0,
            500,
          ),
          // The buyer has done their part: the courier's progress is logistics' to watch (late, failed).
          deadlineAt: null,
          tracking: head.tracking,
          resellable: head.resellable,
          rejection: head.rejection,
          pickup: { deliveryId: pickupDeliveryId(requestId, n), bookedAt: at },
          pickups: n,
        };
      });
      if (result.status !== 'appended')
        throw (
          (problem as AfterSalesConflictError | null) ??
          new AfterSalesConflictError('aftersales_state', 'Not booked')
        );
      await deps.settle(doc, result.entry);
      await createDelivery(doc, result.entry);
      return { request: await deps.view(doc), role };
    },

    /** The courier collected the parcel: `return_shipped`, tracked by the delivery (once per delivery). */
    async pickedUp(requestId: string, deliveryId: string, tracking: ReturnTracking, note: string) {
      const doc = await deps.load(requestId);
      return deps.move(
        doc,
        'return_shipped',
        { id: null, role: 'system' },
        note,
        { tracking },
        {
          ref: `picked_up:${deliveryId}`,
          // A pickup cancelled and booked again: only the current one's courier ships the request.
          guard: (head) => (head.pickup?.deliveryId === deliveryId ? null : 'stale'),
        },
      );
    },

    /** The pickup was cancelled before collection: it is cleared, and the buyer has a fresh deadline. */
    async cancelled(requestId: string, deliveryId: string, note: string) {
      const doc = await deps.load(requestId).catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
      if (!doc) return null;
      const result = await events.appendOnce(requestId, `pickup_cancelled:${deliveryId}`, (head) => {
        if (!head || head.status !== 'awaiting_return' || head.pickup?.deliveryId !== deliveryId)
          return 'unchanged';
        return {
          requestId,
          event: 'pickup_cancelled',
          status: head.status,
          actorId: null,
          actorRole: 'system',
          note: `Courier pickup cancelled${note ? `: ${note}` : ''}`.slice(0, 500),
          deadlineAt: new Date(deps.clock().getTime() + deps.config.returnShipmentMs),
          tracking: head.tracking,
          resellable: head.resellable,
          rejection: head.rejection,
          pickup: null,
          pickups: head.pickups ?? 0,
        };
      });
      if (result.status === 'appended') await deps.settle(doc, result.entry);
      return result.status === 'appended' ? result.entry : null;
    },

    /** A withdrawn request calls its courier off (a failure leaves the courier to support's console). */
    async callOff(entry: AfterSalesEventDoc): Promise<void> {
      if (!entry.pickup) return;
      const doc = await deps.load(entry.requestId);
      await deps.effects
        .cancelPickup(taskOf(doc, entry.pickup.deliveryId))
        .catch((err: unknown) =>
          deps.log.error({ err, requestId: doc._id }, 'could not call off the return pickup'),
        );
    },

    /** The deadline job's part: a booking whose delivery a crash left uncreated. */
    async runDue(doc: RequestDoc, head: AfterSalesEventDoc, due: DueDoc): Promise<void> {
      if (head.pickup) await deps.effects.bookPickup(taskOf(doc, head.pickup.deliveryId));
      await deps.Due.deleteOne({ _id: due._id, version: due.version });
    },
  };
}
