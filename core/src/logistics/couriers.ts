import type { Connection } from 'mongoose';
import { isDuplicateKeyError, NotFoundError } from '../errors';
import type { UserService } from '../users';
import {
  COURIER_SLOT_HEADS,
  courierSlots,
  type CourierDoc,
  type CourierPositionDoc,
  type CourierSlotDoc,
  type CourierSlotEntry,
  type LogisticsModels,
} from './model';
import type { CourierAvailability, CourierFix, CourierProfile } from './types';
import { type Clock } from '../clock';

export interface SlotClaim {
  id: string;
  /** False when the delivery already held this slot (a repeated accept): never release it on failure. */
  fresh: boolean;
}

function toFix(doc: CourierPositionDoc | null | undefined): CourierFix | null {
  if (!doc) return null;
  return {
    lat: doc.lat,
    lng: doc.lng,
    heading: doc.heading ?? null,
    speedKmh: doc.speedKmh ?? null,
    accuracy: doc.accuracy ?? null,
    at: doc.at,
  };
}

function heldSlot(entry: CourierSlotEntry | null): CourierSlotDoc | null {
  if (!entry?.deliveryId) return null;
  return { _id: entry.slot, courierId: entry.courierId, deliveryId: entry.deliveryId, at: entry.at };
}

/**
 * Couriers: profiles with availability, their latest fix, and capacity slots. A courier's capacity is
 * `capacity` slots `<courierId>:1…n`, each a stream on the ledger (model.ts); a delivery holds one from
 * acceptance to the end. Taking and freeing a slot are both inserts of the slot's next version, so no
 * courier carries more than `capacity` deliveries whatever races between accepts and releases, on one
 * app process or several.
 */
export function createCourierDirectory(deps: {
  connection: Connection;
  models: LogisticsModels;
  users: UserService;
  capacity: number;
  /** The freshest fix this process has seen (position ingestion keeps it); the database's otherwise. */
  liveFix: (courierId: string) => CourierFix | null;
  clock: Clock;
}) {
  const { Couriers, Positions } = deps.models;
  const slots = courierSlots(deps.connection, deps.clock);
  const slotHeads = deps.connection.collection<{ _id: string } & Omit<CourierSlotEntry, '_id'>>(
    COURIER_SLOT_HEADS,
  );
  const slotIds = (courierId: string) =>
    Array.from({ length: deps.capacity }, (_, i) => `${courierId}:${i + 1}`);

  /** The slots the courier's deliveries hold, read from each slot's stream (its head, not a hint). */
  async function slotsOf(courierId: string): Promise<CourierSlotDoc[]> {
    const heads = await Promise.all(slotIds(courierId).map((id) => slots.latest(id)));
    return heads.map(heldSlot).filter((s): s is CourierSlotDoc => s !== null);
  }

  /** Frees `slotId` if (and only if) `deliveryId` still holds it; true when this call freed it. */
  async function releaseSlot(slotId: string, deliveryId: string): Promise<boolean> {
    const result = await slots.append(slotId, (head) =>
      head?.deliveryId === deliveryId ? { slot: slotId, courierId: head.courierId, deliveryId: null } : null,
    );
    return result.status === 'appended';
  }

  async function position(courierId: string): Promise<CourierFix | null> {
    const live = deps.liveFix(courierId);
    if (live) return live;
    return toFix(await Positions.findById(courierId).lean<CourierPositionDoc>());
  }

  /** The profile, created on first use for any user with the courier role. */
  async function profileDoc(courierId: string): Promise<CourierDoc> {
    const existing = await Couriers.findById(courierId).lean<CourierDoc>();
    if (existing) return existing;
    const user = await deps.users.getUser(courierId);
    if (!user || !user.roles.includes('courier')) throw new NotFoundError('Courier');
    const doc: CourierDoc = {
      _id: courierId,
      name: user.name,
      availability: 'offline',
      updatedAt: deps.clock(),
    };
    await Couriers.create(doc).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
    return (await Couriers.findById(courierId).lean<CourierDoc>()) ?? doc;
  }

  async function profile(doc: CourierDoc): Promise<CourierProfile> {
    const [slots, fix] = await Promise.all([slotsOf(doc._id), position(doc._id)]);
    return {
      id: doc._id,
      name: doc.name,
      availability: doc.availability,
      capacity: deps.capacity,
      active: slots.length,
      position: fix,
    };
  }

  return {
    capacity: deps.capacity,
    slotsOf,
    position,
    profileDoc,

    async get(courierId: string): Promise<CourierProfile> {
      return profile(await profileDoc(courierId));
    },

    async setAvailability(courierId: string, availability: CourierAvailability): Promise<CourierProfile> {
      await profileDoc(courierId);
      // Only the courier writes their profile; positions live in their own collection.
      await Couriers.updateOne({ _id: courierId }, { $set: { availability, updatedAt: deps.clock() } });
      return this.get(courierId);
    },

    /** Every courier with a profile (a few dozen): for support's reassign picker and map. */
    async list(): Promise<CourierProfile[]> {
      const docs = await Couriers.find({}).sort({ name: 1 }).limit(500).lean<CourierDoc[]>();
      return Promise.all(docs.map(profile));
    },

    /** Couriers taking offers, with their fix (null when they never sent one) and slots held. */
    async online(): Promise<{ id: string; name: string; position: CourierFix | null; held: number }[]> {
      const docs = await Couriers.find({ availability: 'online' }).limit(500).lean<CourierDoc[]>();
      return Promise.all(
        docs.map(async (d) => {
          const [slots, fix] = await Promise.all([slotsOf(d._id), position(d._id)]);
          return { id: d._id, name: d.name, position: fix, held: slots.length };
        }),
      );
    },

    /**
     * Takes a free capacity slot for `deliveryId` (or finds the one it already holds, say because the
     * same accept arrived twice, on this process or another). Null when every slot is held by other
     * deliveries: the courier is fully booked.
     */
    async claimSlot(courierId: string, deliveryId: string): Promise<SlotClaim | null> {
      const held = await slotsOf(courierId);
      const mine = held.find((s) => s.deliveryId === deliveryId);
      if (mine) return { id: mine._id, fresh: false };
      const taken = new Set(held.map((s) => s._id));
      for (const id of slotIds(courierId)) {
        if (taken.has(id)) continue;
        // Decided on the slot's head: a racing claim for the same version makes this one re-read it.
        const result = await slots.append(id, (head) => {
          if (!head?.deliveryId) return { slot: id, courierId, deliveryId };
          return head.deliveryId === deliveryId ? 'unchanged' : null;
        });
        if (result.status === 'appended') return { id, fresh: true };
        if (result.status === 'unchanged') return { id, fresh: false };
      }
      return null;
    },

    releaseSlot,

    /** Frees whatever slot `deliveryId` holds with this courier (idempotent, and harmless when late). */
    async releaseDelivery(courierId: string, deliveryId: string): Promise<void> {
      for (const slot of await slotsOf(courierId))
        if (slot.deliveryId === deliveryId) await releaseSlot(slot._id, deliveryId);
    },

    /**
     * Slots held since before `before`, by the slot heads' hints (for the reconcile job to check against
     * their deliveries; a hint may trail, which `releaseSlot`'s check on the head makes harmless).
     */
    async slotsBefore(before: Date): Promise<CourierSlotDoc[]> {
      const hints = await slotHeads
        .find({ deliveryId: { $ne: null }, at: { $lt: before } })
        .limit(2000)
        .toArray();
      return hints.map(
        (h) => heldSlot({ ...h, _id: `${h._id}:${h.version}`, slot: h._id }) as CourierSlotDoc,
      );
    },

    async savePosition(courierId: string, fix: CourierFix): Promise<void> {
      const fields = {
        lat: fix.lat,
        lng: fix.lng,
        heading: fix.heading,
        speedKmh: fix.speedKmh,
        accuracy: fix.accuracy,
        at: fix.at,
      };
      await Positions.updateOne({ _id: courierId }, { $set: fields }, { upsert: true }).catch(
        async (err: unknown) => {
          // Two first upserts raced and the other inserted: update the document it made.
          if (!isDuplicateKeyError(err)) throw err;
          await Positions.updateOne({ _id: courierId }, { $set: fields });
        },
      );
    },

    /** For the demo seed: a courier's profile and first position in one go. */
    async seed(courier: { id: string; name: string; availability: CourierAvailability; fix: CourierFix }) {
      await Couriers.updateOne(
        { _id: courier.id },
        { $set: { name: courier.name, availability: courier.availability, updatedAt: deps.clock() } },
        { upsert: true },
      );
      await this.savePosition(courier.id, courier.fix);
    },
  };
}

export type CourierDirectory = ReturnType<typeof createCourierDirectory>;
