import type { Connection } from 'mongoose';
import { type Clock, systemClock } from '../clock';
import { ConflictError, isDuplicateKeyError, NotFoundError } from '../errors';
import type { EventBus } from '../events';
import { newId } from '../ids';
import { shopModel, type ShopDoc } from './model';
import type { Shop, ShopStatus } from './types';

function toShop(doc: ShopDoc): Shop {
  return {
    id: doc._id,
    ownerId: doc.ownerId,
    name: doc.name,
    nameZh: doc.nameZh,
    slug: doc.slug,
    city: doc.city,
    status: doc.status ?? 'active',
    statusReason: doc.statusReason ?? null,
    statusChangedAt: doc.statusChangedAt ?? null,
    statusChangedBy: doc.statusChangedBy ?? null,
    ownerBlocked: doc.ownerBlocked ?? false,
    statusVersion: doc.statusVersion ?? 0,
    createdAt: doc.createdAt,
  };
}

export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{Letter}\p{Number}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug || 'shop';
}

/** The moves staff may make: approval opens a pending shop, suspension and reinstatement toggle a live one. */
const ALLOWED_MOVES: Record<ShopStatus, readonly ShopStatus[]> = {
  pending: ['active'],
  active: ['suspended'],
  suspended: ['active'],
};

export interface ShopStatusChange {
  before: Shop;
  after: Shop;
}

export function createShopService(deps: { connection: Connection; bus: EventBus; clock?: Clock }) {
  const Shops = shopModel(deps.connection);
  const now = deps.clock ?? systemClock;
  // Shops are read on every listing, cart line and search hit. The cache is per process; a status change
  // is published (`shop.status_changed`) and every process's listing projector calls `forget` on it.
  const cache = new Map<string, Shop>();

  async function load(id: string): Promise<ShopDoc> {
    const doc = await Shops.findById(id).lean<ShopDoc>();
    if (!doc) throw new NotFoundError('Shop');
    return doc;
  }

  /**
   * Writes a status change and announces it. Staff act on a shop one at a time, so a plain update by
   * `_id` is enough (docs/ARCHITECTURE.md, "The store on FerretDB 1.24": nothing contended rests on it);
   * `statusVersion` lets read models ignore an older announcement that arrives late.
   */
  async function change(doc: ShopDoc, set: Partial<ShopDoc>): Promise<ShopStatusChange> {
    const next = { ...set, statusVersion: (doc.statusVersion ?? 0) + 1 };
    await Shops.updateOne({ _id: doc._id }, { $set: next });
    const before = toShop(doc);
    const after = toShop({ ...doc, ...next });
    cache.set(after.id, after);
    await deps.bus.publish('shop.status_changed', {
      shopId: after.id,
      ownerId: after.ownerId,
      status: after.status,
      ownerBlocked: after.ownerBlocked,
      version: after.statusVersion,
      at: now().toISOString(),
    });
    return { before, after };
  }

  return {
    async createShop(input: {
      ownerId: string;
      name: string;
      nameZh?: string;
      city?: string;
      id?: string;
      slug?: string;
      status?: ShopStatus;
    }) {
      const base = input.slug ?? slugify(input.name);
      // The unique slug index decides races; retry with a suffix a few times.
      for (let attempt = 0; attempt < 5; attempt++) {
        const slug = attempt === 0 ? base : `${base}-${Math.random().toString(36).slice(2, 6)}`;
        try {
          const doc = await Shops.create({
            _id: input.id ?? newId('shp'),
            ownerId: input.ownerId,
            name: input.name.trim(),
            nameZh: input.nameZh?.trim() ?? '',
            slug,
            city: input.city ?? '',
            status: input.status ?? 'active',
          });
          return toShop(doc.toObject());
        } catch (err) {
          if (!isDuplicateKeyError(err) || input.slug) throw err;
        }
      }
      throw new ConflictError('Could not find a free shop address; try another name', {
        fields: [{ field: 'body.shopName', message: 'taken' }],
      });
    },

    async getShop(id: string): Promise<Shop | null> {
      const hit = cache.get(id);
      if (hit) return hit;
      const doc = await Shops.findById(id).lean<ShopDoc>();
      if (!doc) return null;
      const shop = toShop(doc);
      cache.set(id, shop);
      return shop;
    },

    async requireShop(id: string): Promise<Shop> {
      const shop = await this.getShop(id);
      if (!shop) throw new NotFoundError('Shop');
      return shop;
    },

    /** Drops this process's copy of a shop (another process changed it; the next read goes to the store). */
    forget(id: string): void {
      cache.delete(id);
    },

    /**
     * Moves a shop along pending → active → suspended → active. Refuses any other move (409) and a
     * move to where it already is. The caller (an admin route) records the audit line.
     */
    async setStatus(
      id: string,
      to: ShopStatus,
      by: { actorId: string; reason: string | null },
    ): Promise<ShopStatusChange> {
      const doc = await load(id);
      const from = doc.status ?? 'active';
      if (!ALLOWED_MOVES[from].includes(to))
        throw new ConflictError(`A ${from} shop cannot become ${to}`, {
          fields: [{ field: 'body.status', message: `not allowed from ${from}` }],
        });
      return change(doc, {
        status: to,
        statusReason: by.reason,
        statusChangedAt: now(),
        statusChangedBy: by.actorId,
      });
    },

    /**
     * Hides (or shows again) the shop of a blocked (unblocked) owner. Its status stays as it was, so an
     * unblock brings back exactly what was there. No change when it already says so.
     */
    async setOwnerBlocked(id: string, blocked: boolean): Promise<ShopStatusChange | null> {
      const doc = await load(id);
      if ((doc.ownerBlocked ?? false) === blocked) return null;
      return change(doc, { ownerBlocked: blocked });
    },

    /** Removes a shop nothing refers to yet: the undo of creating one in the registration flow. */
    async deleteShop(id: string): Promise<void> {
      await Shops.deleteOne({ _id: id });
      cache.delete(id);
    },

    async listShops(): Promise<Shop[]> {
      const docs = await Shops.find().sort({ name: 1 }).lean<ShopDoc[]>();
      return docs.map(toShop);
    },

    /**
     * A page of shops by id, optionally of one status; `cursor` is the last id of the previous page.
     * Shops number in the thousands, not millions: FerretDB filters them in its own process, which is
     * fine at that size (the console lists them; nothing on a shopper's path does).
     */
    async pageShops(
      filter: { status?: ShopStatus; ownerId?: string },
      page: { limit: number; cursor?: string | null },
    ): Promise<{ items: Shop[]; nextCursor: string | null }> {
      const query: Record<string, unknown> = {};
      if (filter.status === 'active') query.status = { $in: ['active', null] };
      else if (filter.status) query.status = filter.status;
      if (filter.ownerId) query.ownerId = filter.ownerId;
      if (page.cursor) query._id = { $gt: page.cursor };
      const docs = await Shops.find(query)
        .sort({ _id: 1 })
        .limit(page.limit + 1)
        .lean<ShopDoc[]>();
      const items = docs.slice(0, page.limit).map(toShop);
      return { items, nextCursor: docs.length > page.limit ? items.at(-1)!.id : null };
    },
  };
}

export type ShopService = ReturnType<typeof createShopService>;
