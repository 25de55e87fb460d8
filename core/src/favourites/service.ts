import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { BadRequestError, isDuplicateKeyError } from '../errors';
import {
  countKey,
  favouriteCountLedger,
  favouriteId,
  favouriteModels,
  type FavouriteAlertDoc,
  type FavouriteDoc,
} from './model';
import type { Favourite, FavouriteAlert, FavouriteKind } from './types';

const MAX_PAGE = 100;
const MAX_CONTAINS = 100;

function encodeCursor(doc: Pick<FavouriteDoc, 'createdAt' | '_id'>): string {
  return Buffer.from(`${doc.createdAt.toISOString()}|${doc._id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || rest.length === 0)
    throw new BadRequestError('Invalid cursor', { fields: [{ field: 'query.cursor', message: 'invalid' }] });
  return { createdAt, id: rest.join('|') };
}

export function toAlert(doc: FavouriteAlertDoc): FavouriteAlert {
  return doc.type === 'price_dropped'
    ? {
        id: doc._id,
        type: 'price_dropped',
        productId: doc.productId,
        sku: doc.sku,
        oldPrice: doc.oldPrice ?? 0,
        newPrice: doc.newPrice ?? 0,
        at: doc.at,
      }
    : {
        id: doc._id,
        type: 'back_in_stock',
        productId: doc.productId,
        sku: doc.sku,
        available: doc.available ?? 0,
        at: doc.at,
      };
}

/**
 * Shoppers' favourites (收藏): products and shops. Adding and removing are idempotent (one document per
 * shopper and target), and how many shoppers favourited a target is a count stream beside them.
 */
export function createFavouriteService(deps: { connection: Connection; clock?: Clock }) {
  const { Favourites, FavouriteAlerts } = favouriteModels(deps.connection);
  const counts = favouriteCountLedger(deps.connection, deps.clock);
  const now = deps.clock ?? systemClock;

  /** Moves the target's count by `delta` once for this addition (`+`) or its removal (`-`). */
  async function count(doc: FavouriteDoc, delta: 1 | -1): Promise<void> {
    const ref = `${delta > 0 ? '+' : '-'}${doc._id}@${doc.addId}`;
    await counts.appendOnce(countKey(doc.kind, doc.targetId), ref, (head) => ({
      target: countKey(doc.kind, doc.targetId),
      // A removal whose addition was never counted (a crash between the two writes) cannot go below 0.
      count: Math.max(0, (head?.count ?? 0) + delta),
      delta,
    }));
  }

  return {
    /** Favourites `targetId` (idempotent: a repeated add changes nothing). */
    async add(userId: string, kind: FavouriteKind, targetId: string): Promise<Favourite> {
      const doc: FavouriteDoc = {
        _id: favouriteId(userId, kind, targetId),
        userId,
        kind,
        targetId,
        addId: randomUUID(),
        createdAt: now(),
      };
      let saved = doc;
      try {
        await Favourites.create(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const existing = await Favourites.findById(doc._id).lean<FavouriteDoc>();
        // Removed again in between: the other request's removal stands, as if this click came first.
        if (!existing) return { kind, targetId, createdAt: doc.createdAt };
        saved = existing;
      }
      // Also on a repeat: it completes the count of an addition whose request died before counting.
      await count(saved, 1);
      return { kind, targetId, createdAt: saved.createdAt };
    },

    /** Removes the favourite, if there is one (idempotent). */
    async remove(userId: string, kind: FavouriteKind, targetId: string): Promise<void> {
      const existing = await Favourites.findById(favouriteId(userId, kind, targetId)).lean<FavouriteDoc>();
      if (!existing) return;
      await Favourites.deleteOne({ _id: existing._id });
      await count(existing, -1);
    },

    /** Which of `targetIds` the shopper favourited (one `_id` lookup each). */
    async contains(userId: string, kind: FavouriteKind, targetIds: string[]): Promise<string[]> {
      if (targetIds.length > MAX_CONTAINS)
        throw new BadRequestError(`At most ${MAX_CONTAINS} ids`, {
          fields: [{ field: 'query.ids', message: `at most ${MAX_CONTAINS}` }],
        });
      const found = await Promise.all(
        targetIds.map((id) => Favourites.exists({ _id: favouriteId(userId, kind, id) })),
      );
      return targetIds.filter((_, i) => found[i]);
    },

    /** A page of the shopper's favourites of one kind, newest first. */
    async list(
      userId: string,
      kind: FavouriteKind,
      opts: { limit?: number; cursor?: string } = {},
    ): Promise<{ items: Favourite[]; nextCursor: string | null }> {
      const limit = Math.min(Math.max(opts.limit ?? 24, 1), MAX_PAGE);
      const filter: Record<string, unknown> = { userId, kind };
      if (opts.cursor) {
        const { createdAt, id } = decodeCursor(opts.cursor);
        filter.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }];
      }
      const docs = await Favourites.find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit + 1)
        .lean<FavouriteDoc[]>();
      const page = docs.slice(0, limit);
      return {
        items: page.map((d) => ({ kind: d.kind, targetId: d.targetId, createdAt: d.createdAt })),
        nextCursor: docs.length > limit ? encodeCursor(page[page.length - 1]!) : null,
      };
    },

    /** How many shoppers favourited the target (one stream head read). */
    async count(kind: FavouriteKind, targetId: string): Promise<number> {
      return (await counts.latest(countKey(kind, targetId)))?.count ?? 0;
    },

    /** Everything kept about the shopper's favourites (the account export). */
    async exportFor(userId: string) {
      const [items, alerts] = await Promise.all([
        Favourites.find({ userId }).sort({ createdAt: -1, _id: -1 }).lean<FavouriteDoc[]>(),
        FavouriteAlerts.find({ userId }).sort({ at: -1, _id: -1 }).lean<FavouriteAlertDoc[]>(),
      ]);
      return {
        items: items.map((d) => ({ kind: d.kind, targetId: d.targetId, createdAt: d.createdAt })),
        alerts: alerts.map(toAlert),
      };
    },

    /**
     * Erases the shopper's favourites (each removal counted down, so shops' and products' counts stay
     * right) and their alerts (account erasure). Can run again.
     */
    async eraseFor(userId: string): Promise<void> {
      const docs = await Favourites.find({ userId }).lean<FavouriteDoc[]>();
      for (const doc of docs) {
        // Counted down first: the count's ref makes it once-only, so a re-run after a crash between
        // the two writes neither skips nor repeats it.
        await count(doc, -1);
        await Favourites.deleteOne({ _id: doc._id });
      }
      await FavouriteAlerts.deleteMany({ userId });
    },

    /** The shopper's latest "price dropped" and "back in stock" alerts, newest first. */
    async alerts(userId: string, limit = 50): Promise<FavouriteAlert[]> {
      const docs = await FavouriteAlerts.find({ userId })
        .sort({ at: -1, _id: -1 })
        .limit(Math.min(Math.max(limit, 1), MAX_PAGE))
        .lean<FavouriteAlertDoc[]>();
      return docs.map(toAlert);
    },
  };
}

export type FavouriteService = ReturnType<typeof createFavouriteService>;
