import type { Connection } from 'mongoose';
import { ConflictError, isDuplicateKeyError, NotFoundError } from '../errors';
import { newId } from '../ids';
import { shopModel, type ShopDoc } from './model';
import type { Shop } from './types';

function toShop(doc: ShopDoc): Shop {
  return {
    id: doc._id,
    ownerId: doc.ownerId,
    name: doc.name,
    nameZh: doc.nameZh,
    slug: doc.slug,
    city: doc.city,
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

export function createShopService(deps: { connection: Connection }) {
  const Shops = shopModel(deps.connection);
  const cache = new Map<string, Shop>();

  return {
    async createShop(input: {
      ownerId: string;
      name: string;
      nameZh?: string;
      city?: string;
      id?: string;
      slug?: string;
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

    /** Removes a shop nothing refers to yet: the undo of creating one in the registration flow. */
    async deleteShop(id: string): Promise<void> {
      await Shops.deleteOne({ _id: id });
      cache.delete(id);
    },

    async listShops(): Promise<Shop[]> {
      const docs = await Shops.find().sort({ name: 1 }).lean<ShopDoc[]>();
      return docs.map(toShop);
    },
  };
}

export type ShopService = ReturnType<typeof createShopService>;
