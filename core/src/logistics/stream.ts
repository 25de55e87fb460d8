import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { EventBus } from '../events';
import type { Ledger } from '../ledger';
import type { Logger } from '../logger';
import type { DeliveryDoc, DeliveryEventDoc, LogisticsModels, TrackDoc } from './model';
import { decideMove, FINAL_DELIVERY_STATUSES } from './state';
import type { DeliveryActor, DeliveryEventKind, DeliveryStatus } from './types';
import { type Clock } from '../clock';

/** Side effects of a delivery event (the next offer, capacity, alerts, the order); idempotent. */
export type DeliveryStreamEffects = (
  doc: DeliveryDoc,
  entry: DeliveryEventDoc,
  from: DeliveryStatus,
) => Promise<void>;

export type EntryFields = Omit<DeliveryEventDoc, '_id' | 'version' | 'at' | 'ref' | 'deliveryId'>;

/** The head's state carried into the next entry, with the event's own changes on top. */
export function nextEntry(
  head: DeliveryEventDoc,
  event: DeliveryEventKind,
  status: DeliveryStatus,
  actor: DeliveryActor,
  note: string,
  patch: Partial<EntryFields> = {},
): EntryFields {
  return {
    event,
    status,
    courierId: head.courierId,
    courierName: head.courierName,
    offer: head.offer,
    declined: head.declined,
    dueAt: head.dueAt,
    late: head.late,
    attempts: head.attempts,
    proof: null,
    actorId: actor.id,
    actorRole: actor.role,
    note: note.slice(0, 500),
    ...patch,
  };
}

export interface MoveOptions {
  note?: string;
  /** Extra conditions on the head (the courier's own delivery, an offer still open…): a refusal or null. */
  guard?: (head: DeliveryEventDoc) => { forbidden: boolean; reason: string } | null;
  patch?: (head: DeliveryEventDoc) => Partial<EntryFields>;
}

/**
 * A delivery's event stream and how an event takes effect: append (the ledger decides races), run the
 * effects, copy the head onto the document and the open working set, publish `delivery.updated`. The
 * document's `version` marks how far effects ran, so `catchUp` finishes whatever a crash cut short.
 */
export function createDeliveryStream(deps: {
  models: LogisticsModels;
  events: Ledger<DeliveryEventDoc>;
  bus: EventBus;
  log: Logger;
  /** Run after each event is recorded, before the document and the bus hear of it (effects.ts). */
  effects: DeliveryStreamEffects;
  clock: Clock;
}) {
  const { Deliveries, OpenDeliveries, Tracks } = deps.models;

  async function find(id: string): Promise<DeliveryDoc | null> {
    return Deliveries.findById(id).lean<DeliveryDoc>();
  }

  async function load(id: string): Promise<DeliveryDoc> {
    const doc = await find(id);
    if (!doc) throw new NotFoundError('Delivery');
    return doc;
  }

  async function head(id: string): Promise<DeliveryEventDoc> {
    const latest = await deps.events.latest(id);
    if (!latest) throw new NotFoundError('Delivery');
    return latest;
  }

  /** Copies the head onto the document and the working set (by `_id` only: FerretDB scans otherwise). */
  async function project(doc: DeliveryDoc, entry: DeliveryEventDoc): Promise<void> {
    const current = await Deliveries.findById(doc._id, { version: 1 }).lean<Pick<DeliveryDoc, 'version'>>();
    if (current && current.version >= entry.version) return;
    const fields = {
      status: entry.status,
      version: entry.version,
      courierId: entry.courierId,
      courierName: entry.courierName,
      offerCourierId: entry.offer?.courierId ?? null,
      offerExpiresAt: entry.offer?.expiresAt ?? null,
      dueAt: entry.dueAt,
      late: entry.late,
    };
    await Deliveries.updateOne({ _id: doc._id }, { $set: { ...fields, updatedAt: entry.at } });
    if (FINAL_DELIVERY_STATUSES.has(entry.status)) {
      await OpenDeliveries.deleteOne({ _id: doc._id });
    } else {
      await OpenDeliveries.updateOne(
        { _id: doc._id },
        { $set: fields, $setOnInsert: { createdAt: doc.createdAt } },
        { upsert: true },
      ).catch(async (err: unknown) => {
        if ((err as { code?: number }).code !== 11000) throw err;
        await OpenDeliveries.updateOne({ _id: doc._id }, { $set: fields });
      });
    }
  }

  async function track(id: string): Promise<TrackDoc | null> {
    return Tracks.findById(id).lean<TrackDoc>();
  }

  async function announce(doc: DeliveryDoc, entry: DeliveryEventDoc): Promise<void> {
    const t = await track(doc._id);
    await deps.bus.publish('delivery.updated', {
      deliveryId: doc._id,
      kind: doc.kind ?? 'order',
      orderId: doc.orderId,
      buyerId: doc.buyerId,
      sellerId: doc.sellerId,
      // While an offer is open the offered courier is the one concerned (their app shows it).
      courierId: entry.courierId ?? entry.offer?.courierId ?? null,
      status: entry.status,
      etaAt: (t?.etaAt ?? entry.dueAt)?.toISOString() ?? null,
      late: entry.late,
      version: entry.version,
      at: entry.at.toISOString(),
    });
  }

  async function settle(doc: DeliveryDoc, entry: DeliveryEventDoc, from: DeliveryStatus): Promise<void> {
    // Effects first: if one fails, the document stays at the previous version and `catchUp` (the
    // reconcile job) runs them again; readers of one delivery see the stream's head meanwhile.
    await deps.effects(doc, entry, from);
    await project(doc, entry);
    await announce(doc, entry);
  }

  return {
    find,
    load,
    head,
    track,
    latest: (id: string) => deps.events.latest(id),
    history: (id: string, limit: number) => deps.events.history(id, limit),

    /** Writes the first event (once) and the document (once), then runs whatever effects are due. */
    async create(doc: DeliveryDoc, first: EntryFields): Promise<void> {
      await deps.events.appendOnce(doc._id, 'created', (h) =>
        h ? 'unchanged' : { ...first, deliveryId: doc._id },
      );
      await Deliveries.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true }).catch(
        (err: unknown) => {
          if ((err as { code?: number }).code !== 11000) throw err;
        },
      );
      await this.catchUp(doc._id);
    },

    /**
     * Appends `event` if the machine allows it from the head and `actor.role` may cause it (and the
     * guard agrees); throws the refusal otherwise (403 for who, 409 for when). Returns the new entry.
     */
    async move(
      id: string,
      event: Exclude<DeliveryEventKind, 'created'>,
      actor: DeliveryActor,
      opts: MoveOptions = {},
    ) {
      const doc = await load(id);
      let refusal: { forbidden: boolean; reason: string } | null = null;
      let from: DeliveryStatus = doc.status;
      const result = await deps.events.append(id, (h) => {
        if (!h) {
          refusal = { forbidden: false, reason: 'The delivery has no history yet' };
          return null;
        }
        from = h.status;
        const decided = decideMove(h.status, event, actor.role);
        if (!decided.ok) {
          refusal = decided;
          return null;
        }
        refusal = opts.guard?.(h) ?? null;
        if (refusal) return null;
        return {
          ...nextEntry(h, event, decided.to, actor, opts.note ?? '', opts.patch?.(h)),
          deliveryId: id,
        };
      });
      if (result.status !== 'appended') {
        const r = refusal as { forbidden: boolean; reason: string } | null;
        const reason = r?.reason ?? 'The delivery did not change';
        if (r?.forbidden) throw new ForbiddenError(reason);
        throw new ConflictError(reason, { status: from });
      }
      await settle(doc, result.entry, from);
      return result.entry;
    },

    /** Like `move`, but a refusal is returned instead of thrown (for the sweep and the order hooks). */
    async tryMove(
      id: string,
      event: Exclude<DeliveryEventKind, 'created'>,
      actor: DeliveryActor,
      opts: MoveOptions = {},
    ) {
      try {
        return await this.move(id, event, actor, opts);
      } catch (err) {
        if (err instanceof ConflictError || err instanceof ForbiddenError) return null;
        throw err;
      }
    },

    /** Runs the effects of events recorded after the document's version (after a crash). */
    async catchUp(id: string): Promise<number> {
      const doc = await load(id);
      const latest = await deps.events.latest(id);
      if (!latest || latest.version <= doc.version) return 0;
      const pending = (await deps.events.history(id, latest.version - doc.version + 1)).reverse();
      // `pending[0]` is the entry the document is at (or, for a new document, the first one).
      let done = 0;
      const start = doc.version === 0 ? 0 : 1;
      for (let i = start; i < pending.length; i++) {
        const from = i === 0 ? pending[0]!.status : pending[i - 1]!.status;
        await settle(doc, pending[i]!, from);
        done++;
      }
      return done;
    },
  };
}

export type DeliveryStream = ReturnType<typeof createDeliveryStream>;
