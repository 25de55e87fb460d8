import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../db/model';
import { isDuplicateKeyError } from '../errors';
import type { InventoryService, StockOwner } from '../inventory';
import { type Clock, systemClock } from '../clock';

/**
 * Stock held for an order line between checkout and payment. `_id` = `<orderId>:<sku>`.
 *
 * A reservation takes its units out of the SKU's available stock with a ledger movement applied exactly
 * once (`hold:<id>`). It then ends exactly one way, decided by a unique insert into
 * `reservation_outcomes`: `sold` (payment arrived) or `released` (expired or cancelled, which puts the
 * units back, again exactly once, as `release:<id>`). A paid order cancelled before shipping puts its units
 * back as `return:<id>`.
 *
 * Crash safety: holding writes the ledger then reads the outcome; releasing writes the outcome then
 * reads the ledger. Whichever runs second sees the other, so units held by a checkout that was being
 * released at the same moment still go back, once.
 */
export interface ReservationDoc {
  _id: string;
  orderId: string;
  checkoutId: string;
  sku: string;
  productId: string;
  sellerId: string;
  qty: number;
  expiresAt: Date;
  createdAt: Date;
}

interface OutcomeDoc {
  _id: string;
  outcome: 'sold' | 'released';
  at: Date;
}

const reservationSchema = new Schema<ReservationDoc>(
  {
    _id: String,
    orderId: { type: String, required: true },
    checkoutId: { type: String, required: true },
    sku: { type: String, required: true },
    productId: { type: String, required: true },
    sellerId: { type: String, required: true },
    qty: { type: Number, required: true, min: 1 },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
const outcomeSchema = new Schema<OutcomeDoc>(
  { _id: String, outcome: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

export type HoldResult = { ok: true } | { ok: false; available: number };

export function reservationId(orderId: string, sku: string) {
  return `${orderId}:${sku}`;
}

export function createReservationService(deps: {
  connection: Connection;
  inventory: InventoryService;
  clock?: Clock;
}) {
  const Reservations = modelOn<ReservationDoc>(
    deps.connection,
    'Reservation',
    reservationSchema,
    'reservations',
  );
  const Outcomes = modelOn<OutcomeDoc>(
    deps.connection,
    'ReservationOutcome',
    outcomeSchema,
    'reservation_outcomes',
  );
  const now = deps.clock ?? systemClock;
  const owner = (r: ReservationDoc): StockOwner => ({
    sku: r.sku,
    productId: r.productId,
    sellerId: r.sellerId,
  });

  async function outcomeOf(id: string): Promise<OutcomeDoc['outcome'] | null> {
    return (await Outcomes.findById(id).lean<OutcomeDoc>())?.outcome ?? null;
  }

  /** Claims the outcome; returns the outcome that won (ours or an earlier one). */
  async function settle(id: string, outcome: OutcomeDoc['outcome']): Promise<OutcomeDoc['outcome']> {
    try {
      await Outcomes.create({ _id: id, outcome, at: now() });
      return outcome;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return (await outcomeOf(id)) ?? outcome;
    }
  }

  async function putBack(r: ReservationDoc): Promise<void> {
    if (await deps.inventory.wasApplied(r.sku, `hold:${r._id}`))
      await deps.inventory.adjustStockOnce(owner(r), r.qty, `release:${r._id}`, 'release');
  }

  return {
    /** Records and applies a hold; idempotent for the same reservation. */
    async hold(input: Omit<ReservationDoc, '_id' | 'createdAt'>): Promise<HoldResult> {
      const doc: ReservationDoc = {
        ...input,
        _id: reservationId(input.orderId, input.sku),
        createdAt: now(),
      };
      await Reservations.create(doc).catch((err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
      if ((await outcomeOf(doc._id)) === 'released') return { ok: false, available: 0 };
      const result = await deps.inventory.adjustStockOnce(
        owner(doc),
        -doc.qty,
        `hold:${doc._id}`,
        'reservation',
      );
      if (!result.ok) return { ok: false, available: result.level.available };
      // A release may have claimed the outcome while we held: it may not have seen our movement.
      if ((await outcomeOf(doc._id)) === 'released') {
        await putBack(doc);
        return { ok: false, available: 0 };
      }
      return { ok: true };
    },

    /** Turns the hold into a sale. False when the reservation had already been released. */
    async sell(id: string): Promise<boolean> {
      return (await settle(id, 'sold')) === 'sold';
    },

    /** Ends an unpaid reservation and puts its units back; idempotent; no-op once sold. */
    async release(id: string): Promise<'released' | 'sold' | 'missing'> {
      const doc = await Reservations.findById(id).lean<ReservationDoc>();
      if (!doc) return 'missing';
      if ((await settle(id, 'released')) === 'sold') return 'sold';
      await putBack(doc);
      return 'released';
    },

    /** A sold line comes back to the shelf (a paid order cancelled before shipping); exactly once. */
    async returnSold(id: string): Promise<void> {
      const doc = await Reservations.findById(id).lean<ReservationDoc>();
      if (!doc || (await outcomeOf(id)) !== 'sold') return;
      await deps.inventory.adjustStockOnce(owner(doc), doc.qty, `return:${id}`, 'return');
    },
  };
}

export type ReservationService = ReturnType<typeof createReservationService>;
