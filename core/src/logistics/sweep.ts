import type { OpsAlerts } from '../alerts';
import type { Assignment } from './assignment';
import type { CourierDirectory } from './couriers';
import { estimateArrival } from './eta';
import type { LogisticsModels, OpenDeliveryDoc } from './model';
import { deliveryIdOf, type OrderLookup } from './order-deliveries';
import { CARRYING } from './state';
import type { DeliveryStream } from './stream';
import type { DeliveryStatus } from './types';
import { type Clock } from '../clock';

const SYSTEM = { id: null, role: 'system' as const };
/** A slot this old whose delivery is not carried by its courier was left by a crash mid-accept. */
const ORPHAN_SLOT_MS = 60_000;

/**
 * The periodic work of logistics, run as durable jobs (housekeeping): the frequent sweep over the small
 * `open_deliveries` set (expired offers move on, waiting deliveries get offers, late deliveries and
 * silent couriers raise alerts, each once per incident), and the hourly reconcile that finishes what a
 * crash cut short (effects of recorded events, deliveries following their orders, deliveries of accepted
 * orders, orphaned capacity slots).
 */
export function createLogisticsSweep(deps: {
  models: LogisticsModels;
  stream: DeliveryStream;
  couriers: CourierDirectory;
  alerts: OpsAlerts;
  assignment: Assignment;
  orders: Pick<OrderLookup, 'search'>;
  ensureDelivery: (orderId: string) => Promise<string | null>;
  /** Moves an open delivery along with its order (cancelled, delivered, shipped by the seller). */
  followOrder: (orderId: string) => Promise<void>;
  offerWaiting: () => Promise<number>;
  lateGraceMs: number;
  silentMs: number;
  averageSpeedKmh: number;
  clock: Clock;
}) {
  const { OpenDeliveries } = deps.models;

  async function expireOffer(id: string): Promise<boolean> {
    const entry = await deps.stream.tryMove(id, 'offer_expired', SYSTEM, {
      note: 'No answer in time',
      guard: (h) =>
        h.offer && h.offer.expiresAt <= deps.clock()
          ? null
          : { forbidden: false, reason: 'The offer is still open' },
      patch: (h) => ({ offer: null, declined: h.offer ? [...h.declined, h.offer.courierId] : h.declined }),
    });
    return entry !== null;
  }

  /** Late: past the promised time plus grace, or the live estimate says it will be. */
  async function checkLate(open: OpenDeliveryDoc): Promise<boolean> {
    if (open.late || !open.dueAt || !open.courierId) return false;
    const doc = await deps.stream.find(open._id);
    if (!doc) return false;
    const now = deps.clock();
    const fix = await deps.couriers.position(open.courierId);
    const eta = fix
      ? estimateArrival({
          status: open.status,
          position: fix,
          speedKmh: fix.speedKmh,
          pickup: doc.pickup,
          dropoff: doc.dropoff,
          averageSpeedKmh: deps.averageSpeedKmh,
          now,
        })
      : now;
    const deadline = open.dueAt.getTime() + deps.lateGraceMs;
    if (Math.max(now.getTime(), eta.getTime()) <= deadline) return false;
    const entry = await deps.stream.tryMove(open._id, 'late', SYSTEM, {
      note: `Expected by ${open.dueAt.toISOString()}`,
      guard: (h) => (h.late ? { forbidden: false, reason: 'Already late' } : null),
      patch: () => ({ late: true }),
    });
    return entry !== null;
  }

  /** Silent: the courier carrying it has sent no fix for `silentMs` (since acceptance, if none at all). */
  async function checkSilent(open: OpenDeliveryDoc): Promise<boolean> {
    if (!open.courierId) return false;
    const fix = await deps.couriers.position(open.courierId);
    const head = await deps.stream.latest(open._id);
    if (!head || !CARRYING.has(head.status) || head.courierId !== open.courierId) return false;
    const acceptedAt = head.at;
    const lastSeen = fix && fix.at > acceptedAt ? fix.at : acceptedAt;
    if (deps.clock().getTime() - lastSeen.getTime() <= deps.silentMs) return false;
    const doc = await deps.stream.find(open._id);
    if (!doc) return false;
    const minutes = Math.max(1, Math.round((deps.clock().getTime() - lastSeen.getTime()) / 60_000));
    return deps.alerts.raise(`silent:${open._id}:${lastSeen.getTime()}`, {
      kind: 'courier_silent',
      deliveryId: open._id,
      orderId: doc.orderId,
      courierId: open.courierId,
      message: `${head.courierName ?? 'The courier'} carrying order ${doc.orderNumber} has sent no position for ${minutes} min`,
    });
  }

  return {
    async sweep() {
      const open = await OpenDeliveries.find({}).limit(5000).lean<OpenDeliveryDoc[]>();
      const now = deps.clock();
      const result = { expired: 0, offered: 0, late: 0, silent: 0 };
      for (const o of open) {
        if (o.status === 'assigned' && o.offerExpiresAt && o.offerExpiresAt <= now) {
          if (await expireOffer(o._id)) result.expired++;
        } else if (CARRYING.has(o.status)) {
          if (await checkLate(o)) result.late++;
          if (await checkSilent(o)) result.silent++;
        }
      }
      result.offered = await deps.offerWaiting();
      return result;
    },

    async reconcile() {
      let caughtUp = 0;
      const open = await OpenDeliveries.find({}, { _id: 1 }).limit(5000).lean<{ _id: string }[]>();
      for (const { _id } of open) {
        caughtUp += await deps.stream.catchUp(_id);
        // The order's event may have been lost with a crashed process: follow the order as it is now.
        const doc = await deps.stream.find(_id);
        if (doc && (doc.kind ?? 'order') === 'order') await deps.followOrder(doc.orderId);
      }
      let created = 0;
      for (const order of await deps.orders.search({ status: 'accepted', limit: 1000 })) {
        const before = await deps.stream.find(deliveryIdOf(order.id));
        if (!before && (await deps.ensureDelivery(order.id))) created++;
      }
      let slotsFreed = 0;
      for (const slot of await deps.couriers.slotsBefore(new Date(deps.clock().getTime() - ORPHAN_SLOT_MS))) {
        const head = await deps.stream.latest(slot.deliveryId);
        if (head && CARRYING.has(head.status) && head.courierId === slot.courierId) continue;
        if (await deps.couriers.releaseSlot(slot._id, slot.deliveryId)) slotsFreed++;
      }
      return { caughtUp, created, slotsFreed };
    },

    /** Deliveries under way by status, how many run late, and how many were delivered today (UTC). */
    async counters(): Promise<{
      byStatus: Partial<Record<DeliveryStatus, number>>;
      late: number;
      deliveredToday: number;
    }> {
      const groups = await OpenDeliveries.aggregate<{ _id: DeliveryStatus; n: number }>([
        { $group: { _id: '$status', n: { $sum: 1 } } },
      ]);
      const midnight = new Date(deps.clock());
      midnight.setUTCHours(0, 0, 0, 0);
      const [late, deliveredToday] = await Promise.all([
        OpenDeliveries.countDocuments({ late: true }),
        deps.models.Deliveries.countDocuments({ status: 'delivered', updatedAt: { $gte: midnight } }),
      ]);
      return { byStatus: Object.fromEntries(groups.map((g) => [g._id, g.n])), late, deliveredToday };
    },
  };
}
