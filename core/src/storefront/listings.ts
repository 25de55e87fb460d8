import type { Connection } from 'mongoose';
import type { CatalogService, Product } from '../catalog';
import type { CategoryService } from '../categories';
import { isDuplicateKeyError } from '../errors';
import type { EventBus } from '../events';
import type { InventoryService, StockLevel } from '../inventory';
import type { Logger } from '../logger';
import type { PublicPhotos } from '../photos';
import type { ShopService } from '../shops';
import { ListingIndex } from './listing-index';
import { listingModel, type ListingDoc } from './model';
import { hiddenReason } from './visibility';
import type { ListingQuery, ProductCard } from './types';

export function placeholderImageUrl(productId: string): string {
  return `/media/placeholder/${encodeURIComponent(productId)}.svg`;
}

/** A card shows this many options; the rest are counted. */
const CARD_OPTIONS = 6;

/**
 * The options of a product as a card lists them: the values of the attribute its variants differ in
 * most (colours, sizes), else the variant titles; nothing for a single variant.
 */
export function optionsOf(product: Pick<Product, 'variants'>): string[] {
  if (product.variants.length < 2) return [];
  const byKey = new Map<string, Set<string>>();
  for (const variant of product.variants)
    for (const [key, value] of Object.entries(variant.attributes ?? {}))
      byKey.set(key, (byKey.get(key) ?? new Set()).add(value));
  const widest = [...byKey.values()].sort((a, b) => b.size - a.size)[0];
  const values =
    widest && widest.size > 1 ? [...widest] : product.variants.map((v) => v.title).filter(Boolean);
  return [...new Set(values)].slice(0, CARD_OPTIONS + 1);
}

export function toCard(doc: ListingDoc): ProductCard {
  return {
    id: doc._id,
    urlHandle: doc.urlHandle ?? null,
    name: doc.name,
    nameZh: doc.nameZh,
    brand: doc.brand,
    categoryId: doc.categoryId,
    shopId: doc.shopId,
    shopName: doc.shopName,
    shopNameZh: doc.shopNameZh ?? '',
    priceMin: doc.priceMin,
    priceMax: doc.priceMax,
    options: doc.options ?? [],
    currency: 'CNY',
    imageUrl: doc.imageUrl,
    available: doc.available,
    inStock: doc.inStock,
    popularity: doc.popularity,
  };
}

export function createListingService(deps: {
  connection: Connection;
  bus: EventBus;
  catalog: CatalogService;
  inventory: InventoryService;
  shops: ShopService;
  categories: CategoryService;
  /** The checked photos shoppers may see; without it, products show generated artwork. */
  photos?: { publicPhotos(productId: string): Promise<PublicPhotos> };
  log: Logger;
}) {
  const Listings = listingModel(deps.connection);
  const index = new ListingIndex();
  // Read models that follow this one (the search index) hear about each listing change in-process.
  const listeners = new Set<(productId: string) => void>();
  const changed = (productId: string) => listeners.forEach((listener) => listener(productId));

  async function buildDoc(product: Product, levels: Map<string, StockLevel>): Promise<ListingDoc> {
    const shop = await deps.shops.getShop(product.shopId);
    const prices = product.variants.map((v) => v.price);
    const available = product.variants.reduce((sum, v) => sum + (levels.get(v.sku)?.available ?? 0), 0);
    const stockVersions = product.variants.reduce((sum, v) => sum + (levels.get(v.sku)?.version ?? 0), 0);
    const photos = (await deps.photos?.publicPhotos(product.id)) ?? { version: 0, photos: [] };
    return {
      _id: product.id,
      shopId: product.shopId,
      shopName: shop?.name ?? '',
      shopNameZh: shop?.nameZh ?? '',
      sellerId: product.sellerId,
      urlHandle: product.urlHandle,
      categoryId: product.categoryId,
      categoryPath: [...product.categoryAncestors, product.categoryId],
      name: product.name,
      nameZh: product.nameZh,
      brand: product.brand,
      priceMin: prices.length ? Math.min(...prices) : 0,
      priceMax: prices.length ? Math.max(...prices) : 0,
      options: optionsOf(product),
      imageUrl: photos.photos[0]?.urls.medium ?? product.images[0] ?? placeholderImageUrl(product.id),
      available,
      inStock: available > 0,
      popularity: product.popularity,
      createdAt: product.createdAt,
      hiddenBecause: hiddenReason(product, shop),
      // Each part only grows, so their sum does: a newer stock, photo or shop status change always moves
      // forward.
      sourceVersion: product.version * 1e6 + stockVersions + photos.version + (shop?.statusVersion ?? 0),
    };
  }

  async function write(doc: ListingDoc, retried = false): Promise<void> {
    // Only ever move forward: an older computation that finishes late must not win. Read, then write by
    // `_id` alone (the one filter FerretDB does not scan for); a rare interleaving is repaired by the next
    // refresh, since this is a read model.
    const current = await Listings.findById(doc._id, { sourceVersion: 1 }).lean<{ sourceVersion: number }>();
    if (current && current.sourceVersion >= doc.sourceVersion) return;
    try {
      await Listings.replaceOne({ _id: doc._id }, doc, { upsert: true });
    } catch (err) {
      // Two processes creating one listing at once: the other's insert won; compare versions with it.
      if (isDuplicateKeyError(err) && !retried) return write(doc, true);
      throw err;
    }
    index.upsert(doc);
    changed(doc._id);
  }

  async function refresh(productId: string): Promise<void> {
    const product = await deps.catalog.getProduct(productId);
    if (!product) {
      await Listings.deleteOne({ _id: productId });
      index.remove(productId);
      changed(productId);
      return;
    }
    const levels = await deps.inventory.getLevels(product.variants.map((v) => v.sku));
    await write(await buildDoc(product, levels));
  }

  // Coalesce bursts (an import touching one product many times) into one refresh per product.
  const pending = new Set<string>();
  let flushing: Promise<void> | null = null;
  function schedule(productId: string) {
    pending.add(productId);
    flushing ??= new Promise<void>((resolve) => setTimeout(resolve, 25)).then(async () => {
      while (pending.size) {
        const batch = [...pending];
        pending.clear();
        for (const id of batch) {
          await refresh(id).catch((err: unknown) =>
            deps.log.error({ err, productId: id }, 'listing refresh failed'),
          );
        }
      }
      flushing = null;
    });
  }

  return {
    refresh,

    /** Subscribes the projector to the events that change a listing. Returns the unsubscribe function. */
    startProjector(): () => void {
      const offs = [
        deps.bus.subscribe('product.created', (e) => schedule(e.productId)),
        deps.bus.subscribe('product.updated', (e) => schedule(e.productId)),
        deps.bus.subscribe('product.deleted', (e) => schedule(e.productId)),
        deps.bus.subscribe('stock.changed', (e) => schedule(e.productId)),
        deps.bus.subscribe('product.photos_changed', (e) => schedule(e.productId)),
        // A shop opening, suspended or reinstated (or its owner blocked): every process forgets its copy
        // of the shop and re-projects the shop's products, which leave or rejoin the storefront and search.
        deps.bus.subscribe('shop.status_changed', async (e) => {
          deps.shops.forget(e.shopId);
          for (const id of await deps.catalog.productIdsOfShop(e.shopId)) schedule(id);
        }),
      ];
      return () => offs.forEach((off) => off());
    },

    /** Resolves when every scheduled refresh has been written (tests, seeding, shutdown). */
    async settled(): Promise<void> {
      // The in-process bus hands events to handlers on the next turn (setImmediate): let those land first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (flushing) await flushing;
    },

    /** Loads the listing index from the read model; call once before serving. */
    async load(): Promise<number> {
      const docs: ListingDoc[] = [];
      for await (const doc of Listings.find().lean<ListingDoc[]>().cursor()) docs.push(doc as ListingDoc);
      index.reset(docs);
      return docs.length;
    },

    /** Recomputes every listing from its sources (after a bulk change, or to repair drift). */
    async rebuildListings(onProgress?: (done: number) => void): Promise<number> {
      let done = 0;
      const seen = new Set<string>();
      for await (const products of deps.catalog.allActive(500)) {
        const levels = await deps.inventory.getLevels(products.flatMap((p) => p.variants.map((v) => v.sku)));
        for (const product of products) {
          const doc = await buildDoc(product, levels);
          await Listings.replaceOne({ _id: doc._id }, doc, { upsert: true });
          index.upsert(doc);
          changed(doc._id);
          seen.add(doc._id);
        }
        done += products.length;
        onProgress?.(done);
      }
      for (const stale of (await Listings.find({}, { _id: 1 }).lean<{ _id: string }[]>()).filter(
        (d) => !seen.has(d._id),
      )) {
        await Listings.deleteOne({ _id: stale._id });
        index.remove(stale._id);
        changed(stale._id);
      }
      return done;
    },

    /** Seeding: listings of brand-new products. */
    async insertMany(docs: ListingDoc[]) {
      await Listings.insertMany(docs, { ordered: false, lean: true });
      for (const doc of docs) {
        index.upsert(doc);
        changed(doc._id);
      }
    },

    buildDoc,

    async query(q: ListingQuery): Promise<{ items: ProductCard[]; nextCursor: string | null }> {
      const categoryId = q.categoryId ? (await deps.categories.require(q.categoryId)).id : undefined;
      const page = index.query({ ...q, categoryId });
      return { items: page.items.map(toCard), nextCursor: page.nextCursor };
    },

    /** Ids of a page of listings (the seller centre lists its own products through this). */
    queryIds(q: ListingQuery): { ids: string[]; nextCursor: string | null } {
      const page = index.query(q);
      return { ids: page.items.map((d) => d._id), nextCursor: page.nextCursor };
    },

    /** Calls `listener(productId)` after each listing is written or removed in this process. */
    onChange(listener: (productId: string) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Each listed product's source version (product version × 1e6 + its SKUs' ledger versions). */
    sourceVersions(): IterableIterator<[id: string, sourceVersion: number]> {
      return index.versions();
    },

    /** The cards of these products that are listed, in the order asked (from the in-memory index). */
    cards(ids: string[]): ProductCard[] {
      return ids.flatMap((id) => {
        const doc = index.get(id);
        return doc ? [toCard(doc)] : [];
      });
    },

    async getListing(id: string): Promise<ListingDoc | null> {
      return index.get(id) ?? null;
    },

    /** Listings in the index, hidden ones included. */
    async count(): Promise<number> {
      return index.size;
    },
  };
}

export type ListingService = ReturnType<typeof createListingService>;
