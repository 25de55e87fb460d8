import type { Connection } from 'mongoose';
import type { CategoryService } from '../categories';
import {
  ConflictError,
  ForbiddenError,
  isDuplicateKeyError,
  NotFoundError,
  ValidationError,
} from '../errors';
import type { EventBus } from '../events';
import { newId } from '../ids';
import { handleClaimModel, productModel, skuClaimModel, type ProductDoc, type SkuClaimDoc } from './model';
import type { Actor, Product, ProductInput, ProductPatch, Variant, VariantInput } from './types';
import { type Clock, systemClock } from '../clock';
import { createUrlHandles } from './url-handles';

export function toProduct(doc: ProductDoc): Product {
  return {
    id: doc._id,
    shopId: doc.shopId,
    sellerId: doc.sellerId,
    categoryId: doc.categoryId,
    categoryAncestors: doc.categoryAncestors ?? [],
    handle: doc.handle,
    urlHandle: doc.urlHandle ?? null,
    name: doc.name,
    nameZh: doc.nameZh ?? '',
    description: doc.description ?? '',
    descriptionZh: doc.descriptionZh ?? '',
    brand: doc.brand ?? '',
    tags: doc.tags ?? [],
    variants: (doc.variants ?? []).map((v) => ({
      sku: v.sku,
      title: v.title ?? '',
      price: v.price,
      attributes: v.attributes ?? {},
      images: v.images ?? [],
    })),
    images: doc.images ?? [],
    popularity: doc.popularity ?? 0,
    status: doc.status,
    takedown: doc.takedown ? { reason: doc.takedown.reason, by: doc.takedown.by, at: doc.takedown.at } : null,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toVariant(input: VariantInput): Variant {
  return {
    sku: input.sku,
    title: input.title ?? '',
    price: input.price,
    attributes: input.attributes ?? {},
    images: input.images ?? [],
  };
}

/** A seller edits only their own shop's products; admins edit any. */
export function assertCanEdit(actor: Actor, product: { shopId: string }): void {
  if (actor.roles.includes('admin')) return;
  if (!actor.roles.includes('seller') || actor.shopId !== product.shopId) {
    throw new ForbiddenError('You can only change products of your own shop');
  }
}

/** Products and their variants. Stock is not here: it lives in the inventory ledger. */
export function createCatalogService(deps: {
  connection: Connection;
  bus: EventBus;
  categories: CategoryService;
  clock?: Clock;
}) {
  const Products = productModel(deps.connection);
  const SkuClaims = skuClaimModel(deps.connection);
  const HandleClaims = handleClaimModel(deps.connection);
  const handleKey = (shopId: string, handle: string) => `${shopId}:${handle}`;
  const urlHandles = createUrlHandles(deps);

  // One `_id` delete per claim: FerretDB would scan the collection for `_id: {$in: […]}`.
  const releaseSkus = (skus: string[]) => Promise.all(skus.map((sku) => SkuClaims.deleteOne({ _id: sku })));

  /**
   * Claims every SKU for `productId`. A claim that already names this product is ours, left by an
   * interrupted earlier attempt of the same create (a crashed import job), and is kept.
   */
  async function claimSkus(skus: string[], productId: string, shopId: string, fieldPrefix: string) {
    const claimed: string[] = [];
    for (const [i, sku] of skus.entries()) {
      try {
        await SkuClaims.create({ _id: sku, productId, shopId });
        claimed.push(sku);
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          const holder = await SkuClaims.findById(sku).lean<SkuClaimDoc>();
          if (holder?.productId === productId) continue;
        }
        await releaseSkus(claimed);
        if (isDuplicateKeyError(err)) {
          throw new ConflictError(`SKU ${sku} is already used by another product`, {
            fields: [{ field: `${fieldPrefix}.${i}.sku`, message: 'already in use' }],
          });
        }
        throw err;
      }
    }
  }

  /**
   * Claims a handle for a new product and returns the product id to use. When the handle's claim
   * points at a product that was never written (a create interrupted by a crash), that create is
   * finished under the claimed id instead of failing: imports re-apply rows after a restart.
   */
  async function claimHandle(shopId: string, handle: string, id: string): Promise<string> {
    try {
      await HandleClaims.create({ _id: handleKey(shopId, handle), productId: id });
      return id;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const claim = await HandleClaims.findById(handleKey(shopId, handle)).lean<{ productId: string }>();
      if (claim && !(await Products.findById(claim.productId, { _id: 1 }).lean())) return claim.productId;
      throw new ConflictError('Your shop already has a product with this handle', {
        fields: [{ field: 'body.handle', message: 'already in use' }],
      });
    }
  }

  /** Variants present before and after whose price moved (a new or removed variant is no price change). */
  function priceChanges(before: { sku: string; price: number }[], after: { sku: string; price: number }[]) {
    const old = new Map(before.map((v) => [v.sku, v.price]));
    return after.flatMap((v) => {
      const oldPrice = old.get(v.sku);
      return oldPrice !== undefined && oldPrice !== v.price
        ? [{ sku: v.sku, oldPrice, newPrice: v.price }]
        : [];
    });
  }

  async function load(id: string): Promise<ProductDoc> {
    const doc = await Products.findById(id).lean<ProductDoc>();
    if (!doc || doc.status === 'deleted') throw new NotFoundError('Product');
    return doc;
  }

  async function resolveCategory(categoryId: string) {
    const category = await deps.categories.get(categoryId);
    if (!category) throw new ValidationError([{ field: 'body.categoryId', message: 'unknown category' }]);
    return category;
  }

  /** Writes a change made by the product's single editor and bumps its version. */
  async function save(doc: ProductDoc, set: Partial<ProductDoc>): Promise<Product> {
    const next = { ...set, version: doc.version + 1, updatedAt: (deps.clock ?? systemClock)() };
    // The version check catches most lost updates between two editors of one product. It is not a hard
    // guarantee on FerretDB (docs/ARCHITECTURE.md, "The store on FerretDB 1.24"); nothing many requests
    // change (stock) is stored here. The filter is `_id` alone because that is the only filter FerretDB's
    // SQLite backend does not scan for.
    const current = await Products.findById(doc._id, { version: 1 }).lean<{ version: number }>();
    if (current?.version !== doc.version)
      throw new ConflictError('The product changed meanwhile; reload and try again');
    await Products.updateOne({ _id: doc._id }, { $set: next });
    const product = toProduct({ ...doc, ...next });
    await deps.bus.publish('product.updated', {
      productId: product.id,
      sellerId: product.sellerId,
      version: product.version,
    });
    const changes = priceChanges(doc.variants, product.variants);
    if (changes.length)
      await deps.bus.publish('product.prices_changed', {
        productId: product.id,
        sellerId: product.sellerId,
        version: product.version,
        changes,
        at: product.updatedAt.toISOString(),
      });
    return product;
  }

  async function announceTakedown(product: Product, by: string): Promise<void> {
    await deps.bus.publish('product.taken_down', {
      productId: product.id,
      shopId: product.shopId,
      sellerId: product.sellerId,
      takenDown: !!product.takedown,
      reason: product.takedown?.reason ?? null,
      by,
      version: product.version,
      at: (deps.clock ?? systemClock)().toISOString(),
    });
  }

  return {
    /**
     * Staff take a product off sale with a reason: it leaves the storefront and search (its listing is
     * hidden by the projector), the seller sees why and cannot put it back. Returns it before and after.
     */
    async takeDown(
      id: string,
      by: { actorId: string; reason: string },
    ): Promise<{ before: Product; after: Product }> {
      const doc = await load(id);
      if (doc.takedown)
        throw new ConflictError('The product is already taken down', {
          fields: [{ field: 'params.id', message: 'already taken down' }],
        });
      const takedown = { reason: by.reason, by: by.actorId, at: (deps.clock ?? systemClock)() };
      const after = await save(doc, { takedown });
      await announceTakedown(after, by.actorId);
      return { before: toProduct(doc), after };
    },

    /** Staff put a taken-down product back on sale. */
    async reinstate(id: string, by: { actorId: string }): Promise<{ before: Product; after: Product }> {
      const doc = await load(id);
      if (!doc.takedown)
        throw new ConflictError('The product is not taken down', {
          fields: [{ field: 'params.id', message: 'not taken down' }],
        });
      const after = await save(doc, { takedown: null });
      await announceTakedown(after, by.actorId);
      return { before: toProduct(doc), after };
    },

    /** Ids of a shop's live products (a shop status change re-projects each). Scans on FerretDB; rare. */
    async productIdsOfShop(shopId: string): Promise<string[]> {
      const docs = await Products.find({ shopId, status: 'active' }, { _id: 1 }).lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },

    async createProduct(
      actor: Actor,
      input: ProductInput,
      opts: { id?: string; popularity?: number } = {},
    ): Promise<Product> {
      if (!actor.shopId) throw new ForbiddenError('Open a shop before adding products');
      const category = await resolveCategory(input.categoryId);
      const skus = input.variants.map((v) => v.sku);
      if (new Set(skus).size !== skus.length) {
        throw new ValidationError([
          { field: 'body.variants', message: 'SKUs must be unique within the product' },
        ]);
      }
      const proposedId = opts.id ?? newId('prd');
      const handle = input.handle ?? proposedId;
      const id = await claimHandle(actor.shopId, handle, proposedId);
      let urlHandle: string;
      try {
        await claimSkus(skus, id, actor.shopId, 'body.variants');
        try {
          urlHandle = await urlHandles.claim({ id, handle, name: input.name });
        } catch (err) {
          await releaseSkus(skus);
          throw err;
        }
      } catch (err) {
        await HandleClaims.deleteOne({ _id: handleKey(actor.shopId, handle) });
        throw err;
      }
      const doc = {
        _id: id,
        shopId: actor.shopId,
        sellerId: actor.id,
        categoryId: category.id,
        categoryAncestors: category.ancestors,
        handle,
        urlHandle,
        name: input.name,
        nameZh: input.nameZh ?? '',
        description: input.description ?? '',
        descriptionZh: input.descriptionZh ?? '',
        brand: input.brand ?? '',
        tags: input.tags ?? [],
        variants: input.variants.map(toVariant),
        images: input.images ?? [],
        popularity: opts.popularity ?? 0,
        status: 'active' as const,
        takedown: null,
        version: 1,
      };
      try {
        const created = await Products.create(doc);
        const product = toProduct(created.toObject());
        await deps.bus.publish('product.created', { productId: id, sellerId: actor.id, version: 1 });
        return product;
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          // A concurrent create finished this very product (same handle, same id): the claims are its.
          throw new ConflictError('Your shop already has a product with this handle', {
            fields: [{ field: 'body.handle', message: 'already in use' }],
          });
        }
        // Compensation: give the SKUs and both handles back.
        await releaseSkus(skus);
        await urlHandles.release(urlHandle, id);
        await HandleClaims.deleteOne({ _id: handleKey(actor.shopId, handle) });
        throw err;
      }
    },

    async getProduct(id: string): Promise<Product | null> {
      const doc = await Products.findById(id).lean<ProductDoc>();
      return doc && doc.status === 'active' ? toProduct(doc) : null;
    },

    /**
     * Where each sitemap file starts: the id before its first product (null for the first file), found by
     * skipping `size` ids at a time in `_id` order, so neither this nor a file ever holds the whole
     * collection. Products added between reading the index and a file land in whichever file their id
     * falls in (a file may then hold a few more than `size`: under the protocol's 50,000 when size is).
     */
    async sitemapChunkStarts(size: number): Promise<(string | null)[]> {
      const starts: (string | null)[] = [null];
      for (;;) {
        const after = starts.at(-1);
        // This file's last id and, if there is one, the next file's first: no empty last file.
        const [last, next] = await Products.find(
          { status: 'active', ...(after != null && { _id: { $gt: after } }) },
          { _id: 1 },
        )
          .sort({ _id: 1 })
          .skip(size - 1)
          .limit(2)
          .lean<{ _id: string }[]>();
        if (!last || !next) return starts;
        starts.push(last._id);
      }
    },

    /** One sitemap file's products: active ones after `after` in `_id` order, with what the file shows. */
    async sitemapChunk(
      after: string | null,
      size: number,
    ): Promise<
      { id: string; urlHandle: string | null; shopId: string; takenDown: boolean; updatedAt: Date }[]
    > {
      const docs = await Products.find(
        { status: 'active', ...(after != null && { _id: { $gt: after } }) },
        { _id: 1, urlHandle: 1, shopId: 1, takedown: 1, updatedAt: 1 },
      )
        .sort({ _id: 1 })
        .limit(size)
        .lean<Pick<ProductDoc, '_id' | 'urlHandle' | 'shopId' | 'takedown' | 'updatedAt'>[]>();
      return docs.map((d) => ({
        id: d._id,
        urlHandle: d.urlHandle ?? null,
        shopId: d.shopId,
        takenDown: !!d.takedown,
        updatedAt: d.updatedAt,
      }));
    },

    /** Whether the product existed and was deleted: its page answers 410 Gone, not 404. */
    async isDeleted(id: string): Promise<boolean> {
      const doc = await Products.findById(id, { status: 1 }).lean<Pick<ProductDoc, 'status'>>();
      return doc?.status === 'deleted';
    },

    async requireProduct(id: string): Promise<Product> {
      return toProduct(await load(id));
    },

    /** The id of the product a public URL handle names, deleted ones included (an `_id` read); else null. */
    productIdByUrlHandle: urlHandles.productIdOf,

    /** Start-up: URL handles for products written before they existed (see `UrlHandles.backfill`). */
    backfillUrlHandles: urlHandles.backfill,

    async findByHandle(shopId: string, handle: string): Promise<Product | null> {
      const claim = await HandleClaims.findById(handleKey(shopId, handle)).lean<{ productId: string }>();
      return claim ? this.getProduct(claim.productId) : null;
    },

    /** Owner of a SKU, for inventory and ownership checks. */
    async findBySku(sku: string): Promise<Product | null> {
      const claim = await SkuClaims.findById(sku).lean<{ productId: string }>();
      return claim ? this.getProduct(claim.productId) : null;
    },

    async updateProduct(actor: Actor, id: string, patch: ProductPatch): Promise<Product> {
      const doc = await load(id);
      assertCanEdit(actor, doc);
      const set: Partial<ProductDoc> = {};
      if (patch.categoryId !== undefined) {
        const category = await resolveCategory(patch.categoryId);
        set.categoryId = category.id;
        set.categoryAncestors = category.ancestors;
      }
      for (const key of [
        'name',
        'nameZh',
        'description',
        'descriptionZh',
        'brand',
        'tags',
        'images',
      ] as const) {
        if (patch[key] !== undefined) (set as Record<string, unknown>)[key] = patch[key];
      }
      return save(doc, set);
    },

    async deleteProduct(actor: Actor, id: string): Promise<void> {
      const doc = await load(id);
      assertCanEdit(actor, doc);
      // Soft delete: orders and the ledger keep referring to the product and its SKUs, which stay
      // claimed; the handle is freed so a new product (or a re-import) may use it.
      await Products.updateOne({ _id: id }, { $set: { status: 'deleted', version: doc.version + 1 } });
      await HandleClaims.deleteOne({ _id: handleKey(doc.shopId, doc.handle) });
      await deps.bus.publish('product.deleted', { productId: id, sellerId: doc.sellerId });
    },

    async addVariant(actor: Actor, id: string, input: VariantInput): Promise<Product> {
      const doc = await load(id);
      assertCanEdit(actor, doc);
      await claimSkus([input.sku], id, doc.shopId, 'body.variants');
      try {
        return await save(doc, { variants: [...doc.variants, toVariant(input)] });
      } catch (err) {
        await SkuClaims.deleteOne({ _id: input.sku });
        throw err;
      }
    },

    async updateVariant(
      actor: Actor,
      id: string,
      sku: string,
      patch: Partial<Omit<VariantInput, 'sku' | 'stock'>>,
    ) {
      const doc = await load(id);
      assertCanEdit(actor, doc);
      if (!doc.variants.some((v) => v.sku === sku)) throw new NotFoundError('Variant');
      const variants = doc.variants.map((v) =>
        v.sku === sku
          ? {
              ...v,
              ...(patch.title !== undefined && { title: patch.title }),
              ...(patch.price !== undefined && { price: patch.price }),
              ...(patch.attributes !== undefined && { attributes: patch.attributes }),
              ...(patch.images !== undefined && { images: patch.images }),
            }
          : v,
      );
      return save(doc, { variants });
    },

    async removeVariant(actor: Actor, id: string, sku: string): Promise<Product> {
      const doc = await load(id);
      assertCanEdit(actor, doc);
      if (!doc.variants.some((v) => v.sku === sku)) throw new NotFoundError('Variant');
      if (doc.variants.length === 1) {
        throw new ValidationError([{ field: 'params.sku', message: 'a product keeps at least one variant' }]);
      }
      return save(doc, { variants: doc.variants.filter((v) => v.sku !== sku) });
    },

    /**
     * Seeding: many new products at once, SKUs and handles claimed in bulk. Returns the documents as
     * written, with their URL handles.
     */
    async insertSeedProducts<D extends Omit<ProductDoc, 'createdAt' | 'updatedAt' | 'urlHandle'>>(
      docs: D[],
    ): Promise<(D & { urlHandle: string })[]> {
      const chosen = await urlHandles.claimMany(
        docs.map((d) => ({ id: d._id, handle: d.handle, name: d.name })),
      );
      const written = docs.map((d) => ({ ...d, urlHandle: chosen.get(d._id)! }));
      await SkuClaims.insertMany(
        docs.flatMap((d) => d.variants.map((v) => ({ _id: v.sku, productId: d._id, shopId: d.shopId }))),
        { ordered: false, lean: true },
      );
      await HandleClaims.insertMany(
        docs.map((d) => ({ _id: handleKey(d.shopId, d.handle), productId: d._id })),
        { ordered: false, lean: true },
      );
      await Products.insertMany(written, { ordered: false, lean: true });
      return written;
    },

    async count(): Promise<number> {
      return Products.estimatedDocumentCount();
    },

    /** Every active product, in batches, from one pass over the collection (for rebuilding read models). */
    async *allActive(batchSize = 500): AsyncGenerator<Product[]> {
      let batch: Product[] = [];
      for await (const doc of Products.find().lean<ProductDoc[]>().cursor()) {
        if ((doc as ProductDoc).status !== 'active') continue;
        batch.push(toProduct(doc as ProductDoc));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
