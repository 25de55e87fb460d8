import type { Connection, Model } from 'mongoose';
import type { Clock } from '../clock';
import type { DomainEvents, EventBus } from '../events';
import type { JobContext, JobHandler, JobQueue } from '../jobs';
import type { Logger } from '../logger';
import {
  countKey,
  favouriteCountLedger,
  favouriteModels,
  type FavouriteAlertDoc,
  type FavouriteDoc,
} from './model';
import { FANOUT_BATCH } from './types';

export const FAVOURITE_PRICE_DROP_JOB = 'favourites.price_drop';
export const FAVOURITE_RESTOCK_JOB = 'favourites.back_in_stock';

/** One occurrence to tell a product's favouriters about, and where the previous batch stopped. */
interface OccurrenceBase {
  productId: string;
  sku: string;
  at: string;
  /** The last favourite `_id` the previous batch covered; null for the first batch. */
  after: string | null;
}
export interface PriceDropJob extends OccurrenceBase {
  oldPrice: number;
  newPrice: number;
  priceVersion: number;
}
export interface RestockJob extends OccurrenceBase {
  available: number;
  stockVersion: number;
}

/** Inserts the documents in one round trip, tolerating duplicates; says which ones went in. */
async function insertNew(model: Model<FavouriteAlertDoc>, docs: FavouriteAlertDoc[]) {
  const inserted = docs.map(() => true);
  if (!docs.length) return inserted;
  try {
    await model.collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: Array<{ index: number; code?: number }> }).writeErrors;
    if (!Array.isArray(writeErrors) || writeErrors.length === 0) throw err;
    for (const e of writeErrors) {
      if (e.code !== 11000) throw err;
      inserted[e.index] = false;
    }
  }
  return inserted;
}

/**
 * Turns price drops and restocks of favourited products into one `favourite.*` event per favouriter.
 *
 * The request that changed the price only enqueues a durable job (and only when the product has
 * favouriters: one count-stream read). The job walks the favouriters in `_id` order, FANOUT_BATCH at a
 * time, each batch a job of its own keyed by where it starts, so 100,000 favouriters are 200 short jobs
 * that survive restarts. Exactly once per occurrence: every alert is a unique insert with a
 * deterministic `_id`, and only the attempt that inserted it publishes its event — except that a retried
 * attempt also publishes the duplicates it meets, because its predecessor may have died between
 * inserting and publishing; consumers drop such repeats by the event's `id`.
 */
export function createFavouriteFanout(deps: {
  connection: Connection;
  bus: EventBus;
  queue: JobQueue;
  log: Logger;
  clock?: Clock;
}) {
  const { Favourites, FavouriteAlerts } = favouriteModels(deps.connection);
  const counts = favouriteCountLedger(deps.connection, deps.clock);

  const hasFavouriters = async (productId: string) =>
    ((await counts.latest(countKey('product', productId)))?.count ?? 0) > 0;

  async function onPricesChanged(e: DomainEvents['product.prices_changed']): Promise<void> {
    const drops = e.changes.filter((c) => c.newPrice < c.oldPrice);
    if (!drops.length || !(await hasFavouriters(e.productId))) return;
    for (const drop of drops) {
      const job: PriceDropJob = {
        productId: e.productId,
        ...drop,
        priceVersion: e.version,
        at: e.at,
        after: null,
      };
      await deps.queue.enqueue(FAVOURITE_PRICE_DROP_JOB, job, {
        dedupeKey: `pricedrop:${drop.sku}:${e.version}:`,
      });
    }
  }

  async function onStockChanged(e: DomainEvents['stock.changed']): Promise<void> {
    if (e.previousAvailable !== 0 || e.available <= 0 || !(await hasFavouriters(e.productId))) return;
    const job: RestockJob = {
      productId: e.productId,
      sku: e.sku,
      available: e.available,
      stockVersion: e.version,
      at: e.at,
      after: null,
    };
    await deps.queue.enqueue(FAVOURITE_RESTOCK_JOB, job, { dedupeKey: `restock:${e.sku}:${e.version}:` });
  }

  /** The next FANOUT_BATCH favouriters of the product after `after`, in `_id` order. */
  function favouriters(productId: string, after: string | null) {
    return Favourites.find(
      { kind: 'product', targetId: productId, ...(after && { _id: { $gt: after } }) },
      { _id: 1, userId: 1 },
    )
      .sort({ _id: 1 })
      .limit(FANOUT_BATCH)
      .lean<Pick<FavouriteDoc, '_id' | 'userId'>[]>();
  }

  /** One batch: insert the alerts, publish the new ones, queue the next batch. */
  async function runBatch<J extends OccurrenceBase>(
    type: string,
    occurrence: string,
    job: J,
    ctx: JobContext,
    toAlert: (userId: string, id: string) => FavouriteAlertDoc,
    publish: (alert: FavouriteAlertDoc) => Promise<void>,
  ) {
    const batch = await favouriters(job.productId, job.after);
    const alerts = batch.map((f) => toAlert(f.userId, `${occurrence}:${f.userId}`));
    const inserted = await insertNew(FavouriteAlerts, alerts);
    let published = 0;
    for (const [i, alert] of alerts.entries()) {
      if (!inserted[i] && ctx.attempt === 1) continue;
      await publish(alert);
      published++;
    }
    const last = batch[batch.length - 1];
    if (batch.length === FANOUT_BATCH && last)
      await deps.queue.enqueue(type, { ...job, after: last._id }, { dedupeKey: `${occurrence}:${last._id}` });
    return { favouriters: batch.length, published, more: batch.length === FANOUT_BATCH };
  }

  const priceDrop: JobHandler<PriceDropJob> = (job, ctx) => {
    const occurrence = `pricedrop:${job.sku}:${job.priceVersion}`;
    return runBatch(
      FAVOURITE_PRICE_DROP_JOB,
      occurrence,
      job,
      ctx,
      (userId, id) => ({
        _id: id,
        userId,
        type: 'price_dropped',
        productId: job.productId,
        sku: job.sku,
        oldPrice: job.oldPrice,
        newPrice: job.newPrice,
        available: null,
        at: new Date(job.at),
      }),
      (a) =>
        deps.bus.publish('favourite.price_dropped', {
          id: a._id,
          userId: a.userId,
          productId: job.productId,
          sku: job.sku,
          oldPrice: job.oldPrice,
          newPrice: job.newPrice,
          priceVersion: job.priceVersion,
          at: job.at,
        }),
    );
  };

  const restock: JobHandler<RestockJob> = (job, ctx) => {
    const occurrence = `restock:${job.sku}:${job.stockVersion}`;
    return runBatch(
      FAVOURITE_RESTOCK_JOB,
      occurrence,
      job,
      ctx,
      (userId, id) => ({
        _id: id,
        userId,
        type: 'back_in_stock',
        productId: job.productId,
        sku: job.sku,
        oldPrice: null,
        newPrice: null,
        available: job.available,
        at: new Date(job.at),
      }),
      (a) =>
        deps.bus.publish('favourite.back_in_stock', {
          id: a._id,
          userId: a.userId,
          productId: job.productId,
          sku: job.sku,
          available: job.available,
          stockVersion: job.stockVersion,
          at: job.at,
        }),
    );
  };

  return {
    /**
     * Listens for price and stock changes published by this process (each process enqueues for its
     * own changes; the job's dedupe key would absorb a second enqueue anyway). Returns the unsubscribe.
     */
    startWatcher(): () => void {
      const logged = (what: string) => (err: unknown) =>
        deps.log.error({ err }, `favourites: could not queue the ${what} fan-out`);
      const offs = [
        deps.bus.subscribe('product.prices_changed', (e) => onPricesChanged(e).catch(logged('price drop')), {
          origin: 'local',
        }),
        deps.bus.subscribe('stock.changed', (e) => onStockChanged(e).catch(logged('restock')), {
          origin: 'local',
        }),
      ];
      return () => offs.forEach((off) => off());
    },
    jobHandlers: { [FAVOURITE_PRICE_DROP_JOB]: priceDrop, [FAVOURITE_RESTOCK_JOB]: restock } as Record<
      string,
      JobHandler
    >,
  };
}

export type FavouriteFanout = ReturnType<typeof createFavouriteFanout>;
