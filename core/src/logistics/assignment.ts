import { ConflictError, ValidationError } from '../errors';
import type { Logger } from '../logger';
import type { CourierDirectory } from './couriers';
import { haversineM } from './geo';
import type { DeliveryEventDoc, LogisticsModels, OpenDeliveryDoc } from './model';
import type { DeliveryStream } from './stream';
import type { DeliveryActor } from './types';
import { type Clock } from '../clock';

const SYSTEM: DeliveryActor = { id: null, role: 'system' };

/**
 * Offers deliveries to couriers: the nearest online courier (straight-line distance from the shop to the
 * courier's latest fix) who has not declined this delivery and has room, counting the slots they hold
 * and the offers they are still considering. That count is a soft filter: two nodes may offer two
 * deliveries to one courier at once, and then the capacity slots taken at acceptance (unique inserts)
 * are what keep the courier from being booked beyond capacity.
 */
export function createAssignment(deps: {
  models: LogisticsModels;
  stream: DeliveryStream;
  couriers: CourierDirectory;
  offerTimeoutMs: number;
  log: Logger;
  clock: Clock;
}) {
  async function pendingOffers(): Promise<Map<string, number>> {
    const open = await deps.models.OpenDeliveries.find({ status: 'assigned' }, { offerCourierId: 1 })
      .limit(5000)
      .lean<Pick<OpenDeliveryDoc, 'offerCourierId'>[]>();
    const counts = new Map<string, number>();
    for (const o of open)
      if (o.offerCourierId) counts.set(o.offerCourierId, (counts.get(o.offerCourierId) ?? 0) + 1);
    return counts;
  }

  /** Support's choice of courier: they must be working and have a free slot. */
  async function checkChosen(courierId: string): Promise<void> {
    const profile = await deps.couriers.get(courierId).catch(() => null);
    const field = (message: string) => [{ field: 'body.courierId', message }];
    if (!profile) throw new ValidationError(field('no courier with this id'));
    if (profile.availability === 'offline')
      throw new ConflictError(`${profile.name} is offline`, { fields: field('offline') });
    if (profile.active >= profile.capacity)
      throw new ConflictError(`${profile.name} already carries ${profile.active} deliveries`, {
        fields: field('fully booked'),
      });
  }

  /**
   * Offers a delivery waiting for a courier to `courierId` (support's pick) or to the nearest eligible
   * courier. Returns the `offered` entry, or null when nobody is available (the sweep tries again) or
   * another node offered it first.
   */
  async function offer(
    deliveryId: string,
    actor: DeliveryActor,
    courierId?: string,
  ): Promise<DeliveryEventDoc | null> {
    const head = await deps.stream.latest(deliveryId);
    if (head?.status !== 'awaiting_courier') return null;
    let target: string | undefined = courierId;
    if (target) {
      await checkChosen(target);
    } else {
      const doc = await deps.stream.load(deliveryId);
      const [online, pending] = await Promise.all([deps.couriers.online(), pendingOffers()]);
      const ranked = online
        .filter((c) => !head.declined.includes(c.id))
        .filter((c) => c.held + (pending.get(c.id) ?? 0) < deps.couriers.capacity)
        .map((c) => ({ id: c.id, distance: c.position ? haversineM(doc.pickup, c.position) : Infinity }))
        .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
      target = ranked[0]?.id;
    }
    if (!target) return null;
    const chosen = target;
    const expiresAt = new Date(deps.clock().getTime() + deps.offerTimeoutMs);
    return deps.stream.tryMove(deliveryId, 'offered', actor, {
      note: courierId ? 'Offered by support' : '',
      guard: (h) =>
        !courierId && h.declined.includes(chosen)
          ? { forbidden: false, reason: 'The courier declined this delivery before' }
          : null,
      patch: () => ({ offer: { courierId: chosen, expiresAt }, courierId: null, courierName: null }),
    });
  }

  /** Deliveries waiting for a courier get offers (a courier came online or finished one). */
  async function offerWaiting(): Promise<number> {
    const waiting = await deps.models.OpenDeliveries.find({ status: 'awaiting_courier' }, { _id: 1 })
      .sort({ createdAt: 1 })
      .limit(200)
      .lean<{ _id: string }[]>();
    let offered = 0;
    for (const { _id } of waiting) {
      const entry = await offer(_id, SYSTEM).catch(() => null);
      if (entry) offered++;
    }
    return offered;
  }

  return {
    checkChosen,
    offer,
    offerWaiting,

    /** Offers the delivery to the nearest courier; a failure only delays it to the next sweep. */
    async offerQuietly(deliveryId: string): Promise<void> {
      await offer(deliveryId, SYSTEM).catch((err: unknown) =>
        deps.log.warn({ err, deliveryId }, 'could not offer a delivery'),
      );
    },

    /**
     * `offerWaiting` off the caller's path, when a courier came online or a slot came free; a failure
     * only leaves the offers to the next sweep.
     */
    offerWaitingSoon(): void {
      setImmediate(() =>
        offerWaiting().catch((err: unknown) => deps.log.warn({ err }, 'could not offer waiting deliveries')),
      );
    },
  };
}

export type Assignment = ReturnType<typeof createAssignment>;
