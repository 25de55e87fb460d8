import type { Actor } from '../catalog';
import { ConflictError, ForbiddenError } from '../errors';
import type { DeliveryAccess } from './access';
import type { Assignment } from './assignment';
import type { CodeCheck } from './codes';
import type { CourierDirectory } from './couriers';
import { estimateArrival } from './eta';
import type { DeliveryDoc, DeliveryEventDoc, LogisticsModels } from './model';
import type { ProofStore } from './proofs';
import { CARRYING, FINAL_DELIVERY_STATUSES } from './state';
import type { DeliveryStream } from './stream';
import type {
  CourierAvailability,
  DeliveryActor,
  DeliveryStatus,
  DeliverySummary,
  DeliveryView,
} from './types';
import { toSummary } from './views';
import { type Clock } from '../clock';

const courierActor = (courier: Actor): DeliveryActor => ({ id: courier.id, role: 'courier' });

/** A guard for moves only the courier carrying the delivery may make. */
const onlyTheCarrier = (courierId: string) => (h: DeliveryEventDoc) =>
  h.courierId === courierId
    ? null
    : { forbidden: true, reason: 'This delivery is carried by another courier' };

/**
 * What a courier does (the `/courier` app): go online or offline, see today's offers and deliveries,
 * accept or decline an offer, report each step, and deliver with the shopper's code or a photo.
 */
export function createCourierCommands(deps: {
  models: LogisticsModels;
  stream: DeliveryStream;
  couriers: CourierDirectory;
  assignment: Assignment;
  access: DeliveryAccess;
  proofs: ProofStore;
  checkCode: CodeCheck;
  averageSpeedKmh: number;
  clock: Clock;
}) {
  const { stream, couriers, access } = deps;
  const now = deps.clock;

  return {
    async setAvailability(courier: Actor, availability: CourierAvailability) {
      const profile = await couriers.setAvailability(courier.id, availability);
      if (availability === 'online') deps.assignment.offerWaitingSoon();
      return profile;
    },

    /** The courier's offers and deliveries in hand, and those finished since midnight (UTC). */
    async today(courierId: string): Promise<DeliverySummary[]> {
      const midnight = new Date(now());
      midnight.setUTCHours(0, 0, 0, 0);
      const [open, done] = await Promise.all([
        deps.models.OpenDeliveries.find(
          { $or: [{ courierId }, { offerCourierId: courierId }] },
          { _id: 1 },
        ).lean<{ _id: string }[]>(),
        deps.models.Deliveries.find({ courierId, updatedAt: { $gte: midnight } }, { _id: 1 })
          .limit(200)
          .lean<{ _id: string }[]>(),
      ]);
      const ids = [...new Set([...open, ...done].map((d) => d._id))];
      const docs = (await Promise.all(ids.map((id) => stream.find(id)))).filter((d): d is DeliveryDoc => !!d);
      const rank = (s: DeliveryStatus) => (s === 'assigned' ? 0 : FINAL_DELIVERY_STATUSES.has(s) ? 2 : 1);
      return docs
        .map(toSummary)
        .sort((a, b) => rank(a.status) - rank(b.status) || b.updatedAt.getTime() - a.updatedAt.getTime());
    },

    /**
     * Takes a capacity slot, then the delivery. A repeated accept (a double click, on any node) returns
     * the delivery it already holds; an accept that lost to a timeout or a reassignment gives its slot back.
     */
    async accept(courier: Actor, id: string): Promise<DeliveryView> {
      const head = await stream.head(id);
      if (head.status !== 'assigned' && head.courierId === courier.id) return access.viewFor(courier, id);
      if (head.offer?.courierId !== courier.id)
        throw new ForbiddenError('This delivery was not offered to you');
      if (head.offer.expiresAt <= now())
        throw new ConflictError('The offer has expired', { status: head.status });
      const slot = await couriers.claimSlot(courier.id, id);
      if (!slot)
        throw new ConflictError(`You already carry ${couriers.capacity} deliveries; finish one first`, {
          status: head.status,
        });
      const doc = await stream.load(id);
      const position = await couriers.position(courier.id);
      const profile = await couriers.profileDoc(courier.id);
      try {
        await stream.move(id, 'accepted', courierActor(courier), {
          guard: (h) =>
            h.offer?.courierId !== courier.id
              ? { forbidden: true, reason: 'This delivery was not offered to you' }
              : h.offer.expiresAt <= now()
                ? { forbidden: false, reason: 'The offer has expired' }
                : null,
          patch: () => ({
            courierId: courier.id,
            courierName: profile.name,
            offer: null,
            dueAt: estimateArrival({
              status: 'accepted',
              position,
              speedKmh: null,
              pickup: doc.pickup,
              dropoff: doc.dropoff,
              averageSpeedKmh: deps.averageSpeedKmh,
              now: now(),
            }),
          }),
        });
      } catch (err) {
        // Our own other click (on this process or another) got there first: the slot is the delivery's.
        const again = await stream.head(id);
        if (again.courierId === courier.id && CARRYING.has(again.status)) return access.viewFor(courier, id);
        // Lost to a timeout or a reassignment: give back the slot we took (if the delivery still holds it).
        if (slot.fresh) await couriers.releaseSlot(slot.id, id);
        throw err;
      }
      return access.viewFor(courier, id);
    },

    async decline(courier: Actor, id: string, reason: string): Promise<void> {
      await stream.move(id, 'declined', courierActor(courier), {
        note: reason,
        guard: (h) =>
          h.offer?.courierId === courier.id
            ? null
            : { forbidden: true, reason: 'This delivery was not offered to you' },
        patch: (h) => ({ offer: null, declined: [...h.declined, courier.id] }),
      });
    },

    async step(
      courier: Actor,
      id: string,
      event: 'picked_up' | 'in_transit' | 'failed_attempt' | 'returned',
      note = '',
    ): Promise<DeliveryView> {
      await stream.move(id, event, courierActor(courier), {
        note,
        guard: onlyTheCarrier(courier.id),
        patch: (h) => (event === 'failed_attempt' ? { attempts: h.attempts + 1 } : {}),
      });
      return access.viewFor(courier, id);
    },

    /** Proof of delivery by the code the shopper reads out, or by a photo of the parcel at the door. */
    async deliver(
      courier: Actor,
      id: string,
      proof: { code: string } | { photo: Buffer },
    ): Promise<DeliveryView> {
      const head = await stream.head(id);
      const guard = onlyTheCarrier(courier.id)(head);
      if (guard) throw new ForbiddenError(guard.reason);
      if (!['picked_up', 'in_transit'].includes(head.status))
        throw new ConflictError(
          `A delivery that is ${head.status.replaceAll('_', ' ')} cannot be delivered`,
          {
            status: head.status,
          },
        );
      const doc = await stream.load(id);
      let photo: string | null = null;
      if ('code' in proof) await deps.checkCode(id, proof.code, doc.deliveryCode, 'body.code');
      else photo = (await deps.proofs.save(id, proof.photo)).file;
      await stream.move(id, 'delivered', courierActor(courier), {
        guard: onlyTheCarrier(courier.id),
        patch: () => ({ proof: { kind: photo ? 'photo' : 'code', photo } }),
      });
      return access.viewFor(courier, id);
    },
  };
}

export type CourierCommands = ReturnType<typeof createCourierCommands>;
